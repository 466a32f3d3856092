import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Logging

/// A project directory for the test worker: `wrangler-like.toml`, `public/` assets, a D1
/// migration, and a file beside `public/` that no asset path may reach. Removed by ``remove()``.
struct Fixture {
    static let toml = """
        name = "edge-test"
        compatibility_date = "2026-04-07"

        [vars]
        GREETING = "edge"

        [[d1_databases]]
        binding = "DB"
        database_name = "testdb"

        [durable_objects]
        bindings = [{ name = "COUNTER", class_name = "Counter" }]

        [[migrations]]
        tag = "v1"
        new_sqlite_classes = ["Counter"]

        [assets]
        directory = "public"

        [triggers]
        crons = ["*/5 * * * *"]
        """

    static let assets: [String: String] = [
        "index.html": "<!doctype html><title>home</title>",
        "style.css": "body { color: red }",
        "app.js": "console.log('app')",
        "data.json": "{\"ok\":true}",
        "logo.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        "img.png": "\u{89}PNG",
        "favicon.ico": "ico",
        "notes.txt": "notes",
        "site.webmanifest": "{\"name\":\"edge\"}",
        "sub/index.html": "<p>sub</p>",
    ]

    static let module = WorkerModule(TestWorker(), durableObjects: [Counter.self])

    let directory: URL
    let config: WranglerConfig

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-fixture-\(UUID().uuidString)", isDirectory: true)
        let files = FileManager.default
        for (path, content) in Self.assets {
            let file = directory.appendingPathComponent("public/\(path)")
            try files.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: file)
        }
        try files.createDirectory(at: directory.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        try Data("CREATE TABLE items (id INTEGER PRIMARY KEY, value TEXT);\nINSERT INTO items VALUES (1, 'from migration');\n".utf8)
            .write(to: directory.appendingPathComponent("migrations/0001_init.sql"))
        try Data("top secret".utf8).write(to: directory.appendingPathComponent("secret.txt"))
        let path = directory.appendingPathComponent("wrangler-like.toml")
        try Data(Self.toml.utf8).write(to: path)
        config = try WranglerConfig.load(from: path).config
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Options for an emulator assembled by hand, with its own state directory inside the fixture.
    func options(logger: Logger = LogRecorder().logger()) -> Emulator.Options {
        Emulator.Options(stateRoot: directory.appendingPathComponent(".edge/state"), clock: VirtualClock(), logger: logger)
    }
}

/// Runs `body` with a client of a fresh emulator of the test worker.
func withEmulator<T>(
    _ mode: TestMode,
    logger: Logger = LogRecorder().logger(),
    _ body: (TestClient) async throws -> T
) async throws -> T {
    let fixture = try Fixture()
    defer { fixture.remove() }
    return try await Emulator.test(mode, config: fixture.config, module: Fixture.module, logger: logger, body)
}
