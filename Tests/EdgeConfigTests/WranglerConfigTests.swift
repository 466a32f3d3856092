import EdgeConfig
import Foundation
import Testing

@Suite("Loading wrangler-like.toml")
struct WranglerConfigTests {
    @Test("the full fixture loads every field without warnings")
    func fullFixture() throws {
        let file = Fixtures.good("full.toml")
        let result = try WranglerConfig.load(from: file)
        let config = result.config
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(config.path == file.standardizedFileURL)
        #expect(config.directory.standardizedFileURL == Fixtures.root.appendingPathComponent("good").standardizedFileURL)
        #expect(config.name == "counterfire")
        #expect(config.main == "src/index.ts")
        #expect(config.compatibilityDate == "2026-10-01")
        #expect(config.compatibilityFlags == ["nodejs_compat", "no_global_navigator"])
        #expect(
            config.vars == [
                "API_URL": .string("https://api.example.com"),
                "RETRIES": .int(3),
                "RATIO": .double(0.5),
                "BETA": .bool(true),
                "REGIONS": .array([.string("eu"), .string("us")]),
                "LIMITS": .table(["burst": .int(10), "per.minute": .int(60)]),
            ]
        )
        #expect(config.d1Databases.count == 2)
        let db = try #require(config.d1Databases.first)
        #expect(db.binding == "DB")
        #expect(db.databaseName == "counterfire")
        #expect(db.databaseId == "9f1c2a4e-0000-4000-8000-000000000001")
        #expect(db.previewDatabaseId == "9f1c2a4e-0000-4000-8000-000000000002")
        #expect(db.migrationsDir == "db/migrations")
        #expect(db.migrationsTable == "schema_migrations")
        #expect(
            config.durableObjects == [
                DurableObjectBindingConfig(name: "ORDER_HUB", className: "OrderHub"),
                DurableObjectBindingConfig(name: "LEGACY", className: "LegacyCounter", scriptName: "legacy-worker"),
            ]
        )
        #expect(
            config.migrations == [
                DurableObjectMigration(tag: "v1", newClasses: ["Counter"], newSqliteClasses: ["Hub"]),
                DurableObjectMigration(
                    tag: "v2",
                    renamedClasses: [.init(from: "Hub", to: "OrderHub")],
                    deletedClasses: ["Counter"]
                ),
            ]
        )
        #expect(config.triggers.crons == ["*/5 * * * *", "0 3 * * *"])
        #expect(config.dev == DevConfig(ip: "0.0.0.0", port: 9000, hibernateAfter: .milliseconds(2500), evictAfter: .seconds(30)))
        #expect(config.assets?.binding == "ASSETS")
    }

    @Test("a config with only a name gets wrangler's and Edge's defaults")
    func defaults() throws {
        let result = try WranglerConfig.load(from: Fixtures.good("minimal.toml"))
        let config = result.config
        #expect(result.warnings.isEmpty)
        #expect(config.name == "minimal")
        #expect(config.main == nil)
        #expect(config.compatibilityDate == nil)
        #expect(config.compatibilityFlags.isEmpty)
        #expect(config.vars.isEmpty)
        #expect(config.d1Databases.isEmpty)
        #expect(config.durableObjects.isEmpty)
        #expect(config.migrations.isEmpty)
        #expect(config.triggers.crons.isEmpty)
        #expect(config.dev.ip == "127.0.0.1")
        #expect(config.dev.port == 8787)
        #expect(config.dev.hibernateAfter == .seconds(10))
        #expect(config.dev.evictAfter == .seconds(70))
        #expect(config.assets == nil)
    }

    @Test("an empty file is a Worker named \"worker\"; D1 fields default as in wrangler")
    func emptyFileAndD1Defaults() throws {
        try TemporaryDirectory.with { directory in
            let empty = try directory.write("", to: "empty/wrangler-like.toml")
            #expect(try WranglerConfig.load(from: empty).config.name == "worker")

            let file = try directory.write("[[d1_databases]]\nbinding = \"DB\"\n", to: "d1/wrangler-like.toml")
            let db = try #require(try WranglerConfig.load(from: file).config.d1Databases.first)
            #expect(db.databaseName == nil && db.databaseId == nil && db.previewDatabaseId == nil)
            #expect(db.migrationsDir == "migrations")
            #expect(db.migrationsTable == "d1_migrations")
            #expect(db.migrationsDirectory == directory.url.appendingPathComponent("d1/migrations").standardizedFileURL)
        }
    }

    @Test("paths are resolved against the config file's directory, not the current one")
    func pathResolution() throws {
        try TemporaryDirectory.with { directory in
            let file = try directory.write(
                """
                [[d1_databases]]
                binding = "DB"
                migrations_dir = "../sql/d1"

                [[d1_databases]]
                binding = "ABSOLUTE"
                migrations_dir = "/srv/migrations"

                [[d1_databases]]
                binding = "DEFAULT"

                [assets]
                directory = "./public"
                """,
                to: "project/config/wrangler-like.toml"
            )
            let config = try WranglerConfig.load(from: file).config
            let project = directory.url.appendingPathComponent("project").standardizedFileURL
            #expect(config.directory.standardizedFileURL == project.appendingPathComponent("config"))
            #expect(config.d1Databases[0].migrationsDirectory == project.appendingPathComponent("sql/d1"))
            #expect(config.d1Databases[1].migrationsDirectory.path == "/srv/migrations")
            #expect(config.d1Databases[2].migrationsDirectory == project.appendingPathComponent("config/migrations"))
            #expect(config.assets?.directory == project.appendingPathComponent("config/public"))
            #expect(config.assets?.binding == nil)
        }
    }

    @Test("the full fixture's relative paths resolve next to it")
    func fullFixturePaths() throws {
        let config = try WranglerConfig.load(from: Fixtures.good("full.toml")).config
        #expect(config.d1Databases[0].migrationsDirectory == Fixtures.root.appendingPathComponent("good/db/migrations").standardizedFileURL)
        #expect(config.d1Databases[1].migrationsDirectory == Fixtures.root.appendingPathComponent("good/migrations").standardizedFileURL)
        #expect(config.assets?.directory == Fixtures.root.appendingPathComponent("public").standardizedFileURL)
    }

    @Test("unknown fields are warnings in wrangler's words, with their lines, and the config still loads")
    func unknownFieldsWarn() throws {
        try TemporaryDirectory.with { directory in
            let file = try directory.write(
                """
                name = "warned"
                workers_dev = true

                [dev]
                port = 8800
                inspector_port = 9229

                [[d1_databases]]
                binding = "DB"
                remote = true

                [durable_objects]
                bindings = [{ name = "HUB", class_name = "Hub", environment = "staging" }]

                [[migrations]]
                tag = "v1"
                new_sqlite_classes = ["Hub"]
                transferred_classes = []
                """,
                to: "wrangler-like.toml"
            )
            let result = try WranglerConfig.load(from: file)
            #expect(result.config.name == "warned")
            #expect(result.config.dev.port == 8800)
            #expect(result.config.d1Databases.map(\.binding) == ["DB"])
            #expect(try result.config.sqliteClasses == ["Hub"])
            #expect(result.warnings.map(\.message) == [
                #"Unexpected fields found in top-level field: "workers_dev""#,
                #"Unexpected fields found in dev field: "inspector_port""#,
                #"Unexpected fields found in d1_databases[0] field: "remote""#,
                #"Unexpected fields found in durable_objects.bindings[0] field: "environment""#,
                #"Unexpected fields found in migrations[0] field: "transferred_classes""#,
            ])
            #expect(result.warnings.map(\.line) == [2, 6, 10, 13, 18])
            #expect(result.warnings.map(\.field) == [
                "workers_dev", "dev.inspector_port", "d1_databases[0].remote",
                "durable_objects.bindings[0].environment", "migrations[0].transferred_classes",
            ])
            let first = try #require(result.warnings.first)
            #expect(first.description.hasSuffix("wrangler-like.toml:2: Unexpected fields found in top-level field: \"workers_dev\""))
        }
    }

    @Test("field locations of a loaded config point at the lines fields were written on")
    func fieldLocations() throws {
        let config = try WranglerConfig.load(from: Fixtures.good("full.toml")).config
        let locations = config.fieldLocations
        #expect(locations.line(of: "name") == 2)
        #expect(locations.line(of: "vars.LIMITS") == 13)
        #expect(locations.line(of: #"vars.LIMITS."per.minute""#) == 13)
        #expect(locations.line(of: "d1_databases[0]") == 15)
        #expect(locations.line(of: "d1_databases[0].migrations_dir") == 20)
        #expect(locations.line(of: "d1_databases[1].binding") == 24)
        #expect(locations.line(of: "durable_objects.bindings[1].script_name") == 30)
        #expect(locations.line(of: "migrations[1].renamed_classes[0].to") == 40)
        #expect(locations.line(of: "dev.evict_after") == 50)
        // An absent field falls back to its table.
        #expect(locations.line(of: "d1_databases[1].migrations_dir") == 23)
        #expect(locations.line(of: "nothing.here") == nil)
        #expect(WranglerConfig(path: Fixtures.good("full.toml")).fieldLocations.line(of: "name") == nil)
    }

    @Test("a value that is a port only in spirit is still refused: 0 and fractions")
    func portEdges() throws {
        for (port, accepted) in [("1", true), ("65535", true), ("0", false), ("8787.5", false), ("65536", false)] {
            let result = Result { () throws(ConfigError) in
                try WranglerConfig.parse("[dev]\nport = \(port)\n", at: URL(fileURLWithPath: "/tmp/edge/wrangler-like.toml"))
            }
            switch result {
            case .success(let loaded):
                #expect(accepted, "port \(port) was accepted")
                #expect(loaded.config.dev.port == Int(port))
            case .failure(let error):
                #expect(!accepted, "port \(port) was refused: \(error)")
                #expect(error.field == "dev.port")
                #expect(error.line == 2)
            }
        }
    }

    @Test("leap days are valid compatibility dates only in leap years")
    func compatibilityDates() throws {
        let file = URL(fileURLWithPath: "/tmp/edge/wrangler-like.toml")
        for (date, valid) in [
            ("2024-02-29", true), ("2023-02-29", false), ("2000-02-29", true), ("1900-02-29", false),
            ("2025-12-31", true), ("2025-1-01", false), ("2025-01-01T00:00:00Z", false), ("", false),
        ] {
            let result = Result { () throws(ConfigError) in
                try WranglerConfig.parse("compatibility_date = \"\(date)\"", at: file)
            }
            #expect(((try? result.get()) != nil) == valid, "\(date)")
        }
    }
}
