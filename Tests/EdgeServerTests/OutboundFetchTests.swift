import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import HTTPTypes
import Synchronization
import Testing

/// The global `fetch` of a worker and of a Durable Object, end to end over real sockets: a
/// client calls the worker under test, whose subrequests go to a real server on 127.0.0.1 (an
/// upstream Edge) or to the test's own ``OutboundService``.
@Suite("Outbound fetch, over real sockets")
struct OutboundFetchTests {
    static let toml = """
        name = "outbound"
        compatibility_date = "2026-10-01"

        [durable_objects]
        bindings = [{ name = "RELAY", class_name = "Relay" }]

        [[migrations]]
        tag = "v1"
        new_sqlite_classes = ["Relay"]
        """

    static func config(_ text: String, name: String) throws -> (WranglerConfig, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("wrangler-like.toml")
        try Data(text.utf8).write(to: file)
        return (try WranglerConfig.load(from: file).config, directory)
    }

    /// Runs `body` with a live upstream server (its URL) and a live worker under test whose
    /// subrequests go through `outbound`.
    func withWorker<T>(
        outbound: OutboundService = .network,
        _ body: (TestClient, String, LogRecorder) async throws -> T
    ) async throws -> T {
        let (upstreamConfig, upstreamDirectory) = try Self.config("name = \"upstream\"\ncompatibility_date = \"2026-10-01\"\n", name: "upstream")
        let (config, directory) = try Self.config(Self.toml, name: "outbound")
        defer {
            try? FileManager.default.removeItem(at: upstreamDirectory)
            try? FileManager.default.removeItem(at: directory)
        }
        let upstream = try await Emulator(
            config: upstreamConfig, module: WorkerModule(UpstreamWorker(), durableObjects: []),
            options: .init(stateRoot: upstreamDirectory.appendingPathComponent("state"), logger: LogRecorder().logger()))
        let server = try await upstream.start(host: "127.0.0.1", port: 0)
        let recorder = LogRecorder()
        do {
            let module = WorkerModule(OutboundWorker(), durableObjects: [Relay.self])
            let value = try await Emulator.test(.live, config: config, module: module, logger: recorder.logger(), outbound: outbound) {
                client in try await body(client, server.url, recorder)
            }
            await upstream.shutdown(gracePeriod: .seconds(1))
            return value
        } catch {
            await upstream.shutdown(gracePeriod: .seconds(1))
            throw error
        }
    }

    static func query(_ url: String) -> String {
        url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? url
    }

    // MARK: the network

    @Test func aWorkerFetchesFromARealServerAndTheLogMarksItOutbound() async throws {
        try await withWorker { client, upstream, recorder in
            let response = try await client.execute(.get, "/get?url=\(Self.query("\(upstream)/echo?q=secret"))")
            #expect(response.status == .ok)
            #expect(response.text == "200 GET /echo body= authorization=- content-type=- x-from=- x-forwarded-host=-")
            let port = URL(string: upstream)!.port!
            #expect(recorder.lines.contains { $0.hasPrefix("[edge:info] outbound GET http://127.0.0.1:\(port)/echo 200 OK (") })
            #expect(!recorder.lines.contains { $0.contains("secret") })
        }
    }

    @Test func aResponseBodyStreamsThroughUnchanged() async throws {
        try await withWorker { client, upstream, _ in
            let response = try await client.execute(.get, "/pass-through?url=\(Self.query("\(upstream)/chunks"))")
            #expect(response.status == .ok)
            #expect(response.headers.get("x-upstream") == "yes")
            #expect(response.text == (0..<50).map { "chunk\($0);" }.joined())
        }
    }

    @Test func aResponseBodyReachesTheClientAsTheUpstreamWritesIt() async throws {
        try await withWorker { client, upstream, _ in
            // The upstream writes "second" only once this test has read "first;": a first chunk
            // that arrives before that was passed on as the upstream wrote it.
            let response = try await client.stream(.get, "/pass-through?url=\(Self.query("\(upstream)/drip"))")
            var chunks: [BodyChunk] = []
            var secondWrittenAtFirstChunk: Bool?
            for try await chunk in response.chunks {
                if chunks.isEmpty {
                    secondWrittenAtFirstChunk = Drip.secondWritten.load(ordering: .sequentiallyConsistent)
                    Drip.second.open()
                }
                chunks.append(chunk)
            }
            #expect(chunks.map(\.text).joined() == "first;second")
            #expect(try #require(chunks.first).text == "first;")
            #expect(secondWrittenAtFirstChunk == false, "the first chunk waited for the end of the body")
        }
    }

    @Test func redirectsAreFollowedAsWorkersFollowsThem() async throws {
        try await withWorker { client, upstream, recorder in
            // 307 keeps the method, the body and (same origin) Authorization.
            let kept = try await client.execute(.get, "/post?url=\(Self.query("\(upstream)/redirect?status=307&to=/echo"))")
            #expect(kept.text == "200 POST /echo body=payload authorization=Bearer secret content-type=text/plain x-from=- x-forwarded-host=-")
            // 302 turns a POST into a GET without a body.
            let changed = try await client.execute(.get, "/post?url=\(Self.query("\(upstream)/redirect?status=302&to=/echo"))")
            #expect(changed.text == "200 GET /echo body= authorization=Bearer secret content-type=- x-from=- x-forwarded-host=-")
            // Each hop is a line of the log.
            #expect(recorder.lines.contains { $0.contains("outbound POST http://127.0.0.1:") && $0.contains("/redirect 307 Temporary Redirect (") })
        }
    }

    @Test func manualReturnsTheRedirectAndTooManyRedirectsFails() async throws {
        try await withWorker { client, upstream, _ in
            let manual = try await client.execute(.get, "/manual?url=\(Self.query("\(upstream)/redirect?status=301&to=/elsewhere"))")
            #expect(manual.text == "301 /elsewhere")
            // workerd follows 20 redirects; the 21st throws.
            let twenty = try await client.execute(.get, "/get?url=\(Self.query("\(upstream)/hops?limit=20"))")
            #expect(twenty.text == "200 after 20")
            let loop = try await client.execute(.get, "/get?url=\(Self.query("\(upstream)/hops?limit=21"))")
            #expect(loop.status == .badGateway)
            #expect(loop.text == "TypeError: Too many redirects.")
            let refused = try await client.execute(.get, "/error-mode?url=\(Self.query("\(upstream)/echo"))")
            #expect(refused.text.hasPrefix("TypeError: Invalid redirect value, must be one of \"follow\" or \"manual\""))
        }
    }

    @Test func aStreamedRequestBodyIsSentButCannotBeReplayed() async throws {
        try await withWorker { client, upstream, _ in
            let sent = try await client.execute(.get, "/stream-post?url=\(Self.query("\(upstream)/echo"))")
            #expect(sent.text == "200 PUT /echo body=one-two-three authorization=- content-type=- x-from=- x-forwarded-host=-")
            let replay = try await client.execute(.get, "/stream-post?url=\(Self.query("\(upstream)/redirect?status=307&to=/echo"))")
            #expect(replay.text.hasPrefix("TypeError: A request with a one-time-use body (it was initialized from a stream, not a buffer)"))
        }
    }

    @Test func failuresCarryWorkersTexts() async throws {
        try await withWorker { client, upstream, recorder in
            let scheme = try await client.execute(.get, "/get?url=\(Self.query("ftp://files.example.com/a.txt"))")
            #expect(scheme.text == "TypeError: Fetch API cannot load: ftp://files.example.com/a.txt")
            // Port 1 on 127.0.0.1: nothing listens, the connection is refused.
            let lost = try await client.execute(.get, "/get?url=\(Self.query("http://127.0.0.1:1/x"))")
            #expect(lost.text == "Error: Network connection lost.")
            #expect(recorder.lines.contains { $0.hasPrefix("[edge:error] outbound GET http://127.0.0.1:1/x failed: Error: Network connection lost. (") })
        }
    }

    @Test func aSignalAbortsAPendingFetch() async throws {
        try await withWorker { client, upstream, _ in
            // AbortSignal.timeout is a setTimeout, on the emulator's clock (a VirtualClock here):
            // once the upstream holds the request, the test moves the clock a minute on.
            let id = UUID().uuidString
            let pending = Task { try await client.execute(.get, "/timeout?url=\(Self.query("\(upstream)/slow?id=\(id)"))") }
            for _ in 0..<1_000 where !Slow.arrived.lines.contains(id) { try await Task.sleep(for: .milliseconds(20)) }
            #expect(Slow.arrived.lines.contains(id))
            await client.advance(by: .seconds(60))
            let timedOut = try await pending.value
            #expect(timedOut.text == "TimeoutError: The operation was aborted due to timeout")
            let aborted = try await client.execute(.get, "/abort?url=\(Self.query("\(upstream)/slow"))")
            #expect(aborted.text == "AbortError: The operation was aborted")
            // A signal that does not fire leaves the response and its whole body alone.
            let inTime = try await client.execute(.get, "/in-time?url=\(Self.query("\(upstream)/chunks"))")
            #expect(inTime.text == "200 " + (0..<50).map { "chunk\($0);" }.joined())
        }
    }

    @Test func aDurableObjectFetchesThroughTheSameService() async throws {
        try await withWorker { client, upstream, _ in
            let response = try await client.execute(.get, "/object?url=\(Self.query("\(upstream)/echo"))")
            #expect(response.text == "200 GET /echo body= authorization=- content-type=- x-from=relay x-forwarded-host=-")
        }
    }

    // MARK: answered by the test

    @Test func byDefaultATestReachesNoNetworkAndTheErrorNamesTheURL() async throws {
        let (config, directory) = try Self.config(Self.toml, name: "outbound")
        defer { try? FileManager.default.removeItem(at: directory) }
        let module = WorkerModule(OutboundWorker(), durableObjects: [Relay.self])
        try await Emulator.test(.live, config: config, module: module) { client in
            let response = try await client.execute(.get, "/get?url=\(Self.query("https://api.stripe.com/v1/charges"))")
            #expect(response.status == .badGateway)
            #expect(response.text.hasPrefix("Error: no outbound route answers GET https://api.stripe.com/v1/charges (routed hosts: none)."))
        }
    }

    @Test func routesAnswerPerHostAndFollowRedirectsAcrossThem() async throws {
        let seen = LockedLines()
        let outbound = OutboundService.routes([
            "api.example.com": { request in
                seen.append("\(request.method.rawValue) \(request.url.absoluteString) \(try await request.text()) \(request.headers.get("authorization") ?? "-")")
                if request.path == "/moved" { return Response(status: .temporaryRedirect, headers: ["location": "https://auth.example.com/token"]) }
                return Response("{\"id\":\"ch_1\"}", headers: ["content-type": "application/json"])
            },
            "auth.example.com": { request in Response("token for \(request.method.rawValue) \(try await request.text()) \(request.headers.get("authorization") ?? "-")") },
        ])
        try await withWorker(outbound: outbound) { client, _, recorder in
            let answered = try await client.execute(.get, "/post?url=\(Self.query("https://api.example.com/v1/charges?key=1"))")
            #expect(answered.text == "200 {\"id\":\"ch_1\"}")
            #expect(seen.lines == ["POST https://api.example.com/v1/charges?key=1 payload Bearer secret"])
            // A 307 to another origin keeps the body and drops Authorization, as workerd does.
            let moved = try await client.execute(.get, "/post?url=\(Self.query("https://api.example.com/moved"))")
            #expect(moved.text == "200 token for POST payload -")
            let unrouted = try await client.execute(.get, "/object?url=\(Self.query("https://other.example.net/x"))")
            #expect(unrouted.text.hasPrefix("Error: no outbound route answers GET https://other.example.net/x (routed hosts: api.example.com, auth.example.com)."))
            #expect(recorder.lines.contains { $0.hasPrefix("[edge:info] outbound POST https://api.example.com/v1/charges 200 OK (") })
        }
    }

    @Test func anOutboundWebSocketIsAnsweredByAHandler() async throws {
        let received = LockedLines()
        let outbound = OutboundService.handler { request in
            let (client, server) = WebSocketPair()
            server.accept()
            Task {
                for await event in server.events {
                    if case .message(.text(let text)) = event { received.append(text) }
                }
            }
            return Response(webSocket: client)
        }
        try await withWorker(outbound: outbound) { client, _, _ in
            let response = try await client.execute(.get, "/websocket?url=\(Self.query("https://chat.example.com/socket"))")
            #expect(response.text == "101 socket")
        }
        for _ in 0..<100 where received.lines.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(received.lines == ["hello from the worker"])
        // Over the network an upstream that answers without upgrading gives its ordinary response
        // (OutboundWebSocketTests covers the sockets themselves).
        try await withWorker { client, upstream, _ in
            let refused = try await client.execute(.get, "/websocket?url=\(Self.query("\(upstream)/echo"))")
            #expect(refused.text == "200 no socket")
        }
    }

    @Test func aHandlerAnswersEverythingAndForwardingReachesALocalStub() async throws {
        try await withWorker(outbound: .handler { request in Response("stub \(request.url.host ?? "")\(request.path)") }) { client, _, _ in
            let response = try await client.execute(.get, "/get?url=\(Self.query("https://hooks.example.org/notify"))")
            #expect(response.text == "200 stub hooks.example.org/notify")
        }
        // `edge dev --outbound-to <stub>`: the path kept, the intended host in X-Forwarded-Host.
        try await withWorker { _, upstream, _ in
            try await withWorker(outbound: .forward(to: URL(string: upstream)!)) { client, _, _ in
                let response = try await client.execute(.get, "/get?url=\(Self.query("https://api.example.com/echo"))")
                #expect(response.text == "200 GET /echo body= authorization=- content-type=- x-from=- x-forwarded-host=api.example.com")
            }
        }
    }
}

/// Lines a route handler records, read by the test afterwards.
final class LockedLines: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}
