import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import NIOCore
import Testing

@Suite("Control routes")
struct ControlTests {
    struct Listing: Decodable {
        struct Namespace: Decodable {
            let binding: String
            let className: String
            let objects: [Object]
        }
        struct Object: Decodable {
            let id: String
            let name: String?
            let state: String
            let sockets: Int
            let constructions: Int
        }
        let namespaces: [Namespace]
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            let code: String
            let message: String
        }
        let error: Detail
    }

    @Test("list, evict and reset Durable Objects over HTTP", arguments: TestMode.allCases)
    func listEvictReset(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            #expect(try await client.execute(.get, "/counter/a").text == "1")
            let listing = try await client.execute(.get, "/cdn-cgi/edge/durable-objects").json(as: Listing.self)
            let namespace = try #require(listing.namespaces.first)
            #expect(namespace.binding == "COUNTER")
            #expect(namespace.className == "Counter")
            let object = try #require(namespace.objects.first { $0.name == "a" })
            #expect(object.constructions == 1)
            #expect(object.id.count == 64)

            let evicted = try await client.execute(.post, "/cdn-cgi/edge/durable-objects/COUNTER/evict", text: #"{"name": "a"}"#)
            #expect(evicted.status == .ok)
            #expect(try evicted.json(as: [String: [String]].self) == ["evicted": [object.id]])
            let nothing = try await client.execute(.post, "/cdn-cgi/edge/durable-objects/COUNTER/evict", text: #"{"id": "\#(object.id)", "websockets": "close"}"#)
            #expect(try nothing.json(as: [String: [String]].self) == ["evicted": []])

            #expect(try await client.execute(.get, "/counter/a").text == "2", "storage survives eviction")
            let one = try await client.execute(.get, "/cdn-cgi/edge/durable-objects/COUNTER").json(as: Listing.Namespace.self)
            #expect(one.objects.first { $0.name == "a" }?.constructions == 2)

            let reset = try await client.execute(.post, "/cdn-cgi/edge/durable-objects/COUNTER/reset", text: #"{"all": true}"#)
            #expect(reset.status == .ok)
            #expect(try reset.json(as: [String: [String]].self) == ["reset": [object.id]])
            #expect(try await client.execute(.get, "/counter/a").text == "3")
        }
    }

    @Test("bad input gets a clear JSON error", arguments: TestMode.allCases)
    func badInput(mode: TestMode) async throws {
        let cases: [(method: String, path: String, body: String?, status: Int, code: String)] = [
            ("POST", "/COUNTER/evict", "not json", 400, "invalid_json"),
            ("POST", "/COUNTER/evict", "[1]", 400, "invalid_json"),
            ("POST", "/COUNTER/evict", "{}", 400, "invalid_target"),
            ("POST", "/COUNTER/evict", #"{"name": "a", "id": "b"}"#, 400, "invalid_target"),
            ("POST", "/COUNTER/evict", #"{"name": 5}"#, 400, "invalid_target"),
            ("POST", "/COUNTER/evict", #"{"all": false}"#, 400, "invalid_target"),
            ("POST", "/COUNTER/evict", #"{"names": "a"}"#, 400, "invalid_json"),
            ("POST", "/COUNTER/evict", #"{"id": "xyz"}"#, 400, "invalid_id"),
            ("POST", "/COUNTER/evict", #"{"id": "\#(String(repeating: "a", count: 64))"}"#, 400, "invalid_id"),
            ("POST", "/COUNTER/evict", #"{"name": "a", "websockets": "sleep"}"#, 400, "invalid_websockets"),
            ("POST", "/COUNTER/reset", #"{"name": "a", "websockets": "hibernate"}"#, 400, "invalid_websockets"),
            ("POST", "/NOPE/evict", #"{"name": "a"}"#, 404, "unknown_binding"),
            ("GET", "/NOPE", nil, 404, "unknown_binding"),
            ("GET", "/COUNTER/evict", nil, 405, "method_not_allowed"),
            ("GET", "/COUNTER/explode", nil, 404, "not_found"),
        ]
        try await withEmulator(mode) { client in
            for item in cases {
                let path = "/cdn-cgi/edge/durable-objects" + item.path
                let response = try await client.execute(.init(item.method)!, path, body: item.body.map { ByteBuffer(string: $0) })
                #expect(response.status.code == item.status, "\(item.method) \(item.path) \(item.body ?? "")")
                let error = try response.json(as: ErrorBody.self)
                #expect(error.error.code == item.code, "\(item.method) \(item.path) \(item.body ?? ""): \(error.error.message)")
                #expect(!error.error.message.isEmpty)
            }
            let elsewhere = try await client.execute(.get, "/cdn-cgi/edge/objects")
            #expect(elsewhere.status == .notFound)
            #expect(try elsewhere.json(as: ErrorBody.self).error.code == "not_found")
            let unknown = try await client.execute(.post, "/cdn-cgi/edge/durable-objects/NOPE/evict", text: #"{"all": true}"#)
            #expect(try unknown.json(as: ErrorBody.self).error.message.contains("COUNTER"), "the message names the bindings there are")
        }
    }

    @Test("the loopback decision uses the peer address")
    func loopbackDecision() throws {
        for address in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            #expect(LoopbackPeer.isLoopback(try SocketAddress(ipAddress: address, port: 1)), "\(address)")
        }
        for address in ["10.0.0.1", "192.168.1.20", "203.0.113.7", "0.0.0.0", "::2", "fe80::1", "::ffff:10.0.0.1", "2001:db8::1"] {
            #expect(!LoopbackPeer.isLoopback(try SocketAddress(ipAddress: address, port: 1)), "\(address)")
        }
        #expect(!LoopbackPeer.isLoopback(nil))
    }

    @Test("control routes are refused to a non-loopback peer, whatever its headers say")
    func refusedInProcess() async throws {
        try await withEmulator(.inProcess) { client in
            let outsider = try SocketAddress(ipAddress: "203.0.113.7", port: 40000)
            for path in ["/cdn-cgi/edge/durable-objects", "/cdn-cgi/local/scheduled"] {
                let request = try Request("http://localhost\(path)", headers: ["host": "localhost", "x-forwarded-for": "127.0.0.1"])
                let response = await client.emulator.handle(request, remoteAddress: outsider)
                #expect(response.status == .forbidden, "\(path)")
                #expect(try await response.text().contains("\"forbidden\""))
            }
            let worker = await client.emulator.handle(try Request("http://localhost/hello"), remoteAddress: outsider)
            #expect(try await worker.text() == "hello edge", "other paths still reach the worker")
        }
    }

    @Test(
        "control routes are refused over a real connection from a non-loopback address",
        .enabled(if: NonLoopbackAddress.isAvailable, "needs root and iproute2 to make a veth pair of its own (CI has both)"))
    func refusedLive() async throws {
        try await NonLoopbackAddress.with { address in
            try await withEmulator(.live) { client in
                let outsider = TestClient(
                    emulator: client.emulator, server: client.server, localAddress: try SocketAddress(ipAddress: address, port: 0))
                let response = try await outsider.execute(.get, "/cdn-cgi/edge/durable-objects")
                #expect(response.status == .forbidden)
                let echoed = try await outsider.execute(.get, "/request")
                #expect(try echoed.json(as: [String: String].self)["cfConnectingIP"] == address)
                let local = try await client.execute(.get, "/cdn-cgi/edge/durable-objects")
                #expect(local.status == .ok, "the same route from 127.0.0.1")
            }
        }
    }

    @Test("scheduled events run through wrangler's path", arguments: TestMode.allCases)
    func scheduled(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            let ok = try await client.execute(.get, "/cdn-cgi/local/scheduled?cron=*/10%20*%20*%20*%20*")
            #expect(ok.status == .ok)
            #expect(ok.text == "ok")
            #expect(Probe.named("scheduled").events.contains("*/10 * * * *"))
            let failed = try await client.execute(.get, "/cdn-cgi/local/scheduled?cron=fail")
            #expect(failed.status == .internalServerError)
            #expect(failed.text == "exception: cron failed")
            let json = try await client.execute(.get, "/cdn-cgi/local/scheduled?cron=fail&format=json")
            #expect(json.status == .internalServerError)
            let outcome = try json.json(as: [String: AnyCodableValue].self)
            #expect(outcome["outcome"] == .string("exception"))
            #expect(outcome["noRetry"] == .bool(false))
            #expect(await client.scheduled(cron: "direct").ok)
        }
    }
}

/// A JSON scalar, for checking small JSON objects.
enum AnyCodableValue: Decodable, Equatable {
    case string(String), bool(Bool), number(Double), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else { self = .string(try container.decode(String.self)) }
    }
}
