import Foundation
import VaporCSQLite
#if canImport(Glibc)
import Glibc
#endif

/// Sees the moment another connection commits to a SQLite file: a second connection polls
/// `PRAGMA data_version` (which changes when any other connection commits) on its own thread,
/// from ``start()`` until the first change. The fan-out figures measure from this moment, the
/// POST's commit, as the issue defines them. Each poll takes a few microseconds; the thread
/// spins only between the POST being written and its commit.
final class CommitWatch: @unchecked Sendable {
    private var db: OpaquePointer?
    private var statement: OpaquePointer?
    private let done = DispatchSemaphore(value: 0)
    private var committedAt: UInt64 = 0

    init(path: String) throws {
        guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
            sqlite_nio_sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &statement, nil) == SQLITE_OK
        else { throw BenchError("cannot watch \(path) for commits") }
    }

    deinit {
        sqlite_nio_sqlite3_finalize(statement)
        sqlite_nio_sqlite3_close_v2(db)
    }

    private func dataVersion() -> Int64 {
        // A PRAGMA is prepared again each time it runs; prepare_v2 does that by itself.
        defer { sqlite_nio_sqlite3_reset(statement) }
        guard sqlite_nio_sqlite3_step(statement) == SQLITE_ROW else { return -1 }
        return sqlite_nio_sqlite3_column_int64(statement, 0)
    }

    /// Starts watching; call before writing the request whose commit is to be timed.
    func start(timeout: Double = 10) {
        let before = dataVersion()
        committedAt = 0
        let deadline = monotonicNanos() + UInt64(timeout * 1e9)
        let thread = Thread { [self] in
            while monotonicNanos() < deadline {
                if dataVersion() != before {
                    committedAt = monotonicNanos()
                    break
                }
                // Sleeping between polls rather than spinning: on a busy machine the scheduler
                // wakes a sleeper promptly, where a spinning thread waits for its next slice.
                usleep(50)
            }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The time of the commit (`monotonicNanos`), or nil when none came before the timeout.
    func committed() async -> UInt64? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.done.wait()
                continuation.resume()
            }
        }
        return committedAt == 0 ? nil : committedAt
    }
}
