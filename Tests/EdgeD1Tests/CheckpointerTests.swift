import Foundation
import Testing

@testable import EdgeSQLite

@Suite("EdgeSQLite checkpoints")
struct CheckpointerTests {
    /// About 100 MB written in commits of ten pages: the log is copied into the database file
    /// as it goes and restarts, instead of growing to the 80 MB at which the writer would have
    /// to checkpoint it itself.
    @Test("the log is copied back while commits go on, and restarts")
    func logIsCheckpointedAndRestarts() async throws {
        try await withConnection { connection, path in
            _ = try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)")
            let data = SQLiteValue.blob(Array(repeating: 7, count: 40_000))
            let rows = 2_500
            for index in 0..<rows {
                _ = try connection.execute("INSERT INTO t (data) VALUES (?)", [data])
                if index % 50 == 0 { try await Task.sleep(for: .milliseconds(1)) }
            }
            let megabyte = 1024 * 1024
            let log = try #require(FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int)
            let file = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(log < 50 * megabyte, "the log stayed well under the writer's limit (\(log / megabyte) MiB)")
            #expect(file > 50 * megabyte, "most rows are in the database file (\(file / megabyte) MiB)")
            let background = connection.checkpointer.pagesCopiedInBackground.load(ordering: .relaxed)
            let byCommits = connection.checkpointer.pagesCopiedByCommits.load(ordering: .relaxed)
            // Each round copies at least the pages that started it; commits copy what came meanwhile.
            #expect(background >= 2 * Int(Checkpointer.threshold), "rounds ran off the commit path (\(background) pages there, \(byCommits) by commits)")

            let reader = try Connection(path: path)
            defer { reader.close() }
            #expect(try reader.execute("SELECT count(*), sum(length(data)) FROM t").rows == [[.integer(Int64(rows)), .integer(Int64(rows * 40_000))]])
            reader.authorization = .trusted
            #expect(try reader.execute("PRAGMA integrity_check").rows == [[.text("ok")]])
        }
    }

    @Test("closing right after a burst waits for the checkpoint thread; the file reopens whole")
    func closeWaitsForTheCheckpoint() async throws {
        try await withTemporaryDirectory { root in
            let path = root.appendingPathComponent("burst.sqlite").path
            let data = SQLiteValue.blob(Array(repeating: 1, count: 40_000))
            for round in 1...3 {
                let connection = try Connection(path: path)
                if round == 1 { _ = try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)") }
                for _ in 0..<450 { _ = try connection.execute("INSERT INTO t (data) VALUES (?)", [data]) }
                connection.close()
                #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "the last connection to close removed the log")
            }
            let reader = try Connection(path: path)
            defer { reader.close() }
            #expect(try reader.execute("SELECT count(*) FROM t").rows == [[.integer(1_350)]])
        }
    }
}
