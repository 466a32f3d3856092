import EdgeD1
import Foundation
import Testing

@Suite("D1 migrations")
struct D1MigrationsTests {
    private func write(_ files: [String: String], in directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    @Test("create numbers files from 0001, turns spaces into _, and writes wrangler's header")
    func create() async throws {
        try await withDatabase { db, root in
            let directory = root.appendingPathComponent("migrations")
            let migrations = D1Migrations(database: db, directory: directory)
            let date = Date(timeIntervalSince1970: 1_767_225_600.123)
            let first = try migrations.create(message: "create orders table", date: date)
            #expect(first.lastPathComponent == "0001_create_orders_table.sql")
            #expect(try String(contentsOf: first, encoding: .utf8) == "-- Migration number: 0001 \t 2026-01-01T00:00:00.123Z\n")
            try write(["0009_x.sql": "", "notes.sql": ""], in: directory)
            #expect(try migrations.create(message: "next").lastPathComponent == "0010_next.sql")
            await expectError("The migration name \"a/b\" contains a path separator (\"/\" or \"\\\"). Please remove this and try again.") {
                _ = try migrations.create(message: "a/b")
            }
            await expectError(startingWith: "The migration name \"a\\b\" contains a path separator") {
                _ = try migrations.create(message: "a\\b")
            }
        }
    }

    @Test("list orders pending files numerically, then by name, unnumbered last")
    func list() async throws {
        try await withDatabase { db, root in
            let directory = root.appendingPathComponent("migrations")
            try write(
                [
                    "10_c.sql": "", "9_b.sql": "", "1_a.sql": "", "0002_b2.sql": "", "seed.sql": "", "0002_a2.sql": "",
                    "readme.md": "", ".hidden.sql": "",
                ], in: directory)
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("dir.sql"), withIntermediateDirectories: true)
            let migrations = D1Migrations(database: db, directory: directory)
            #expect(
                try await migrations.list() == ["1_a.sql", "0002_a2.sql", "0002_b2.sql", "9_b.sql", "10_c.sql", "seed.sql"])
            #expect(try await migrations.applied() == [])
            let columns = try await db.prepare("PRAGMA table_info(d1_migrations)").all().results.map { $0["name"] }
            #expect(columns == ["id", "name", "applied_at"])
        }
    }

    @Test("apply runs pending migrations in order, records them, and re-applying does nothing")
    func apply() async throws {
        try await withDatabase { db, root in
            let directory = root.appendingPathComponent("migrations")
            try write(
                [
                    "0001_users.sql": """
                        -- Migration number: 0001
                        CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL);
                        CREATE TRIGGER users_lower AFTER INSERT ON users BEGIN
                          UPDATE users SET email = lower(email) WHERE id = new.id;
                        END;
                        """,
                    "0002_seed.sql": """
                        INSERT INTO users (email) VALUES ('A@EXAMPLE.COM');
                        """,
                    "10_index.sql": "CREATE INDEX users_email ON users (email);",
                ], in: directory)
            let migrations = D1Migrations(database: db, directory: directory)
            var progress: [String] = []
            let applied = try await migrations.apply { progress.append($0) }
            #expect(applied == ["0001_users.sql", "0002_seed.sql", "10_index.sql"])
            #expect(progress == applied)
            #expect(try await migrations.applied().map(\.name) == applied)
            #expect(try await migrations.applied().map(\.id) == [1, 2, 3])
            #expect(try await migrations.applied().allSatisfy { $0.appliedAt.count == 19 })
            #expect(try await db.prepare("SELECT email FROM users").first("email") == "a@example.com")
            #expect(try await migrations.list() == [])
            #expect(try await migrations.apply() == [])
        }
    }

    @Test("a failing migration leaves no trace, keeps earlier ones, and stops the run")
    func atomicFailure() async throws {
        try await withDatabase { db, root in
            let directory = root.appendingPathComponent("migrations")
            try write(
                [
                    "0001_ok.sql": "CREATE TABLE a (x);",
                    "0002_bad.sql": "CREATE TABLE b (x);\nINSERT INTO nope VALUES (1);",
                    "0003_later.sql": "CREATE TABLE c (x);",
                ], in: directory)
            let migrations = D1Migrations(database: db, directory: directory)
            do {
                try await migrations.apply()
                Issue.record("expected the second migration to fail")
            } catch let error as D1MigrationError {
                #expect(error.migration == "0002_bad.sql")
                #expect(error.d1Error?.description == "D1_ERROR: no such table: nope: SQLITE_ERROR")
                #expect(
                    error.description
                        == "Migration 0002_bad.sql failed with the following errors:\nD1_ERROR: no such table: nope: SQLITE_ERROR")
            }
            #expect(try await migrations.applied().map(\.name) == ["0001_ok.sql"])
            let tables = try await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b', 'c')")
                .raw()
            #expect(tables == [["a"]])
            #expect(try await migrations.list() == ["0002_bad.sql", "0003_later.sql"])

            try "CREATE TABLE b (x);".write(to: directory.appendingPathComponent("0002_bad.sql"), atomically: true, encoding: .utf8)
            #expect(try await migrations.apply() == ["0002_bad.sql", "0003_later.sql"])
        }
    }

    @Test("a migration with its own BEGIN (not BEGIN TRANSACTION) is refused as in production")
    func migrationWithBegin() async throws {
        try await withDatabase { db, root in
            let directory = root.appendingPathComponent("migrations")
            try write(["0001_tx.sql": "BEGIN;\nCREATE TABLE t (a);\nCOMMIT;"], in: directory)
            let migrations = D1Migrations(database: db, directory: directory)
            await expectError("Migration 0001_tx.sql failed with the following errors:\nD1_ERROR: \(transactionRefusal)") {
                try await migrations.apply()
            }
        }
    }

    @Test("a custom table and file names with quotes work")
    func customTable() async throws {
        try await withDatabase { db, root in
            let directory = root.appendingPathComponent("db", isDirectory: true)
            try write(["0001_it's.sql": "CREATE TABLE t (a);"], in: directory)
            let migrations = D1Migrations(database: db, directory: directory, table: "schema \"history\"")
            #expect(try await migrations.apply() == ["0001_it's.sql"])
            #expect(try await db.prepare("SELECT name FROM \"schema \"\"history\"\"\"").first("name") == "0001_it's.sql")
        }
    }

    @Test("a missing migrations directory is an error naming it")
    func missingDirectory() async throws {
        try await withDatabase { db, root in
            let directory = root.appendingPathComponent("nowhere")
            let migrations = D1Migrations(database: db, directory: directory)
            await expectError("No migrations present at \(directory.path).") { _ = try await migrations.list() }
            await expectError("No migrations present at \(directory.path).") { try await migrations.apply() }
        }
    }
}
