import EdgeD1
import EdgeSQLite
import Foundation
import Testing

@Suite("D1Database")
struct D1DatabaseTests {
    @Test("the state layout is <root>/d1/<database>.sqlite, created with its directories")
    func stateLayout() async throws {
        try await withTemporaryDirectory { root in
            let path = D1Database.path(stateRoot: root.appendingPathComponent("state"), databaseName: "orders")
            #expect(path.path == root.path + "/state/d1/orders.sqlite")
            let db = try D1Database(path: path, name: "orders")
            try await db.exec("CREATE TABLE t (a)")
            db.close()
            #expect(FileManager.default.fileExists(atPath: path.path))
        }
    }

    @Test("batch runs statements in order and returns one result each")
    func batch() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let insert = db.prepare("INSERT INTO colours (id, name, rgb) VALUES (?, ?, ?)")
            let results = try await db.batch([try insert.bind(4, "yellow", 0xffff00), db.prepare("SELECT name FROM colours")])
            #expect(results.count == 2)
            #expect(results[0].success && results[0].results == [])
            #expect(results[1].results.map { $0["name"] } == ["red", "green", "blue", "yellow"])
        }
    }

    @Test("a failing statement rolls the whole batch back")
    func batchRollback() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let insert = db.prepare("INSERT INTO colours (id, name, rgb) VALUES (?, ?, ?)")
            await expectError("D1_ERROR: near \"PUT\": syntax error at offset 0: SQLITE_ERROR") {
                try await db.batch([
                    try insert.bind(5, "purple", 0xff00ff),
                    try db.prepare("PUT IN colours (id, name, rgb) VALUES (?, ?, ?)").bind(6, "blurple", 0x5865f2),
                    try insert.bind(7, "cyan", 0x00ffff),
                ])
            }
            await expectError("D1_ERROR: UNIQUE constraint failed: colours.id: SQLITE_CONSTRAINT") {
                try await db.batch([try insert.bind(8, "grey", 0), try insert.bind(1, "again", 0)])
            }
            let count = try await db.prepare("SELECT count(*) AS n FROM colours").first("n")
            #expect(count == 3)
        }
    }

    @Test("an empty batch, or one of only comments, has no statements")
    func emptyBatch() async throws {
        try await withDatabase { db, _ in
            await expectError("D1_ERROR: No SQL statements detected.") { try await db.batch([]) }
            await expectError("D1_ERROR: No SQL statements detected.") {
                try await db.batch([db.prepare("-- only a comment"), db.prepare("   ")])
            }
            let results = try await db.batch([db.prepare("-- comment"), db.prepare("SELECT 1 AS one")])
            #expect(results.count == 1)
            await expectError("D1_ERROR: No SQL statements detected.") { _ = try await db.prepare("").all() }
        }
    }

    @Test("exec runs each line as a query and counts them")
    func exec() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let single = try await db.exec("UPDATE colours SET name = 'Red' WHERE name = 'red'")
            #expect(single.count == 1)
            #expect(single.duration >= 0)
            let multiple = try await db.exec("""
                UPDATE colours SET name = 'Green' WHERE name = 'green'

                -- a comment line
                UPDATE colours SET name = 'Blue' WHERE name = 'blue'
                """)
            #expect(multiple.count == 2)
            #expect(try await db.prepare("SELECT name FROM colours").raw() == [["Red"], ["Green"], ["Blue"]])
        }
    }

    @Test("exec errors name the line, and nothing from the call is kept")
    func execErrors() async throws {
        try await withDatabase(seeded: true) { db, _ in
            await expectError("D1_EXEC_ERROR: Error in line 3: INSERT INTO nope VALUES (1): no such table: nope: SQLITE_ERROR") {
                try await db.exec("""
                    INSERT INTO colours (id, name, rgb) VALUES (10, 'x', 0)

                    INSERT INTO nope VALUES (1)
                    """)
            }
            let count = try await db.prepare("SELECT count(*) AS n FROM colours").first("n")
            #expect(count == 3)
            await expectError("D1_EXEC_ERROR: Error in line 1: CREATE TABLE t (: incomplete input: SQLITE_ERROR") {
                try await db.exec("CREATE TABLE t (\n  a INTEGER\n)")
            }
            await expectError("D1_EXEC_ERROR: Error in line 1: : No SQL statements detected.") { try await db.exec("  ") }
        }
    }

    @Test("dump returns a SQLite image holding the data")
    func dump() async throws {
        try await withDatabase(seeded: true) { db, root in
            let image = try await db.dump()
            #expect(Array(image.prefix(16)) == Array("SQLite format 3\0".utf8))
            let copy = root.appendingPathComponent("copy.sqlite")
            try Data(image).write(to: copy)
            let reopened = try D1Database(path: copy, name: "copy")
            defer { reopened.close() }
            #expect(try await reopened.prepare("SELECT name FROM colours WHERE id = 2").first("name") == "green")
        }
    }

    @Test("dump works on a database without tables")
    func dumpEmpty() async throws {
        try await withDatabase { db, _ in
            let image = try await db.dump()
            #expect(image.count >= 4096)
            #expect(Array(image.prefix(16)) == Array("SQLite format 3\0".utf8))
        }
    }

    @Test("a closed database refuses calls")
    func closed() async throws {
        try await withDatabase { db, _ in
            db.close()
            db.close()
            await expectError("D1_ERROR: D1 database 'test' is closed.") { _ = try await db.prepare("SELECT 1").all() }
        }
    }

    @Test("data persists across closing and reopening the same file")
    func persistence() async throws {
        try await withTemporaryDirectory { root in
            let path = D1Database.path(stateRoot: root, databaseName: "DB")
            let first = try D1Database(path: path, name: "DB")
            try await first.exec(miniflareSchema)
            try await first.prepare("INSERT INTO colours (id, name, rgb) VALUES (4, ?, 1)").bind("teal 🐟").run()
            first.close()
            let second = try D1Database(path: path, name: "DB")
            defer { second.close() }
            #expect(try await second.prepare("SELECT name FROM colours WHERE id = 4").first("name") == "teal 🐟")
            #expect(try await second.prepare("SELECT count(*) AS n FROM palettes").first("n") == 1)
        }
    }

    @Test("two databases on the same file see each other's commits")
    func sharedFile() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let other = try D1Database(path: db.path, name: "other")
            defer { other.close() }
            try await other.prepare("INSERT INTO colours (id, name, rgb) VALUES (4, 'from other', 0)").run()
            #expect(try await db.prepare("SELECT name FROM colours WHERE id = 4").first("name") == "from other")
        }
    }

    @Test("a writer holding the lock briefly makes a query wait, not fail")
    func waitsForLock() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let holder = UncheckedSendable(try Connection(path: db.path.path))
            holder.value.authorization = .trusted
            _ = try holder.value.execute("BEGIN IMMEDIATE")
            _ = try holder.value.execute("INSERT INTO colours (id, name, rgb) VALUES (10, 'held', 0)")
            let release = Thread {
                Thread.sleep(forTimeInterval: 0.3)
                _ = try? holder.value.execute("COMMIT")
                holder.value.close()
            }
            let start = ContinuousClock.now
            release.start()
            try await db.prepare("INSERT INTO colours (id, name, rgb) VALUES (11, 'waited', 0)").run()
            #expect(start.duration(to: .now) >= .milliseconds(200))
            #expect(try await db.prepare("SELECT name FROM colours WHERE id >= 10 ORDER BY id").raw() == [["held"], ["waited"]])
        }
    }

    @Test("a lock held past the busy timeout is D1_ERROR: database is locked")
    func busyTimeout() async throws {
        try await withDatabase(seeded: true, busyTimeout: .milliseconds(100)) { db, _ in
            let holder = try Connection(path: db.path.path)
            defer { holder.close() }
            holder.authorization = .trusted
            _ = try holder.execute("BEGIN IMMEDIATE")
            do {
                _ = try await db.prepare("INSERT INTO colours (id, name, rgb) VALUES (12, 'late', 0)").run()
                Issue.record("expected SQLITE_BUSY")
            } catch let error as D1Error {
                #expect(error.description == "D1_ERROR: database is locked: SQLITE_BUSY")
                #expect(error.kind == .error)
                #expect(error.sqliteCode == "SQLITE_BUSY")
            }
            _ = try holder.execute("ROLLBACK")
            try await db.prepare("INSERT INTO colours (id, name, rgb) VALUES (12, 'late', 0)").run()
        }
    }

    @Test("executeScript runs every statement atomically")
    func executeScript() async throws {
        try await withDatabase { db, _ in
            let results = try await db.executeScript("""
                PRAGMA foreign_keys=OFF;
                CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
                INSERT INTO notes VALUES (1, 'semi;colon -- not a comment');
                CREATE TABLE log (note_id INTEGER);
                CREATE TRIGGER notes_log AFTER INSERT ON notes BEGIN
                  INSERT INTO log VALUES (new.id);
                END;
                /* block; comment */ INSERT INTO notes VALUES (2, 'two');
                SELECT body FROM notes ORDER BY id;
                """)
            #expect(results.count == 7)
            #expect(results.last?.results.map { $0["body"] } == ["semi;colon -- not a comment", "two"])
            #expect(try await db.prepare("SELECT note_id FROM log").raw() == [[2]])

            await expectError("D1_ERROR: no such table: missing: SQLITE_ERROR") {
                try await db.executeScript("INSERT INTO notes VALUES (3, 'three'); INSERT INTO missing VALUES (1);")
            }
            #expect(try await db.prepare("SELECT count(*) AS n FROM notes").first("n") == 2)
            await expectError("D1_ERROR: \(transactionRefusal)") { try await db.executeScript("BEGIN; SELECT 1; COMMIT;") }
            await expectError("D1_ERROR: No SQL statements detected.") { try await db.executeScript("-- nothing here\n") }
        }
    }

    @Test("each statement of a script has its own length limit")
    func scriptStatementLimits() async throws {
        try await withDatabase { db, _ in
            let insert = "INSERT INTO t VALUES ('\(String(repeating: "a", count: 60_000))');"
            let results = try await db.executeScript("CREATE TABLE t (a);\n" + insert + "\n" + insert)
            #expect(results.count == 3)
            await expectError("D1_ERROR: statement too long: SQLITE_TOOBIG") {
                _ = try await db.prepare(insert + insert).run()
            }
        }
    }
}
