import EdgeSQLite
import Foundation
import Testing

@Suite("EdgeSQLite Connection")
struct ConnectionTests {
    @Test("opens in WAL mode with production settings")
    func productionSettings() async throws {
        try await withConnection { connection, path in
            var settings: [SQLiteValue] = []
            connection.authorization = .trusted
            for pragma in ["journal_mode", "synchronous", "foreign_keys", "recursive_triggers", "busy_timeout"] {
                settings.append(try connection.execute("PRAGMA \(pragma)").rows[0][0])
            }
            connection.authorization = .user
            #expect(settings == [.text("wal"), .integer(1), .integer(1), .integer(0), .integer(5000)])
            #expect(connection.authorization == .user)
            _ = try connection.execute("CREATE TABLE t (a)")
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    @Test("execute runs every statement and returns the last one's rows, duplicates kept")
    func multipleStatements() async throws {
        try await withConnection { connection, _ in
            let result = try connection.execute(
                "CREATE TABLE t (a, b); INSERT INTO t VALUES (1, 2); SELECT a, b, a AS b FROM t WHERE a = ?",
                [.integer(1)])
            #expect(result.columnNames == ["a", "b", "b"])
            #expect(result.rows == [[.integer(1), .integer(2), .integer(1)]])
        }
    }

    @Test("only the last statement may have parameters, with exactly the right count")
    func parameterRules() async throws {
        try await withConnection { connection, _ in
            await expectError(
                "When executing multiple SQL statements in a single call, only the last statement can have parameters."
            ) { _ = try connection.execute("SELECT ?; SELECT 2", [.integer(1)]) }
            await expectError("Wrong number of parameter bindings for SQL query.") {
                _ = try connection.execute("SELECT ?3", [.integer(1), .integer(2)])
            }
            #expect(try connection.execute("SELECT ?3", [.integer(1), .integer(2), .integer(3)]).rows == [[.integer(3)]])
            let statement = try connection.prepare("SELECT ?, ?")
            #expect(statement.parameterCount == 2)
            await expectError("Wrong number of parameter bindings for SQL query.") { try statement.bind([.null]) }
        }
    }

    @Test("text without a statement, and a trailing comment after ';', fail as in workerd")
    func noStatement() async throws {
        try await withConnection { connection, _ in
            await expectError("SQL code did not contain a statement.") { _ = try connection.execute("") }
            await expectError("SQL code did not contain a statement.") { _ = try connection.execute("-- nothing") }
            await expectError("SQL code did not contain a statement.") { _ = try connection.execute("SELECT 1; -- c") }
            let trailing = try connection.execute("SELECT 1;  \n ").rows
            #expect(trailing == [[.integer(1)]])
            await expectError("A prepared SQL statement must contain only one statement.") {
                _ = try connection.prepare("SELECT 1; SELECT 2")
            }
        }
    }

    @Test("errors read as workerd's dbErrorMessage, with code names")
    func errorMessages() async throws {
        try await withConnection { connection, _ in
            _ = try connection.execute("CREATE TABLE users (email TEXT UNIQUE)")
            _ = try connection.execute("INSERT INTO users VALUES ('a@example.com')")
            await expectError("no such table: nope: SQLITE_ERROR") { _ = try connection.execute("SELECT * FROM nope") }
            await expectError("near \"PUT\": syntax error at offset 0: SQLITE_ERROR") {
                _ = try connection.execute("PUT IN users VALUES (1)")
            }
            do {
                _ = try connection.execute("INSERT INTO users VALUES (?)", [.text("a@example.com")])
                Issue.record("expected a constraint error")
            } catch let error as SQLiteError {
                #expect(error.description == "UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT")
                #expect(error.message == "UNIQUE constraint failed: users.email")
                #expect(error.codeName == "SQLITE_CONSTRAINT")
                #expect(error.extendedCodeName == "SQLITE_CONSTRAINT_UNIQUE")
                #expect(!error.description.contains("a@example.com"))
            }
        }
    }

    @Test("an error after another shows no stale offset")
    func noStaleOffset() async throws {
        try await withConnection { connection, _ in
            await expectError(startingWith: "too many SQL variables at offset") {
                _ = try connection.execute("SELECT ?" + String(repeating: ",?", count: 100))
            }
            await expectError("statement too long: SQLITE_TOOBIG") {
                _ = try connection.execute("SELECT 1" + String(repeating: " ", count: 100_000))
            }
        }
    }

    @Test("the authorizer refuses transaction statements in user SQL", arguments: [
        "BEGIN", "BEGIN TRANSACTION", "BEGIN IMMEDIATE", "COMMIT", "END", "ROLLBACK", "SAVEPOINT s", "RELEASE s",
        "ROLLBACK TO s",
    ])
    func transactionStatementsRefused(sql: String) async throws {
        try await withConnection { connection, _ in
            await expectError(transactionRefusal) { _ = try connection.execute(sql) }
        }
    }

    @Test("names starting with _cf_ are reserved for trusted SQL, in any case")
    func reservedNames() async throws {
        try await withConnection { connection, _ in
            try connection.withAuthorization(.trusted) { () throws(SQLiteError) in
                _ = try connection.execute("CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB)")
                _ = try connection.execute("INSERT INTO _cf_KV VALUES ('k', x'01')")
            }
            _ = try connection.execute("CREATE TABLE t (a)")
            for sql in [
                "INSERT INTO _cf_KV VALUES ('x', NULL)", "UPDATE _cf_KV SET value = NULL WHERE key = 'k'",
                "DELETE FROM _cf_KV", "UPDATE _cf_KV SET value = NULL", "DROP TABLE _cf_KV",
                "CREATE TABLE _Cf_mine (a)", "CREATE INDEX _cf_index ON t (a)", "ALTER TABLE t RENAME TO _cf_t",
                "ALTER TABLE t RENAME TO \"_CF_t\"", "ALTER TABLE _cf_KV RENAME TO kv", "PRAGMA table_info(_cf_KV)",
                "CREATE VIEW _cf_view AS SELECT 1",
            ] {
                await expectError("not authorized: SQLITE_AUTH") { _ = try connection.execute(sql) }
            }
            // Reading a column of a reserved table is a column-level refusal, worded by SQLite.
            for sql in ["SELECT key FROM _cf_KV", "SELECT * FROM _cf_KV", "select * from _CF_kv"] {
                await expectError("access to _cf_KV.key is prohibited: SQLITE_AUTH") { _ = try connection.execute(sql) }
            }
            #expect(try connection.execute("ALTER TABLE t RENAME TO cf_t").rows == [])
            let tables = try connection.execute("PRAGMA table_list").rows.map { $0[1] }
            #expect(tables.contains(.text("_cf_KV")))
            #expect(
                try connection.withAuthorization(.trusted) { () throws(SQLiteError) in
                    try connection.execute("SELECT value FROM _cf_KV").rows
                } == [[.blob([1])]])
        }
    }

    @Test("only D1's PRAGMAs are allowed")
    func pragmaAllowlist() async throws {
        try await withConnection { connection, _ in
            _ = try connection.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)")
            _ = try connection.execute("CREATE INDEX t_b ON t (b)")
            let allowed = [
                "PRAGMA table_list", "PRAGMA table_info(t)", "PRAGMA table_xinfo(t)", "PRAGMA index_list(t)",
                "PRAGMA index_info(t_b)", "PRAGMA index_xinfo(t_b)", "PRAGMA foreign_key_check",
                "PRAGMA foreign_key_check(t)", "PRAGMA foreign_key_list(t)", "PRAGMA quick_check",
                "PRAGMA quick_check(1)", "PRAGMA quick_check(t)", "PRAGMA case_sensitive_like = true",
                "PRAGMA foreign_keys", "PRAGMA foreign_keys = ON", "PRAGMA defer_foreign_keys = off",
                "PRAGMA ignore_check_constraints = 0", "PRAGMA legacy_alter_table = 'no'",
                "PRAGMA recursive_triggers = yes", "PRAGMA reverse_unordered_selects = false", "PRAGMA optimize",
                "PRAGMA optimize(0x10002)", "PRAGMA data_version", "PRAGMA page_size", "pragma TABLE_LIST",
            ]
            for sql in allowed {
                #expect(throws: Never.self, "\(sql)") { _ = try connection.execute(sql) }
            }
            let refused = [
                "PRAGMA journal_mode", "PRAGMA journal_mode = DELETE", "PRAGMA page_size = 1024",
                "PRAGMA synchronous = OFF", "PRAGMA writable_schema = ON", "PRAGMA page_count",
                "PRAGMA foreign_keys = maybe", "PRAGMA table_info", "PRAGMA optimize(abc)",
                "PRAGMA data_version = 1", "PRAGMA busy_timeout = 1", "PRAGMA compile_options",
            ]
            for sql in refused {
                await expectError("not authorized: SQLITE_AUTH") { _ = try connection.execute(sql) }
            }
        }
    }

    @Test("functions outside workerd's allowlist, ATTACH and TEMP objects are refused")
    func otherRefusals() async throws {
        try await withConnection { connection, _ in
            await expectError("not authorized to use function: sqlite_version at offset 7: SQLITE_ERROR") {
                _ = try connection.execute("SELECT sqlite_version()")
            }
            let allowedCalls = try connection.execute("SELECT abs(-1), json_extract('{\"a\":2}', '$.a')").rows
            #expect(allowedCalls == [[.integer(1), .integer(2)]])
            await expectError("not authorized: SQLITE_AUTH") { _ = try connection.execute("ATTACH 'other.db' AS other") }
            await expectError("not authorized: SQLITE_AUTH") { _ = try connection.execute("CREATE TEMP TABLE t (a)") }
            #expect(throws: Never.self) { _ = try connection.execute("CREATE VIRTUAL TABLE docs USING fts5(body)") }
        }
    }

    @Test("withAuthorization restores the previous mode, even on a throw")
    func authorizationScope() async throws {
        try await withConnection { connection, _ in
            #expect(throws: SQLiteError.self) {
                try connection.withAuthorization(.trusted) { () throws(SQLiteError) in
                    #expect(connection.authorization == .trusted)
                    _ = try connection.execute("SELECT * FROM nope")
                }
            }
            #expect(connection.authorization == .user)
        }
    }

    @Test("transaction commits, rolls back on a throw, and nests as savepoints")
    func transactions() async throws {
        struct Abort: Error {}
        try await withConnection { connection, _ in
            _ = try connection.execute("CREATE TABLE t (a)")
            try connection.transaction { _ = try connection.execute("INSERT INTO t VALUES (1)") }
            #expect(throws: Abort.self) {
                try connection.transaction {
                    _ = try connection.execute("INSERT INTO t VALUES (2)")
                    throw Abort()
                }
            }
            try connection.transaction {
                _ = try connection.execute("INSERT INTO t VALUES (3)")
                #expect(connection.isInTransaction)
                #expect(throws: Abort.self) {
                    try connection.transaction {
                        _ = try connection.execute("INSERT INTO t VALUES (4)")
                        throw Abort()
                    }
                }
                try connection.transaction { _ = try connection.execute("INSERT INTO t VALUES (5)") }
            }
            #expect(!connection.isInTransaction)
            #expect(try connection.execute("SELECT a FROM t ORDER BY a").rows == [[.integer(1)], [.integer(3)], [.integer(5)]])
        }
    }

    @Test("a deferred foreign key still violated fails the commit and rolls back")
    func deferredForeignKeyAtCommit() async throws {
        try await withConnection { connection, _ in
            _ = try connection.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
            _ = try connection.execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent(id))")
            #expect(throws: SQLiteError.self) {
                try connection.transaction {
                    _ = try connection.execute("PRAGMA defer_foreign_keys = ON")
                    _ = try connection.execute("INSERT INTO child VALUES (7)")
                }
            }
            #expect(!connection.isInTransaction)
            #expect(try connection.execute("SELECT count(*) FROM child").rows == [[.integer(0)]])
        }
    }

    @Test("storage classes round-trip exactly, including empty text and empty BLOBs")
    func valuesRoundTrip() async throws {
        try await withConnection { connection, _ in
            let values: [SQLiteValue] = [
                .null, .integer(Int64.max), .integer(Int64.min), .integer(9_007_199_254_740_993), .real(3.141),
                .text(""), .text("🙈 漢字 é"), .blob([]), .blob([0, 1, 255]),
            ]
            let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
            #expect(try connection.execute("SELECT \(placeholders)", values).rows == [values])
            let types = try connection.execute("SELECT typeof(?), typeof(?), typeof(?)", [.text(""), .blob([]), .null])
            #expect(types.rows == [[.text("text"), .text("blob"), .text("null")]])
        }
    }

    @Test("rows read and written match Miniflare's examples")
    func rowCounters() async throws {
        try await withConnection { connection, _ in
            _ = try connection.execute("CREATE TABLE colours (id INTEGER PRIMARY KEY, name TEXT NOT NULL, rgb INTEGER NOT NULL)")
            for id in 1...3 {
                let insert = try connection.execute(
                    "INSERT INTO colours (id, name, rgb) VALUES (?, 'c', 0)", [.integer(Int64(id))])
                #expect((insert.rowsRead, insert.rowsWritten) == (1, 1))
            }
            let select = try connection.execute("SELECT * FROM colours")
            #expect((select.rowsRead, select.rowsWritten) == (3, 0))
            let returning = try connection.execute("INSERT INTO colours (id, name, rgb) VALUES (4, 'y', 1) RETURNING *")
            #expect((returning.rowsRead, returning.rowsWritten) == (2, 1))
            let byKey = try connection.execute("SELECT * FROM colours WHERE id = 1; SELECT * FROM colours WHERE id = 3")
            #expect((byKey.rowsRead, byKey.rowsWritten) == (1, 0))
            let update = try connection.execute("UPDATE colours SET name = 'z'")
            #expect(update.rowsWritten == 4)
        }
    }

    @Test("a locked database makes a writer wait, then fail with SQLITE_BUSY past the timeout")
    func busyDatabase() async throws {
        try await withConnection { connection, path in
            _ = try connection.execute("CREATE TABLE t (a)")
            let patient = try Connection(path: path, configuration: .init(busyTimeout: .seconds(5)))
            let impatient = try Connection(path: path, configuration: .init(busyTimeout: .milliseconds(50)))
            defer {
                patient.close()
                impatient.close()
            }
            try connection.transaction {
                _ = try connection.execute("INSERT INTO t VALUES (1)")
                do {
                    try impatient.transaction { _ = try impatient.execute("INSERT INTO t VALUES (2)") }
                    Issue.record("expected SQLITE_BUSY")
                } catch let error as SQLiteError {
                    #expect(error.isBusy)
                    #expect(error.description == "database is locked: SQLITE_BUSY")
                }
            }
            // The holder commits while `patient` waits in SQLite's busy handler.
            let holder = UncheckedSendable(try Connection(path: path))
            holder.value.authorization = .trusted
            _ = try holder.value.execute("BEGIN IMMEDIATE")
            let release = Thread {
                Thread.sleep(forTimeInterval: 0.2)
                _ = try? holder.value.execute("COMMIT")
            }
            let start = ContinuousClock.now
            release.start()
            try patient.transaction { _ = try patient.execute("INSERT INTO t VALUES (3)") }
            #expect(start.duration(to: .now) >= .milliseconds(150))
            #expect(try connection.execute("SELECT a FROM t ORDER BY a").rows == [[.integer(1)], [.integer(3)]])
            holder.value.close()
        }
    }

    @Test("serialize returns a database image and databaseSize counts used pages")
    func serializeAndSize() async throws {
        try await withConnection { connection, _ in
            _ = try connection.execute("CREATE TABLE t (a)")
            _ = try connection.execute("INSERT INTO t VALUES (randomblob(10000))")
            let image = try connection.serialize()
            #expect(Array(image.prefix(16)) == Array("SQLite format 3\0".utf8))
            let pages = try connection.withAuthorization(.trusted) { () throws(SQLiteError) in
                try connection.execute("SELECT page_count, freelist_count, page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()").rows[0]
            }
            guard case .integer(let count) = pages[0], case .integer(let free) = pages[1], case .integer(let size) = pages[2]
            else { throw SQLiteError(code: 1, message: "unexpected pragma result") }
            #expect(try connection.databaseSize() == (count - free) * size)
            #expect(image.count == Int(count * size))
        }
    }

    @Test("defensive mode stops even trusted SQL from writing the schema table")
    func defensiveMode() async throws {
        try await withConnection { connection, _ in
            _ = try connection.execute("CREATE TABLE t (a)")
            connection.authorization = .trusted
            _ = try connection.execute("PRAGMA writable_schema = ON")
            await expectError("table sqlite_master may not be modified: SQLITE_ERROR") {
                _ = try connection.execute("UPDATE sqlite_master SET sql = 'garbage'")
            }
        }
    }

    @Test("a closed connection refuses work")
    func closed() async throws {
        try await withConnection { connection, _ in
            connection.close()
            connection.close()
            #expect(connection.isClosed)
            await expectError("The database connection is closed.") { _ = try connection.execute("SELECT 1") }
        }
    }
}
