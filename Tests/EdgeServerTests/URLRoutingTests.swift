import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Testing

/// A worker of its own (not CounterFire), over real sockets: routes by `URLPattern`, sees paths
/// percent-encoded as production does, catches a bad URL as a `TypeError`, forwards to a Durable
/// Object with `stub.fetch(url, init)` and `new Request(newUrl, request)`.
@Suite(.timeLimit(.minutes(1))) struct URLRoutingTests {
    @Test(arguments: TestMode.allCases)
    func encodedSlashesStayInTheirSegment(mode: TestMode) async throws {
        try await withRouter(mode) { client in
            let encoded = try await client.execute(.get, "/v1/orders/a%2Fb")
            #expect(encoded.text == "order a%2Fb at /v1/orders/a%2Fb")
            let status = try await client.execute(.get, "/v1/orders/a%2Fstatus")
            #expect(status.text == "order a%2Fstatus at /v1/orders/a%2Fstatus", "an encoded slash is not a route separator")
            let plain = try await client.execute(.get, "/v1/orders/a/status")
            #expect(plain.text == "status of a")
            #expect(try await client.execute(.get, "/v1/orders/a/b").status == .notFound)
            let dotted = try await client.execute(.get, "/v1/x/../orders/7")
            #expect(dotted.text == "order 7 at /v1/orders/7", "dot segments are resolved as the URL parser does")
        }
    }

    @Test(arguments: TestMode.allCases)
    func aBadURLIsATypeErrorTheHandlerCatches(mode: TestMode) async throws {
        try await withRouter(mode) { client in
            let caught = try await client.execute(.get, "/proxy?to=not%20a%20url")
            #expect(caught.status == .badRequest)
            #expect(caught.text == "TypeError: Invalid URL: not a url")
            // Not caught: the request fails with a 500 and the process (and every other worker) lives on.
            let uncaught = try await client.execute(.get, "/proxy?to=bad&catch=no")
            #expect(uncaught.status == .internalServerError)
            #expect(try await client.execute(.get, "/v1/orders/1").text == "order 1 at /v1/orders/1")
        }
    }

    @Test(arguments: TestMode.allCases)
    func stubFetchWithURLAndInitAndANewRequestFromAnOldOne(mode: TestMode) async throws {
        try await withRouter(mode) { client in
            let posted = try await client.execute(.post, "/rooms/lobby/say", text: "hello")
            #expect(posted.text == "room lobby: POST /say hello x-from=worker")
            let moved = try await client.execute(.put, "/rooms/lobby/moved/deep/path?x=1", text: "body")
            #expect(moved.text == "room lobby: PUT /deep/path?x=1 body x-from=client")
        }
    }

    @Test(arguments: TestMode.allCases)
    func searchParamsDecodePlusAndSerialize(mode: TestMode) async throws {
        try await withRouter(mode) { client in
            let response = try await client.execute(.get, "/search?q=hot+dog&b=2&a=1")
            #expect(response.text == "q=hot dog; sorted a=1&b=2&q=hot+dog")
        }
    }
}

// MARK: the worker

private struct RouterEnv: WorkerEnv {
    let ROOMS: DurableObjectNamespace<Room>
    init(bindings: Bindings) throws { ROOMS = try bindings.get("ROOMS") }
}

private struct RouterWorker: Worker {
    typealias Env = RouterEnv
    static let order = try! URLPattern(pathname: "/v1/orders/:id")
    static let status = try! URLPattern(pathname: "/v1/orders/:id/status")
    static let room = try! URLPattern(pathname: "/rooms/:name/:action/:rest*")
    static let proxy = try! URLPattern(pathname: "/proxy")

    func fetch(_ request: Request, env: RouterEnv, ctx: ExecutionContext) async throws -> Response {
        if let match = Self.order.exec(request.url) {
            return Response("order \(match.pathname.groups["id"] ?? "") at \(request.pathname)")
        }
        if let match = Self.status.exec(request.url) {
            return Response("status of \(match.pathname.groups["id"] ?? "")")
        }
        if let match = Self.room.exec(request.url) {
            let stub = env.ROOMS.getByName(match.pathname.groups["name"] ?? "")
            if match.pathname.groups["action"] == "moved" {
                let query = request.url.query.map { "?\($0)" } ?? ""
                return try await stub.fetch(Request("https://room/\(match.pathname.groups["rest"] ?? "")\(query)", request))
            }
            var headers = request.headers
            headers.set("x-from", "worker")
            return try await stub.fetch("https://room/\(match.pathname.groups["action"] ?? "")", RequestInit(method: request.method, headers: headers, body: request.body))
        }
        if Self.proxy.test(request.url) {
            let target = request.searchParams.get("to") ?? ""
            guard request.searchParams.get("catch") != "no" else { return Response("unreachable \(try Request(target).url)") }
            do {
                return Response("would fetch \(try Request(target).url)")
            } catch let error as TypeError {
                return Response("\(error)", status: .badRequest)
            }
        }
        if request.pathname == "/search" {
            var params = request.searchParams
            params.sort()
            return Response("q=\(params.get("q") ?? ""); sorted \(params)")
        }
        return Response("not found", status: .notFound)
    }
}

private actor Room: DurableObject {
    typealias Env = RouterEnv
    let name: String

    init(state: DurableObjectState, env: RouterEnv) {
        name = state.id.name ?? ""
    }

    func fetch(_ request: Request) async throws -> Response {
        let query = request.url.query.map { "?\($0)" } ?? ""
        let from = request.headers.get("x-from") ?? "client"
        return Response("room \(name): \(request.method) \(request.pathname)\(query) \(try await request.text()) x-from=\(from)")
    }
}

/// An emulator of ``RouterWorker`` from a config of its own, live (real sockets) or in-process.
private func withRouter(_ mode: TestMode, _ body: (TestClient) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-router-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("wrangler-like.toml")
    try Data("""
        name = "edge-router"
        compatibility_date = "2026-04-07"

        [durable_objects]
        bindings = [{ name = "ROOMS", class_name = "Room" }]

        [[migrations]]
        tag = "v1"
        new_sqlite_classes = ["Room"]
        """.utf8).write(to: path)
    let config = try WranglerConfig.load(from: path).config
    let module = WorkerModule(RouterWorker(), durableObjects: [Room.self])
    try await Emulator.test(mode, config: config, module: module, logger: LogRecorder().logger(), body)
}
