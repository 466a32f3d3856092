import Foundation
import Testing

/// `edge d1 export` then `edge d1 execute --file` into an empty database gives the same
/// database, through the real `edge` binary.
@Suite(.serialized) struct D1ExportTests {
    /// Tricky data: quoted names, a child table made before its parent (rows need deferred
    /// foreign keys), a table without affinity keeping rowid gaps, REAL vs INTEGER, integers past
    /// 2^53, infinities, NULLs, blobs, quotes, newlines and carriage returns, a literal `\n`,
    /// a NUL inside text, unicode, AUTOINCREMENT, WITHOUT ROWID, partial indexes, a view with an
    /// INSTEAD OF trigger, and rows far over the 100 000-byte statement limit.
    static let setup = #"""
        CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE, v);
        CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE "Quoted ""Table""" (id INTEGER PRIMARY KEY AUTOINCREMENT, "we'ird" TEXT, note TEXT DEFAULT 'x');
        CREATE TABLE loose (a, b, c);
        CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;
        CREATE TABLE big (id INTEGER PRIMARY KEY, t TEXT, b BLOB);
        CREATE TABLE log (msg TEXT);
        CREATE INDEX child_parent ON child(parent_id);
        CREATE UNIQUE INDEX loose_a ON loose(a) WHERE a IS NOT NULL;
        CREATE VIEW parent_names AS SELECT name FROM parent;
        CREATE TRIGGER parent_insert AFTER INSERT ON parent BEGIN INSERT INTO log VALUES ('parent ' || new.name); END;
        CREATE TRIGGER names_insert INSTEAD OF INSERT ON parent_names BEGIN INSERT INTO parent (name) VALUES (new.name); END;
        INSERT INTO parent_names VALUES ('ünïcødé 日本語 🎉');
        INSERT INTO parent_names VALUES ('it''s "quoted"');
        INSERT INTO child (parent_id, v) VALUES (1, 1.0), (2, 2), (1, NULL), (2, X'00ff10'), (1, 'text');
        INSERT INTO "Quoted ""Table""" ("we'ird") VALUES ('a'), ('b'), ('c');
        DELETE FROM "Quoted ""Table""" WHERE id = 3;
        INSERT INTO loose VALUES (1, 1.0, NULL), (2, 0.1, 9007199254740993), (3, 1e308, -9e999);
        INSERT INTO loose VALUES ('line1
        line2' || char(13) || char(10) || 'end', 'back\n slash \012 (\n0)', CAST(X'610062' AS TEXT));
        INSERT INTO loose VALUES (NULL, X'', '');
        DELETE FROM loose WHERE a = 2;
        INSERT INTO kv VALUES ('a', X''), ('b', NULL), ('big', randomblob(300000));
        INSERT INTO big VALUES (1, 'start' || char(10) || replace(hex(zeroblob(200000)), '0', 'é') || '''end', randomblob(1000000));
        INSERT INTO big VALUES (2, replace(hex(zeroblob(60000)), '0', 'ab'), NULL);
        """#

    /// Queries whose results, taken through `edge d1 execute --json`, must match.
    static let checks = [
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
        "SELECT id, parent_id, quote(v), typeof(v) FROM child ORDER BY id",
        "SELECT id, name FROM parent ORDER BY id",
        #"SELECT id, quote("we'ird"), quote(note) FROM "Quoted ""Table""" ORDER BY id"#,
        "SELECT rowid, quote(a), quote(b), quote(c), typeof(a), typeof(b), typeof(c) FROM loose ORDER BY rowid",
        "SELECT quote(k), quote(v) FROM kv ORDER BY k",
        "SELECT id, quote(t), length(t), length(b), hex(substr(b, 1, 500000)), hex(substr(b, 500001)), typeof(b) FROM big ORDER BY id",
        "SELECT rowid, msg FROM log ORDER BY rowid",
        "SELECT name, seq FROM sqlite_sequence ORDER BY name",
        "PRAGMA foreign_key_check",
    ]

    @Test func exportThenImportGivesTheSameDatabase() async throws {
        try await withTemporaryDirectory { directory in
            let source = directory.appendingPathComponent("source").path
            let target = directory.appendingPathComponent("target").path
            let setupFile = directory.appendingPathComponent("setup.sql")
            try Self.setup.write(to: setupFile, atomically: true, encoding: .utf8)
            let setup = try await EdgeProcess.run(["d1", "execute", "DB", "--file", setupFile.path, "--persist-to", source])
            #expect(setup.status == 0, "\(setup.stderr)")

            let dump = directory.appendingPathComponent("dump.sql")
            let export = try await EdgeProcess.run(["d1", "export", "DB", "--output", dump.path, "--persist-to", source])
            #expect(export.status == 0, "\(export.stderr)")
            #expect(export.stdout.contains("🌀 Exporting SQL to \(dump.path)..."))
            #expect(export.stdout.hasSuffix("Done!\n"))
            let sql = try String(contentsOf: dump, encoding: .utf8)
            #expect(sql.hasPrefix("PRAGMA defer_foreign_keys=TRUE;\n"))
            #expect(sql.components(separatedBy: "\n").allSatisfy { $0.utf8.count < 100_000 }, "every statement fits production's limit")

            let imported = try await EdgeProcess.run(["d1", "execute", "DB", "--file", dump.path, "--persist-to", target])
            #expect(imported.status == 0, "\(imported.stderr)")
            for check in Self.checks {
                let before = try await results(check, in: source)
                let after = try await results(check, in: target)
                let same = before == after
                #expect(same, "\(check): \(before.prefix(300)) ... versus \(after.prefix(300)) ...")
                #expect(before != "[]" || check.hasPrefix("PRAGMA"), "\(check) returned rows")
            }
        }
    }

    @Test func tablesAndSchemaOrDataOnly() async throws {
        try await withTemporaryDirectory { directory in
            let state = directory.appendingPathComponent("state").path
            let setupFile = directory.appendingPathComponent("setup.sql")
            try Self.setup.write(to: setupFile, atomically: true, encoding: .utf8)
            #expect(try await EdgeProcess.run(["d1", "execute", "DB", "--file", setupFile.path, "--persist-to", state]).status == 0)
            let file = directory.appendingPathComponent("parent.sql")
            let schema = try await EdgeProcess.run(["d1", "export", "DB", "--output", file.path, "--table", "parent", "--no-data", "--persist-to", state])
            #expect(schema.status == 0, "\(schema.stderr)")
            let schemaSQL = try String(contentsOf: file, encoding: .utf8)
            #expect(schemaSQL.contains("CREATE TABLE parent"))
            #expect(schemaSQL.contains("CREATE TRIGGER parent_insert"), "the table's own trigger comes with it")
            #expect(!schemaSQL.contains("INSERT INTO \"parent\""))
            #expect(!schemaSQL.contains("child"))

            let data = try await EdgeProcess.run(["d1", "export", "DB", "--output", file.path, "--table", "parent", "--table", "log", "--no-schema", "--persist-to", state])
            #expect(data.status == 0, "\(data.stderr)")
            let dataSQL = try String(contentsOf: file, encoding: .utf8)
            #expect(!dataSQL.contains("CREATE"))
            #expect(dataSQL.contains("INSERT INTO \"parent\" (\"id\",\"name\") VALUES(2,'it''s \"quoted\"');"))
            #expect(dataSQL.contains("INSERT INTO \"log\""))

            let both = try await EdgeProcess.run(["d1", "export", "DB", "--output", file.path, "--no-schema", "--no-data", "--persist-to", state])
            #expect(both.status != 0)
            #expect(both.stderr.contains("You cannot specify both --no-schema and --no-data"))
        }
    }

    /// The `results` of `sql` in the database under `state`, as JSON text.
    private func results(_ sql: String, in state: String) async throws -> String {
        let run = try await EdgeProcess.run(["d1", "execute", "DB", "--command", sql, "--json", "--persist-to", state])
        #expect(run.status == 0, "\(sql): \(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]]
        let results = json?.first?["results"] ?? []
        return String(decoding: try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys]), as: UTF8.self)
    }
}
