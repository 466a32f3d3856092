import EdgeD1
import EdgeSQLite
import Foundation
import Testing

@Suite("D1 errors and limits")
struct D1ErrorTests {
    @Test("SQL errors read D1_ERROR: <message>: SQLITE_<CODE>")
    func sqlErrors() async throws {
        try await withDatabase { db, _ in
            await expectError("D1_ERROR: no such table: users: SQLITE_ERROR") {
                _ = try await db.prepare("SELECT * FROM users").all()
            }
            try await db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL)")
            try await db.prepare("INSERT INTO users (email) VALUES (?)").bind("a@example.com").run()
            do {
                try await db.prepare("INSERT INTO users (email) VALUES (?)").bind("a@example.com").run()
                Issue.record("expected a UNIQUE violation")
            } catch let error as D1Error {
                #expect(error.description == "D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT")
                #expect(error.kind == .error)
                #expect(error.kind.prefix == "D1_ERROR")
                #expect(error.message == "UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT")
                #expect(error.sqliteExtendedCode == "SQLITE_CONSTRAINT_UNIQUE")
                #expect(error.localizedDescription == error.description)
            }
            await expectError("D1_ERROR: NOT NULL constraint failed: users.email: SQLITE_CONSTRAINT") {
                try await db.prepare("INSERT INTO users (email) VALUES (NULL)").run()
            }
        }
    }

    @Test("each kind carries D1's prefix")
    func prefixes() {
        let kinds: [(D1Error.Kind, String)] = [
            (.error, "D1_ERROR"), (.typeError, "D1_TYPE_ERROR"), (.columnNotFound, "D1_COLUMN_NOTFOUND"),
            (.execError, "D1_EXEC_ERROR"), (.dumpError, "D1_DUMP_ERROR"),
        ]
        for (kind, prefix) in kinds {
            let error = D1Error(kind, "details")
            #expect(error.description == "\(prefix): details")
            #expect(error.kind == kind)
            #expect(error.message == "details")
            #expect(error.sqliteCode == nil)
        }
    }

    @Test("BEGIN and SAVEPOINT are refused with workerd's text", arguments: [
        "BEGIN TRANSACTION", "BEGIN", "SAVEPOINT sp", "COMMIT", "ROLLBACK", "RELEASE sp",
    ])
    func transactionsRefused(sql: String) async throws {
        try await withDatabase { db, _ in
            await expectError("D1_ERROR: \(transactionRefusal)") { _ = try await db.prepare(sql).run() }
            await expectError("D1_EXEC_ERROR: Error in line 1: \(sql): \(transactionRefusal)") { try await db.exec(sql) }
        }
    }

    @Test("_cf_ names are reserved")
    func reservedNames() async throws {
        try await withDatabase { db, _ in
            for sql in ["CREATE TABLE _cf_KV (a)", "CREATE TABLE _CF_mine (a)", "CREATE VIEW _cf_view AS SELECT 1"] {
                await expectError("D1_ERROR: not authorized: SQLITE_AUTH") { _ = try await db.prepare(sql).run() }
            }
            // A table the runtime made (as Durable Object storage makes _cf_KV) stays out of reach.
            let runtime = try Connection(path: db.path.path)
            runtime.authorization = .trusted
            _ = try runtime.execute("CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB)")
            runtime.close()
            await expectError("D1_ERROR: access to _cf_KV.key is prohibited: SQLITE_AUTH") {
                _ = try await db.prepare("SELECT key FROM _cf_KV").all()
            }
            await expectError("D1_ERROR: not authorized: SQLITE_AUTH") {
                _ = try await db.prepare("INSERT INTO _cf_KV VALUES ('k', NULL)").run()
            }
            try await db.exec("CREATE TABLE cf_fine (a)")
        }
    }

    @Test("foreign keys are enforced")
    func foreignKeys() async throws {
        try await withDatabase(seeded: true) { db, _ in
            await expectError("D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT") {
                try await db.prepare("INSERT INTO palettes (id, name, colour_id) VALUES (2, 'Day', 99)").run()
            }
            await expectError("D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT") {
                try await db.prepare("DELETE FROM colours WHERE id = 3").run()
            }
            // PRAGMA foreign_keys cannot change inside D1's implicit transaction.
            try await db.prepare("PRAGMA foreign_keys = OFF").run()
            #expect(try await db.prepare("PRAGMA foreign_keys").first("foreign_keys") == 1)
            // defer_foreign_keys holds the check until the query's transaction ends.
            await expectError("D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT") {
                try await db.batch([
                    db.prepare("PRAGMA defer_foreign_keys = ON"),
                    db.prepare("INSERT INTO palettes (id, name, colour_id) VALUES (3, 'Dusk', 4)"),
                ])
            }
            let results = try await db.batch([
                db.prepare("PRAGMA defer_foreign_keys = ON"),
                db.prepare("INSERT INTO palettes (id, name, colour_id) VALUES (3, 'Dusk', 4)"),
                db.prepare("INSERT INTO colours (id, name, rgb) VALUES (4, 'dusk', 0)"),
            ])
            #expect(results.count == 3)
        }
    }

    @Test("PRAGMAs outside D1's allowlist are refused")
    func pragmas() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let columns = try await db.prepare("PRAGMA table_info(colours)").all()
            #expect(columns.results.map { $0["name"] } == ["id", "name", "rgb"])
            let tables = try await db.prepare("PRAGMA table_list").raw().compactMap { $0[1].stringValue }
            #expect(tables.contains("colours"))
            for sql in ["PRAGMA journal_mode = DELETE", "PRAGMA page_size = 8192", "PRAGMA user_version = 3"] {
                await expectError("D1_ERROR: not authorized: SQLITE_AUTH") { try await db.prepare(sql).run() }
            }
        }
    }

    @Test("100 bound parameters pass, 101 do not")
    func parameterLimit() async throws {
        try await withDatabase { db, _ in
            let hundred = "SELECT " + Array(repeating: "?", count: 100).joined(separator: ", ")
            let row = try await db.prepare(hundred).bind((1...100).map { $0 as (any D1Bindable)? }).raw()
            #expect(row.first?.count == 100)
            let hundredAndOne = hundred + ", ?"
            await expectError("D1_ERROR: too many SQL variables at offset 307: SQLITE_ERROR") {
                _ = try await db.prepare(hundredAndOne).bind((1...101).map { $0 as (any D1Bindable)? }).raw()
            }
            await expectError("D1_ERROR: variable number must be between ?1 and ?100 at offset 7: SQLITE_ERROR") {
                _ = try await db.prepare("SELECT ?101").bind(1).raw()
            }
        }
    }

    @Test("a 100 000-byte statement passes, 100 001 bytes do not")
    func statementLength() async throws {
        try await withDatabase { db, _ in
            let head = "SELECT 1 AS one"
            let atLimit = head + String(repeating: " ", count: 100_000 - head.utf8.count)
            #expect(atLimit.utf8.count == 100_000)
            let one = try await db.prepare(atLimit).first("one")
            #expect(one == 1)
            await expectError("D1_ERROR: statement too long: SQLITE_TOOBIG") {
                _ = try await db.prepare(atLimit + " ").first()
            }
        }
    }

    @Test("a 2 000 000-byte string or BLOB passes, 2 000 001 bytes do not")
    func valueLength() async throws {
        try await withDatabase { db, _ in
            let atLimit = String(repeating: "a", count: 2_000_000)
            let length = try await db.prepare("SELECT length(?) AS n").bind(atLimit).first("n")
            #expect(length == 2_000_000)
            await expectError("D1_ERROR: string or blob too big: SQLITE_TOOBIG") {
                _ = try await db.prepare("SELECT length(?) AS n").bind(atLimit + "a").first()
            }
            let bytes = [UInt8](repeating: 7, count: 2_000_000)
            let blobLength = try await db.prepare("SELECT length(?) AS n").bind(bytes).first("n")
            #expect(blobLength == 2_000_000)
            await expectError("D1_ERROR: string or blob too big: SQLITE_TOOBIG") {
                _ = try await db.prepare("SELECT length(?) AS n").bind(bytes + [7]).first()
            }
            await expectError("D1_ERROR: string or blob too big: SQLITE_TOOBIG") {
                _ = try await db.prepare("SELECT zeroblob(2000001)").first()
            }
        }
    }

    @Test("a row is limited to 2 000 000 bytes too")
    func rowLength() async throws {
        try await withDatabase { db, _ in
            try await db.exec("CREATE TABLE docs (a TEXT, b TEXT)")
            let underHalf = String(repeating: "x", count: 999_990)
            try await db.prepare("INSERT INTO docs VALUES (?, ?)").bind(underHalf, underHalf).run()
            let half = String(repeating: "x", count: 1_000_000)
            await expectError("D1_ERROR: string or blob too big: SQLITE_TOOBIG") {
                try await db.prepare("INSERT INTO docs VALUES (?, ?)").bind(half, half).run()
            }
        }
    }

    @Test("other limits: columns, function arguments, LIKE patterns, compound SELECTs")
    func otherLimits() async throws {
        try await withDatabase { db, _ in
            let columns = (1...101).map { "c\($0)" }.joined(separator: ", ")
            await expectError("D1_ERROR: too many columns on t: SQLITE_ERROR") {
                try await db.prepare("CREATE TABLE t (\(columns))").run()
            }
            let arguments = Array(repeating: "1", count: 33).joined(separator: ", ")
            await expectError(startingWith: "D1_ERROR: too many arguments on function max") {
                _ = try await db.prepare("SELECT max(\(arguments))").first()
            }
            let maximum = try await db.prepare("SELECT max(\(Array(repeating: "1", count: 32).joined(separator: ", "))) AS m").first("m")
            #expect(maximum == 1)
            await expectError("D1_ERROR: LIKE or GLOB pattern too complex: SQLITE_ERROR") {
                _ = try await db.prepare("SELECT 'a' LIKE ?").bind(String(repeating: "a", count: 51)).first()
            }
            await expectError("D1_ERROR: too many terms in compound SELECT: SQLITE_ERROR") {
                _ = try await db.prepare((1...6).map { "SELECT \($0)" }.joined(separator: " UNION ")).first()
            }
        }
    }
}
