import Foundation
import Testing

/// `edge d1 execute --command/--file` and `edge d1 migrations apply` refuse what production's
/// D1 refuses, a `BEGIN TRANSACTION; ... COMMIT;` wrapper included; and any `database_name`
/// stays one file in the state directory.
@Suite(.serialized) struct D1RefusalCLITests {
    static let refusal = "D1_ERROR: To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs"

    @Test func executeRefusesTransactionsAndWhatD1Refuses() async throws {
        try await withTemporaryDirectory { state in
            let wrapped = state.appendingPathComponent("wrapped.sql")
            try "BEGIN TRANSACTION;\nCREATE TABLE t (a);\nCOMMIT;\n".write(to: wrapped, atomically: true, encoding: .utf8)
            let file = try await EdgeProcess.run(["d1", "execute", "DB", "--file", wrapped.path, "--persist-to", state.path])
            #expect(file.status != 0)
            #expect(file.stderr.contains(Self.refusal), "\(file.stderr)")
            for sql in ["BEGIN TRANSACTION; CREATE TABLE t (a); COMMIT;", "SAVEPOINT s"] {
                let command = try await EdgeProcess.run(["d1", "execute", "DB", "--command", sql, "--persist-to", state.path])
                #expect(command.status != 0)
                #expect(command.stderr.contains(Self.refusal), "\(command.stderr)")
            }
            for sql in ["PRAGMA journal_mode = DELETE", "ATTACH 'x.sqlite' AS x", "CREATE TABLE _cf_x (a)"] {
                let command = try await EdgeProcess.run(["d1", "execute", "DB", "--command", sql, "--persist-to", state.path])
                #expect(command.status != 0)
                #expect(command.stderr.contains("D1_ERROR: not authorized: SQLITE_AUTH"), "\(sql): \(command.stderr)")
            }
            let tables = try await EdgeProcess.run(["d1", "execute", "DB", "--command", "SELECT count(*) AS n FROM sqlite_master WHERE name = 't'", "--json", "--persist-to", state.path])
            #expect(tables.stdout.contains("\"n\": 0"), "\(tables.stdout)")
        }
    }

    @Test func migrationWrappedInATransactionFailsAsInProduction() async throws {
        try await withTemporaryDirectory { project in
            try """
            name = "fresh"
            [[d1_databases]]
            binding = "DB"
            database_name = "../../x"
            """.write(to: project.appendingPathComponent("wrangler-like.toml"), atomically: true, encoding: .utf8)
            let migrations = project.appendingPathComponent("migrations")
            try FileManager.default.createDirectory(at: migrations, withIntermediateDirectories: true)
            try "BEGIN TRANSACTION;\nCREATE TABLE t (a);\nCOMMIT;\n"
                .write(to: migrations.appendingPathComponent("0001_tx.sql"), atomically: true, encoding: .utf8)
            let apply = try await EdgeProcess.run(["d1", "migrations", "apply", "DB"], in: project)
            #expect(apply.status != 0)
            #expect(apply.stderr.contains("Migration 0001_tx.sql failed"), "\(apply.stderr)")
            #expect(apply.stderr.contains(Self.refusal), "\(apply.stderr)")

            try "CREATE TABLE t (a);\n".write(to: migrations.appendingPathComponent("0001_tx.sql"), atomically: true, encoding: .utf8)
            let fixed = try await EdgeProcess.run(["d1", "migrations", "apply", "../../x"], in: project)
            #expect(fixed.status == 0, "\(fixed.stderr)")
            #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent(".edge/state/d1/%2E.%2F..%2Fx.sqlite").path))
            #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent(".edge/x.sqlite").path))
            let executed = try await EdgeProcess.run(["d1", "execute", "../../x", "--command", "SELECT 1"], in: project)
            #expect(executed.stdout.contains("🌀 Executing on local database ../../x"), "messages show the name as written")
        }
    }
}
