import EdgeConfig
import Foundation
import Testing

@Suite("Finding a D1 database by binding or name")
struct D1LookupTests {
    @Test("by binding and by database_name, as wrangler d1 execute does")
    func findsByBindingOrName() throws {
        let config = try WranglerConfig.load(from: Fixtures.good("full.toml")).config
        #expect(try config.d1Database(named: "DB").databaseName == "counterfire")
        #expect(try config.d1Database(named: "counterfire").binding == "DB")
        #expect(try config.d1Database(named: "stats").binding == "STATS")
    }

    @Test("a binding match wins over a database_name match")
    func bindingWins() throws {
        let directory = URL(fileURLWithPath: "/tmp/edge")
        let config = WranglerConfig(
            path: directory.appendingPathComponent("wrangler-like.toml"),
            d1Databases: [
                D1DatabaseConfig(binding: "MAIN", databaseName: "OTHER", configDirectory: directory),
                D1DatabaseConfig(binding: "OTHER", databaseName: "other-db", configDirectory: directory),
            ]
        )
        #expect(try config.d1Database(named: "OTHER").binding == "OTHER")
    }

    @Test("an unknown name is wrangler's error, listing the databases the config has")
    func unknownListsKnown() throws {
        let config = try WranglerConfig.load(from: Fixtures.good("full.toml")).config
        let error = try #require(throws: ConfigError.self) { try config.d1Database(named: "orders") }
        #expect(error.description.hasPrefix("Couldn't find a D1 DB with the name or binding 'orders' in "))
        #expect(error.description.hasSuffix("full.toml. Known: DB (counterfire), STATS (stats)."))
        #expect(error.line == nil)
    }

    @Test("with no D1 databases the list says none; a binding without a name is listed bare")
    func unknownWithoutDatabases() throws {
        let directory = URL(fileURLWithPath: "/tmp/edge")
        let none = WranglerConfig(path: directory.appendingPathComponent("wrangler-like.toml"))
        let error = try #require(throws: ConfigError.self) { try none.d1Database(named: "DB") }
        #expect(error.description.hasSuffix("wrangler-like.toml. Known: none."))

        let bare = WranglerConfig(
            path: directory.appendingPathComponent("wrangler-like.toml"),
            d1Databases: [D1DatabaseConfig(binding: "DB", configDirectory: directory)]
        )
        let bareError = try #require(throws: ConfigError.self) { try bare.d1Database(named: "X") }
        #expect(bareError.description.hasSuffix("Known: DB."))
    }
}
