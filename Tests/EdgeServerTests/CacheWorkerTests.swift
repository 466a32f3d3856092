import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Testing

/// The Cache API example of Cloudflare's docs (developers.cloudflare.com/workers/examples/cache-api/),
/// line for line: `match` the cache key, else build the response and `put` it in `ctx.waitUntil`.
/// The body names the moment it was generated, so a hit shows the stored one.
struct CachingWorker: Worker {
    struct Env: WorkerEnv {
        let OBJECTS: DurableObjectNamespace<CachingObject>
        init(bindings: Bindings) throws { OBJECTS = try bindings.get("OBJECTS") }
    }

    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        if request.pathname == "/object" {
            return try await env.OBJECTS.getByName("one").fetch(request)
        }
        // The key is the public URL, not the socket's, so it survives a restart on another port.
        let query = request.url.query(percentEncoded: true).map { "?\($0)" } ?? ""
        let cacheKey = try Request("https://shop.example\(request.pathname)\(query)")
        let cache = caches.default
        if request.method == .delete {
            return Response(String(try await cache.delete(cacheKey)))
        }
        if let response = try await cache.match(cacheKey) {
            return response
        }
        let body = "generated at \(Int(Date.now()))"
        let headers: Headers = ["cache-control": "s-maxage=60", "content-type": "text/plain"]
        ctx.waitUntil { try await cache.put(cacheKey, Response(body, headers: headers)) }
        return Response(body, headers: headers)
    }
}

/// A Durable Object that caches in a named cache: `caches` in an object is the state directory's too.
actor CachingObject: DurableObject {
    typealias Env = CachingWorker.Env

    init(state: DurableObjectState, env: Env) {}

    func fetch(_ request: Request) async throws -> Response {
        let cache = try await caches.open("objects")
        let key = "https://shop.example/object"
        if let hit = try await cache.match(key) {
            return Response("hit: \(try await hit.text())")
        }
        try await cache.put(key, Response("made at \(Int(Date.now()))", headers: ["cache-control": "max-age=60"]))
        return Response("miss")
    }
}

@Suite("The Cache API in a worker, over real sockets")
struct CacheWorkerTests {
    static let module = WorkerModule(CachingWorker(), durableObjects: [CachingObject.self])
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let toml = """
        name = "caching"
        compatibility_date = "2026-10-01"

        [durable_objects]
        bindings = [{ name = "OBJECTS", class_name = "CachingObject" }]

        [[migrations]]
        tag = "v1"
        new_sqlite_classes = ["CachingObject"]
        """

    /// Runs `body` against a live emulator on `stateRoot` whose clock starts at `now`.
    func live<T>(stateRoot: URL, config: WranglerConfig, now: Date, _ body: (TestClient, VirtualClock) async throws -> T) async throws -> T {
        let clock = VirtualClock(now: now)
        let emulator = try await Emulator(
            config: config, module: Self.module, options: Emulator.Options(stateRoot: stateRoot, clock: clock))
        let server = try await emulator.start(host: "127.0.0.1", port: 0)
        do {
            let value = try await body(TestClient(emulator: emulator, server: server), clock)
            await emulator.shutdown(gracePeriod: .seconds(5))
            return value
        } catch {
            await emulator.shutdown(gracePeriod: .seconds(5))
            throw error
        }
    }

    /// Requests `path` until the cache answers it (the `put` runs in `waitUntil`, after the response).
    func hit(_ client: TestClient, _ path: String) async throws -> TestResponse {
        for _ in 0..<100 {
            let response = try await client.execute(.get, path)
            if response.headers.get("cf-cache-status") == "HIT" { return response }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("\(path) never came from the cache")
        return try await client.execute(.get, path)
    }

    @Test func matchThenPutInWaitUntilExpiresOnTheClockAndSurvivesARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("wrangler-like.toml")
        try Data(Self.toml.utf8).write(to: file)
        let config = try WranglerConfig.load(from: file).config
        let stateRoot = directory.appendingPathComponent("state")
        let t0 = Int(Self.start.timeIntervalSince1970) * 1000  // Date.now() is in milliseconds

        try await live(stateRoot: stateRoot, config: config, now: Self.start) { client, clock in
            let first = try await client.execute(.get, "/item?id=1")
            #expect(first.headers.get("cf-cache-status") == nil)
            #expect(first.text == "generated at \(t0)")
            let cached = try await hit(client, "/item?id=1")
            #expect(cached.text == "generated at \(t0)")
            #expect(cached.headers.get("age") == "0")
            #expect(cached.headers.get("content-type") == "text/plain")

            // The query string is part of the key.
            let other = try await client.execute(.get, "/item?id=2")
            #expect(other.headers.get("cf-cache-status") == nil)

            await clock.advance(by: .seconds(30))
            let older = try await client.execute(.get, "/item?id=1")
            #expect(older.headers.get("cf-cache-status") == "HIT")
            #expect(older.headers.get("age") == "30")
        }
        #expect(FileManager.default.fileExists(atPath: stateRoot.appendingPathComponent("cache/default.sqlite").path))

        try await live(stateRoot: stateRoot, config: config, now: Self.start.addingTimeInterval(30)) { client, clock in
            let persisted = try await client.execute(.get, "/item?id=1")
            #expect(persisted.headers.get("cf-cache-status") == "HIT")
            #expect(persisted.text == "generated at \(t0)")

            // s-maxage=60: gone once 60 s have passed since the put.
            await clock.advance(by: .seconds(30))
            let expired = try await client.execute(.get, "/item?id=1")
            #expect(expired.headers.get("cf-cache-status") == nil)
            #expect(expired.text == "generated at \(t0 + 60_000)")

            // A Durable Object's `caches`: stored on disk, on the same clock.
            #expect(try await client.execute(.get, "/object").text == "miss")
            #expect(try await client.execute(.get, "/object").text == "hit: made at \(t0 + 60_000)")
            #expect(FileManager.default.fileExists(atPath: stateRoot.appendingPathComponent("cache/named/objects.sqlite").path))
            await clock.advance(by: .seconds(60))
            #expect(try await client.execute(.get, "/object").text == "miss")

            _ = try await hit(client, "/item?id=2")
            #expect(try await client.execute(.delete, "/item?id=2").text == "true")
            #expect(try await client.execute(.delete, "/item?id=2").text == "false")
        }
    }
}
