import EdgeConfig
import Foundation
import Testing

@Suite("Durable Object migrations replay")
struct DurableObjectMigrationTests {
    private let file = URL(fileURLWithPath: "/tmp/edge/wrangler-like.toml")

    @Test("new, renamed and deleted classes replay like wrangler's getClassNamesWhichUseSQLite")
    func replay() throws {
        let config = WranglerConfig(
            path: file,
            migrations: [
                DurableObjectMigration(tag: "v1", newClasses: ["Counter", "Legacy"], newSqliteClasses: ["Hub"]),
                DurableObjectMigration(tag: "v2", renamedClasses: [.init(from: "Hub", to: "OrderHub")]),
                DurableObjectMigration(tag: "v3", deletedClasses: ["Counter"]),
                // A deleted class may come back, with another backend.
                DurableObjectMigration(tag: "v4", newSqliteClasses: ["Counter"]),
                DurableObjectMigration(tag: "v5", renamedClasses: [.init(from: "Legacy", to: "OldStore")]),
            ]
        )
        #expect(try config.sqliteClasses == ["OrderHub", "Counter"])
        #expect(try config.durableObjectClassStorage == ["OrderHub": .sqlite, "Counter": .sqlite, "OldStore": .keyValue])
    }

    @Test("no migrations: no classes")
    func empty() throws {
        #expect(try WranglerConfig(path: file).sqliteClasses.isEmpty)
    }

    @Test(
        "impossible steps throw wrangler's messages",
        arguments: [
            (
                [DurableObjectMigration(tag: "v1", newSqliteClasses: ["Hub"]), DurableObjectMigration(tag: "v2", newSqliteClasses: ["Hub"])],
                "Cannot apply new_sqlite_classes migration to existing class Hub", "migrations[1].new_sqlite_classes[0]"
            ),
            (
                [DurableObjectMigration(tag: "v1", newClasses: ["A", "A"])],
                "Cannot apply new_classes migration to existing class A", "migrations[0].new_classes[1]"
            ),
            (
                [DurableObjectMigration(tag: "v1", deletedClasses: ["Ghost"])],
                "Cannot apply deleted_classes migration to non-existent class Ghost", "migrations[0].deleted_classes[0]"
            ),
            (
                [DurableObjectMigration(tag: "v1", renamedClasses: [.init(from: "Ghost", to: "Spirit")])],
                "Cannot apply renamed_classes migration to non-existent class Ghost", "migrations[0].renamed_classes[0]"
            ),
        ]
    )
    func impossibleSteps(migrations: [DurableObjectMigration], message: String, field: String) throws {
        let config = WranglerConfig(path: file, migrations: migrations)
        let error = try #require(throws: ConfigError.self) { try config.sqliteClasses }
        #expect(error.message == message)
        #expect(error.field == field)
        // Built in code, the config has no lines to point at.
        #expect(error.line == nil)
        #expect(error.description == "/tmp/edge/wrangler-like.toml: \(message)")
    }

    @Test("a loaded config's replay errors point at the class name's line")
    func loadedErrorsAreLocated() throws {
        try TemporaryDirectory.with { directory in
            let file = try directory.write(
                """
                [[migrations]]
                tag = "v1"
                new_sqlite_classes = ["Hub"]

                [[migrations]]
                tag = "v2"
                deleted_classes = ["Hub"]
                renamed_classes = [
                  { from = "Hub", to = "Gone" },
                ]
                """,
                to: "wrangler-like.toml"
            )
            let error = try #require(throws: ConfigError.self) { try WranglerConfig.load(from: file) }
            #expect(error.line == 9)
            #expect(error.field == "migrations[1].renamed_classes[0]")
            #expect(error.description.hasSuffix("wrangler-like.toml:9: Cannot apply renamed_classes migration to non-existent class Hub"))
        }
    }
}
