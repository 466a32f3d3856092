import EdgeD1
import EdgeSQLite
import Foundation
import Testing

/// What production's D1 refuses is refused on every path that reaches it: `prepare`, `batch`,
/// `exec`, scripts (`d1 execute --command/--file`) and migrations.
@Suite struct D1RefusalTests {
    /// SQL production refuses, with the error it answers (after `D1_ERROR: `).
    static let refused: [(sql: String, error: String)] = [
        ("BEGIN TRANSACTION", transactionRefusal),
        ("COMMIT", transactionRefusal),
        ("SAVEPOINT s", transactionRefusal),
        ("PRAGMA journal_mode = DELETE", "not authorized: SQLITE_AUTH"),
        ("PRAGMA page_size = 1024", "not authorized: SQLITE_AUTH"),
        ("ATTACH DATABASE 'other.sqlite' AS other", "not authorized: SQLITE_AUTH"),
        ("CREATE TABLE _cf_mine (a)", "not authorized: SQLITE_AUTH"),
        ("SELECT sqlite_version()", "not authorized to use function: sqlite_version at offset 7: SQLITE_ERROR"),
    ]

    @Test("prepare, batch, exec and scripts refuse the same SQL with the same text", arguments: 0..<refused.count)
    func everyPath(index: Int) async throws {
        let (sql, error) = Self.refused[index]
        try await withDatabase { db, _ in
            await expectError("D1_ERROR: \(error)") { _ = try await db.prepare(sql).run() }
            await expectError("D1_ERROR: \(error)") { _ = try await db.prepare(sql).all() }
            await expectError("D1_ERROR: \(error)") {
                _ = try await db.batch([db.prepare("CREATE TABLE kept (a)"), db.prepare(sql)])
            }
            await expectError("D1_EXEC_ERROR: Error in line 1: \(sql): \(error)") { try await db.exec(sql) }
            await expectError("D1_ERROR: \(error)") { try await db.executeScript("CREATE TABLE kept (a);\n\(sql);") }
            let tables = try await db.prepare("SELECT name FROM sqlite_master WHERE name = 'kept'").raw()
            #expect(tables.isEmpty, "a refused statement rolls back the batch or script it was in")
        }
    }

    @Test("a migration wrapped in BEGIN TRANSACTION; ... COMMIT; fails here as it fails in production")
    func wrappedMigration() async throws {
        try await withDatabase { db, root in
            let directory = root.appendingPathComponent("migrations")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try "BEGIN TRANSACTION;\nCREATE TABLE t (a);\nINSERT INTO t VALUES (1);\nCOMMIT;\n"
                .write(to: directory.appendingPathComponent("0001_tx.sql"), atomically: true, encoding: .utf8)
            let migrations = D1Migrations(database: db, directory: directory)
            await expectError("Migration 0001_tx.sql failed with the following errors:\nD1_ERROR: \(transactionRefusal)") {
                try await migrations.apply()
            }
            #expect(try await migrations.list() == ["0001_tx.sql"])
            #expect(try await db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").raw().isEmpty)
        }
    }

    @Test("a wrapped script (sqlite3 .dump output) is refused, not stripped")
    func wrappedScript() async throws {
        try await withDatabase { db, _ in
            await expectError("D1_ERROR: \(transactionRefusal)") {
                try await db.executeScript("BEGIN TRANSACTION;\nCREATE TABLE t (a);\nCOMMIT;\n")
            }
            let tables = try await db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").raw()
            #expect(tables.isEmpty)
        }
    }

    @Test("migrations refuse PRAGMAs outside the list, ATTACH and _cf_ names")
    func migrationRefusals() async throws {
        for (index, sql) in ["PRAGMA journal_mode = WAL;", "ATTACH 'x.sqlite' AS x;", "CREATE TABLE _CF_x (a);"].enumerated() {
            try await withDatabase { db, root in
                let directory = root.appendingPathComponent("migrations")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try sql.write(to: directory.appendingPathComponent("000\(index + 1)_x.sql"), atomically: true, encoding: .utf8)
                await expectError("Migration 000\(index + 1)_x.sql failed with the following errors:\nD1_ERROR: not authorized: SQLITE_AUTH") {
                    try await D1Migrations(database: db, directory: directory).apply()
                }
            }
        }
    }
}
