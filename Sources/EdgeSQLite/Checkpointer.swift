import VaporCSQLite
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies a connection's write-ahead log back into the database file, mostly from a thread of
/// its own.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1 000 pages:
/// that commit copies the pages and syncs both files while every other query waits. The pages
/// a workload rewrites all the time (a counter row, the end of an index) are copied again at
/// every checkpoint, so checkpointing less often does less work; done inside a commit, a rare
/// checkpoint would be a long stall. Here, the commit that takes the log past ``threshold``
/// pages starts a `PASSIVE` checkpoint on a second connection, on another thread, while
/// readers and writers go on. The first commit after it finished checkpoints what was written
/// meanwhile itself (a few pages), which completes the checkpoint so that the next write
/// restarts the log from its beginning, as SQLite's own checkpoint does. A log that still
/// grows to ``hardLimit`` pages is checkpointed by the committing connection.
final class Checkpointer: Sendable {
    /// WAL pages after which a checkpoint starts.
    static let threshold: Int32 = 4_000
    /// WAL pages after which the committing connection checkpoints itself.
    static let hardLimit: Int32 = 20_000

    private enum Phase: UInt8 {
        case idle, running, finished
    }

    let path: String
    private let phase = Atomic<UInt8>(Phase.idle.rawValue)
    private let closed = Atomic<Bool>(false)
    /// Log pages the last background round had copied (`pnCkpt`), for ``pagesCopiedByCommits``.
    private let backfilled = Atomic<Int>(0)
    /// Pages copied by background rounds, and by committing connections (finishing a round,
    /// or past the hard limit): what the tests look at.
    let pagesCopiedInBackground = Atomic<Int>(0)
    let pagesCopiedByCommits = Atomic<Int>(0)

    init(path: String) {
        self.path = path
    }

    /// Installs the checkpointer as `db`'s WAL hook, replacing the automatic checkpoint.
    func install(on db: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite_nio_sqlite3_wal_hook(db, { context, db, _, frames in
            guard let context, let db else { return SQLITE_OK }
            Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().committed(frames: frames, db: db)
            return SQLITE_OK
        }, context)
    }

    /// After a commit that left `frames` pages in the log.
    private func committed(frames: Int32, db: OpaquePointer) {
        if frames >= Self.hardLimit || exchange(.finished, .idle) {
            var copied: Int32 = 0
            sqlite_nio_sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, &copied)
            let before = backfilled.exchange(0, ordering: .relaxed)
            pagesCopiedByCommits.add(max(0, Int(copied) - before), ordering: .relaxed)
            return
        }
        guard frames >= Self.threshold, !closed.load(ordering: .acquiring), exchange(.idle, .running) else { return }
        if !startThread() {
            // No thread: checkpoint here, as SQLite would have.
            sqlite_nio_sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            phase.store(Phase.idle.rawValue, ordering: .releasing)
        }
    }

    private func exchange(_ expected: Phase, _ desired: Phase) -> Bool {
        phase.compareExchange(expected: expected.rawValue, desired: desired.rawValue, ordering: .acquiringAndReleasing).exchanged
    }

    private func startThread() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            #if canImport(Darwin)
            let checkpointer = Unmanaged<Checkpointer>.fromOpaque(context).takeRetainedValue()
            #else
            guard let context else { return nil }
            let checkpointer = Unmanaged<Checkpointer>.fromOpaque(context).takeRetainedValue()
            #endif
            checkpointer.checkpoint()
            return nil
        }, context)
        guard result == 0 else {
            Unmanaged<Checkpointer>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    /// The round on the checkpoint thread, with a connection of its own.
    private func checkpoint() {
        defer { phase.store(Phase.finished.rawValue, ordering: .releasing) }
        guard !closed.load(ordering: .acquiring) else { return }
        var db: OpaquePointer?
        defer { sqlite_nio_sqlite3_close_v2(db) }
        guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else { return }
        // A connection finds the log when it first reads the database; until then a checkpoint
        // did nothing under Debian's SQLite 3.40, which Edge linked before. The read costs
        // nothing and keeps the checkpoint independent of that detail.
        sqlite_nio_sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", nil, nil, nil)
        var copied: Int32 = 0
        if sqlite_nio_sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, &copied) == SQLITE_OK, copied > 0 {
            backfilled.store(Int(copied), ordering: .relaxed)
            pagesCopiedInBackground.add(Int(copied), ordering: .relaxed)
        }
    }

    /// Stops starting rounds and waits for the one running, so the file can be closed (or
    /// deleted) once this returns.
    func close() {
        closed.store(true, ordering: .releasing)
        while phase.load(ordering: .acquiring) == Phase.running.rawValue {
            usleep(500)
        }
    }
}
