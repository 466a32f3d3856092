import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Testing

/// A worker of its own that calls the JavaScript globals a port reaches for: `console`,
/// `Date.now()`, `setTimeout`, `atob`/`btoa`, and `new Response(bytes)`.
struct PlatformWorker: Worker {
    struct Env: WorkerEnv {
        init(bindings: Bindings) throws {}
    }

    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        switch request.path {
        case "/console":
            console.log("hello from", request.method, 42)
            console.warn("careful")
            console.error("bad news")
            return Response("ok")
        case "/now":
            return Response(String(Int(Date.now())))
        case "/forgotten-timer":
            setTimeout({ console.log("forgotten timer fired") }, 1_000)
            return Response("ok")
        case "/kept-timer":
            ctx.waitUntil {
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    setTimeout({
                        console.log("kept timer fired")
                        done.resume()
                    }, 1_000)
                }
            }
            return Response("ok")
        case "/bytes":
            return Response([0x00, 0x01, 0xFE, 0xFF], headers: ["content-type": "application/octet-stream"])
        case "/basic":
            guard let header = request.headers.get("authorization"), header.hasPrefix("Basic ") else {
                return Response("no credentials", status: .unauthorized)
            }
            return Response(try atob(String(header.dropFirst(6))))
        default:
            return Response("not found", status: .notFound)
        }
    }
}

@Suite("Platform globals in a worker, over real sockets")
struct PlatformTests {
    static let module = WorkerModule(PlatformWorker(), durableObjects: [])

    func withPlatform<T>(_ body: (TestClient, LogRecorder) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-platform-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("wrangler-like.toml")
        try Data("name = \"platform\"\ncompatibility_date = \"2026-10-01\"\n".utf8).write(to: file)
        let config = try WranglerConfig.load(from: file).config
        let recorder = LogRecorder()
        return try await Emulator.test(.live, config: config, module: Self.module, logger: recorder.logger()) { client in
            try await body(client, recorder)
        }
    }

    @Test func consoleGoesThroughTheLoggerWithTheRequest() async throws {
        let lines = try await withPlatform { client, recorder in
            let response = try await client.execute(.get, "/console?secret=1")
            #expect(response.text == "ok")
            return recorder.lines
        }
        #expect(lines.contains("[edge:info] GET /console: hello from GET 42"))
        #expect(lines.contains("[edge:warn] GET /console: careful"))
        #expect(lines.contains("[edge:error] GET /console: bad news"))
    }

    @Test func dateNowAndTimersFollowTheVirtualClock() async throws {
        try await withPlatform { client, recorder in
            let clock = try #require(client.clock)
            let before = Int(clock.now.timeIntervalSince1970 * 1000)
            #expect(try await client.execute(.get, "/now").text == String(before))
            await clock.advance(by: .seconds(90))
            #expect(try await client.execute(.get, "/now").text == String(before + 90_000))

            #expect(try await client.execute(.get, "/kept-timer").text == "ok")
            #expect(try await client.execute(.get, "/forgotten-timer").text == "ok")
            // Once the response is sent, a timer nothing waits for ends with its invocation, as
            // in production; one inside waitUntil runs.
            try await waitUntil("the forgotten timer is closed") { clock.pendingTimers == 1 }
            await clock.advance(by: .seconds(1))
            #expect(recorder.lines.contains("[edge:info] GET /kept-timer: kept timer fired"))
            #expect(!recorder.lines.contains { $0.contains("forgotten timer fired") })
        }
    }

    @Test func bytesAndBase64() async throws {
        try await withPlatform { client, _ in
            let bytes = try await client.execute(.get, "/bytes")
            #expect(bytes.body == [0x00, 0x01, 0xFE, 0xFF])
            #expect(bytes.headers.get("content-type") == "application/octet-stream")
            let basic = try await client.execute(.get, "/basic", headers: ["authorization": "Basic \(try btoa("ann:s3cret"))"])
            #expect(basic.text == "ann:s3cret")
            let bad = try await client.execute(.get, "/basic", headers: ["authorization": "Basic ***"])
            #expect(bad.status == .internalServerError)
            #expect(bad.text.hasPrefix("InvalidCharacterError: atob() called with invalid base64-encoded data."))
        }
    }
}

/// Polls `condition` on real time (at most 10 s) for what a test cannot await directly.
private func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting until \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
