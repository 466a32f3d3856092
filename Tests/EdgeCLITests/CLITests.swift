import EdgeDurableObjects
import Foundation
import Testing

/// The `edge` command line, run as a new user would, against real state directories.
@Suite(.serialized) struct CLITests {
    @Test func helpListsEveryCommand() async throws {
        let help = try await EdgeProcess.run(["--help"])
        #expect(help.status == 0)
        for command in ["dev", "d1", "do"] { #expect(help.stdout.contains(command)) }
        let dev = try await EdgeProcess.run(["dev", "--help"])
        for option in ["--config", "--ip", "--port", "--persist-to", "--var", "--no-migrate", "--hibernate-after", "--evict-after"] {
            #expect(dev.stdout.contains(option), "edge dev --help lacks \(option)")
        }
        let d1 = try await EdgeProcess.run(["d1", "migrations", "--help"])
        for command in ["create", "list", "apply"] { #expect(d1.stdout.contains(command)) }
        let objects = try await EdgeProcess.run(["do", "--help"])
        for command in ["list", "evict", "reset", "id"] { #expect(objects.stdout.contains(command)) }
    }

    @Test func d1ExecutePrintsWranglersJSONShape() async throws {
        try await withTemporaryDirectory { state in
            let result = try await EdgeProcess.run(["d1", "execute", "DB", "--command", "select 1 as one", "--json", "--persist-to", state.path])
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
            let first = try #require(json?.first)
            #expect((first["results"] as? [[String: Any]])?.first?["one"] as? Int == 1)
            #expect(first["success"] as? Bool == true)
            #expect((first["meta"] as? [String: Any])?["duration"] != nil)

            let table = try await EdgeProcess.run(["d1", "execute", "counterfire", "--command", "select 1 as one; select 'two' as two", "--persist-to", state.path])
            #expect(table.status == 0)
            #expect(table.stdout.contains("🚣 2 commands executed successfully."))
            #expect(table.stdout.contains("│ one │"))
            #expect(table.stdout.contains("│ two │"))
        }
    }

    @Test func d1ErrorsAreClear() async throws {
        try await withTemporaryDirectory { state in
            let unknown = try await EdgeProcess.run(["d1", "execute", "NOPE", "--command", "select 1", "--persist-to", state.path])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("Couldn't find a D1 DB with the name or binding 'NOPE'"))
            #expect(unknown.stderr.contains("DB"), "lists the known databases")
            let both = try await EdgeProcess.run(["d1", "execute", "DB", "--command", "select 1", "--file", "x.sql"])
            #expect(both.status != 0)
            #expect(both.stderr.contains("can't provide both --command and --file."))
            let sql = try await EdgeProcess.run(["d1", "execute", "DB", "--command", "select * from nowhere", "--persist-to", state.path])
            #expect(sql.status != 0)
            #expect(sql.stderr.contains("D1_ERROR: no such table: nowhere: SQLITE_ERROR"))
        }
    }

    @Test func migrationsCreateListApplyFromACleanState() async throws {
        try await withTemporaryDirectory { project in
            try """
            name = "fresh"
            [[d1_databases]]
            binding = "DB"
            database_name = "fresh-db"
            """.write(to: project.appendingPathComponent("wrangler-like.toml"), atomically: true, encoding: .utf8)
            let create = try await EdgeProcess.run(["d1", "migrations", "create", "DB", "add people"], in: project)
            #expect(create.status == 0, "\(create.stderr)")
            let file = project.appendingPathComponent("migrations/0001_add_people.sql")
            #expect(FileManager.default.fileExists(atPath: file.path))
            try (String(contentsOf: file, encoding: .utf8) + "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);\n")
                .write(to: file, atomically: true, encoding: .utf8)
            #expect(try await EdgeProcess.run(["d1", "migrations", "create", "DB", "second"], in: project).stdout.contains("0002_second.sql"))

            let list = try await EdgeProcess.run(["d1", "migrations", "list", "DB"], in: project)
            #expect(list.stdout.contains("Migrations to be applied:"))
            #expect(list.stdout.contains("0001_add_people.sql"))
            #expect(list.stdout.contains("0002_second.sql"))
            let apply = try await EdgeProcess.run(["d1", "migrations", "apply", "fresh-db"], in: project)
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent(".edge/state/d1/fresh-db.sqlite").path))
            #expect(try await EdgeProcess.run(["d1", "migrations", "list", "DB"], in: project).stdout.contains("✅ No migrations to apply!"))
            let rows = try await EdgeProcess.run(["d1", "execute", "DB", "--command", "select name from d1_migrations order by id", "--json"], in: project)
            #expect(rows.stdout.contains("0001_add_people.sql"))
            #expect(rows.stdout.contains("0002_second.sql"))
        }
    }

    @Test func durableObjectIdMatchesTheNamespaceDerivation() async throws {
        let result = try await EdgeProcess.run(["do", "id", "ORDER_HUB", "demo"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            == DurableObjectId.fromName("demo", workerName: "counterfire", className: "OrderHub").hex)
        let unknown = try await EdgeProcess.run(["do", "id", "NOPE", "demo"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("ORDER_HUB"))
    }

    @Test func badConfigurationNamesFileAndLine() async throws {
        try await withTemporaryDirectory { project in
            try "name = \"x\"\n[dev]\nport = \"eighty\"\n".write(to: project.appendingPathComponent("wrangler-like.toml"), atomically: true, encoding: .utf8)
            let result = try await EdgeProcess.run(["dev"], in: project)
            #expect(result.status != 0)
            #expect(result.stderr.contains("wrangler-like.toml:3"), "\(result.stderr)")
            #expect(result.stderr.contains("port"))
        }
    }

    @Test func devServesControlsAndStopsGracefully() async throws {
        try await withTemporaryDirectory { state in
            let dev = try EdgeProcess.Dev(["--persist-to", state.path, "--port", "0"])
            let url = try await dev.waitUntilReady()
            #expect(dev.text.contains("Your Worker has access to the following bindings:"))
            #expect(dev.text.contains("env.DB (counterfire)"))
            #expect(dev.text.contains("Applied migration 0001_orders.sql"))
            #expect(try await fetch(url + "/v1/health").0 == 200)
            #expect(try await fetch(url + "/v1/restaurants/demo/orders", method: "POST", body: #"{"items":[{"name":"Tea","quantity":1}]}"#).0 == 201)

            let list = try await EdgeProcess.run(["do", "list", "--url", url])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.contains("ORDER_HUB (OrderHub)"))
            #expect(list.stdout.contains("demo"))
            let evict = try await EdgeProcess.run(["do", "evict", "ORDER_HUB", "--name", "demo", "--url", url])
            #expect(evict.status == 0, "\(evict.stderr)")
            #expect(evict.stdout.contains("evicted"))
            let reset = try await EdgeProcess.run(["do", "reset", "ORDER_HUB", "--all", "--url", url])
            #expect(reset.status == 0, "\(reset.stderr)")

            let port = url.split(separator: ":").last.map(String.init) ?? ""
            let second = try await EdgeProcess.run(["dev", "--persist-to", state.path, "--port", port])
            #expect(second.status != 0)
            #expect(second.stderr.contains("127.0.0.1:\(port)"), "\(second.stderr)")
            #expect(second.stderr.contains("already in use"))

            #expect(await dev.stop() == 0, "\(dev.text)")
            #expect(dev.text.contains("GET /v1/health 200 OK"))
        }
    }

    @Test func doCommandsExplainAMissingServer() async throws {
        let result = try await EdgeProcess.run(["do", "list", "--url", "http://127.0.0.1:1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Is `edge dev` running?"))
    }
}
