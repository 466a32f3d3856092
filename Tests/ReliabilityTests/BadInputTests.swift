@testable import CounterFire
import EdgeRuntime
import EdgeTesting
import Foundation
import HTTPTypes
import NIOCore
import Testing

/// Whatever a client sends, the answer is a clear error (a fitting status and
/// `{"error": {"code", "message"}}`), the log is unchanged, and the server keeps serving.
@Suite struct BadInputTests {
    /// Checks `response` is the contract's error with `status` and `code`.
    static func expectError(_ response: TestResponse, _ status: Int, _ code: String, message: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status.code == status, "\(response.status.code) \(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers.get("content-type")?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        let reply = try? response.json(as: ErrorReply.self)
        #expect(reply?.error.code == code, "\(response.text)", sourceLocation: sourceLocation)
        #expect(reply.map { !$0.error.message.isEmpty } == true, sourceLocation: sourceLocation)
        if let message { #expect(reply?.error.message.contains(message) == true, "\(response.text)", sourceLocation: sourceLocation) }
    }

    static func post(_ client: TestClient, _ body: [UInt8], contentType: String? = "application/json", headers extra: Headers = [:]) async throws -> TestResponse {
        var headers = extra
        if let contentType { headers.set("content-type", contentType) }
        return try await client.execute(.post, "/v1/restaurants/demo/orders", headers: headers, body: ByteBuffer(bytes: body))
    }

    // MARK: bodies

    static let malformedBodies: [(String, [UInt8], String)] = [
        ("empty", [], "invalid_json"),
        ("truncated object", Array(#"{"items":[{"name":"a","quantity":1}"#.utf8), "invalid_json"),
        ("trailing comma", Array(#"{"items":[{"name":"a","quantity":1},]}"#.utf8), "invalid_json"),
        ("single quotes", Array("{'items':[]}".utf8), "invalid_json"),
        ("bare word", Array("burger".utf8), "invalid_json"),
        ("NUL bytes", [0, 0, 0, 0], "invalid_json"),
        ("invalid UTF-8 in a string", Array(#"{"items":[{"name":""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#"","quantity":1}]}"#.utf8), "invalid_json"),
        ("invalid UTF-8 outside strings", [0xC0, 0x80, 0xFF], "invalid_json"),
        ("lone surrogate escape", Array(#"{"items":[{"name":"\uD800","quantity":1}]}"#.utf8), "invalid_json"),
        ("number too large", Array(#"{"items":[{"name":"a","quantity":1e400}]}"#.utf8), "invalid_json"),
        ("30 000 nested arrays", Array(repeating: UInt8(ascii: "["), count: 30_000) + Array(repeating: UInt8(ascii: "]"), count: 30_000), "invalid_json"),
        ("nested items", Array(#"{"items":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 20_000) + Array(repeating: UInt8(ascii: "]"), count: 20_000) + [UInt8(ascii: "}")], "invalid_json"),
        ("10 000 nested objects", Array(String(repeating: #"{"a":"#, count: 10_000).utf8) + [UInt8(ascii: "1")] + Array(repeating: UInt8(ascii: "}"), count: 10_000), "invalid_json"),
        ("wrong top-level type", Array("[1,2,3]".utf8), "invalid_field"),
        ("quantity as string", Array(#"{"items":[{"name":"a","quantity":"1"}]}"#.utf8), "invalid_field"),
        ("quantity fractional", Array(#"{"items":[{"name":"a","quantity":1.5}]}"#.utf8), "invalid_field"),
        ("quantity huge", Array(#"{"items":[{"name":"a","quantity":9223372036854775808}]}"#.utf8), "invalid_field"),
        ("name null", Array(#"{"items":[{"name":null,"quantity":1}]}"#.utf8), "invalid_field"),
        ("items object", Array(#"{"items":{"name":"a","quantity":1}}"#.utf8), "invalid_field"),
        ("51 items", Array(("{\"items\":[" + Array(repeating: #"{"name":"a","quantity":1}"#, count: 51).joined(separator: ",") + "]}").utf8), "invalid_field"),
        ("name of 101 characters", Array(#"{"items":[{"name":"\#(String(repeating: "é", count: 101))","quantity":1}]}"#.utf8), "invalid_field"),
        ("unknown field", Array(#"{"items":[{"name":"a","quantity":1}],"price":0}"#.utf8), "invalid_field"),
    ]

    @Test(arguments: TestMode.allCases)
    func malformedAndWronglyTypedBodiesAreRefusedAndChangeNothing(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            let order = try await client.createOrder()
            let before = try await client.log()
            for (name, body, code) in Self.malformedBodies {
                let response = try await Self.post(client, body)
                Self.expectError(response, 400, code)
                #expect(response.status.code == 400 && (try? response.json(as: ErrorReply.self).error.code) == code, "\(name): \(response.text)")
                if response.status.code != 400 { print("accepted:", name) }
                let status = try await client.execute(.post, "/v1/orders/\(order.order.id)/status", headers: ["content-type": "application/json", "authorization": "Bearer \(kitchenKey)"], body: ByteBuffer(bytes: body))
                #expect(status.status.code == 400, "\(name) as a status change: \(status.text)")
            }
            #expect(try await client.log() == before, "nothing was written")
            #expect(try await client.execute(.get, "/v1/health").status == .ok)
        }
    }

    @Test("100 000 nested arrays or objects do not crash the JSON reader")
    func deeplyNestedJSONDoesNotCrashTheParser() throws {
        for depth in [100_000, 1_000_000] {
            let arrays = Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
            #expect(throws: APIError.self) { try CreateOrderInput.parse(arrays) }
            #expect(throws: APIError.self) { try StatusChangeInput.parse(arrays) }
            let objects = Array(String(repeating: #"{"items":"#, count: depth).utf8) + [UInt8(ascii: "1")] + Array(repeating: UInt8(ascii: "}"), count: depth)
            #expect(throws: APIError.self) { try CreateOrderInput.parse(objects) }
            let unclosed = Array(repeating: UInt8(ascii: "["), count: depth)
            #expect(throws: APIError.self) { try CreateOrderInput.parse(unclosed) }
        }
    }

    @Test("100 000 nested arrays over HTTP: refused as too large (Content-Length, or chunked past 64 KiB), server up")
    func deeplyNestedJSONOverTheWire() async throws {
        try await withCounterFire(.live) { client in
            let port = try #require(client.server?.port)
            let body = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
            let sized = try await rawExchange(port: port, rawRequest("POST", "/v1/restaurants/demo/orders", headers: [("content-type", "application/json")], body: body))
            #expect(sized.status == 413, "\(sized)")
            var chunked = Array("POST /v1/restaurants/demo/orders HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".utf8)
            for start in stride(from: 0, to: body.count, by: 8192) {
                let piece = body[start..<min(start + 8192, body.count)]
                chunked += Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10]
            }
            chunked += Array("0\r\n\r\n".utf8)
            let streamed = try await rawExchange(port: port, chunked)
            #expect(streamed.status == 413, "\(streamed)")
            #expect(streamed.text.contains("payload_too_large"))
            #expect(try await client.log().isEmpty)
            #expect(try await client.execute(.get, "/v1/health").status == .ok)
        }
    }

    // MARK: sizes and types

    @Test("Content-Length of 10 MB with a few bytes sent: 413 comes back at once, before the body")
    func oversizedContentLengthIsRefusedBeforeReading() async throws {
        try await withCounterFire(.live) { client in
            let port = try #require(client.server?.port)
            let started = ContinuousClock.now
            let response = try await rawExchange(
                port: port,
                rawRequest("POST", "/v1/restaurants/demo/orders", headers: [("content-type", "application/json")], body: Array(#"{"items":["#.utf8), contentLength: 10_000_000),
                timeout: .seconds(15))
            // The 10 MB never come: a server that waited for them would never answer.
            #expect(response.status == 413, "\(response)")
            #expect(response.text.contains("payload_too_large"), "\(response)")
            #expect(ContinuousClock.now - started < .seconds(15))
            // The same for a status change, whose key is checked first.
            let order = try await client.createOrder()
            let status = try await rawExchange(
                port: port,
                rawRequest("POST", "/v1/orders/\(order.order.id)/status", headers: [("content-type", "application/json"), ("authorization", "Bearer \(kitchenKey)")], body: Array("{".utf8), contentLength: 10_000_000),
                timeout: .seconds(5))
            #expect(status.status == 413, "\(status)")
            #expect(try await client.log().count == 1)
            #expect(try await client.execute(.get, "/v1/health").status == .ok)
        }
    }

    @Test(arguments: TestMode.allCases)
    func oversizedAndMistypedBodies(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            let big = Array(#"{"items":[{"name":"a","quantity":1,"notes":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 70_000) + Array(#""}]}"#.utf8)
            Self.expectError(try await Self.post(client, big), 413, "payload_too_large")
            let valid = Array(#"{"items":[{"name":"a","quantity":1}]}"#.utf8)
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "json"] {
                Self.expectError(try await Self.post(client, valid, contentType: type), 415, "unsupported_media_type")
            }
            Self.expectError(try await Self.post(client, valid, contentType: nil), 415, "unsupported_media_type")
            #expect(try await Self.post(client, valid, contentType: "Application/JSON; charset=utf-8").status == .created)
            #expect(try await client.log().count == 1)
        }
    }

    // MARK: headers

    @Test("huge heads get 431, on the first request or a later one of a keep-alive connection, never a crash or a silent reset")
    func hugeHeadersAreRefused() async throws {
        try await withCounterFire(.live) { client in
            let port = try #require(client.server?.port)
            let oneBigHeader = rawRequest("GET", "/v1/health", headers: [("x-big", String(repeating: "a", count: 200_000))])
            let manyHeaders = rawRequest("GET", "/v1/health", headers: (0..<20_000).map { ("x-h\($0)", "v") })
            let longTarget = rawRequest("GET", "/v1/health?" + String(repeating: "q", count: 200_000))
            for (name, request) in [("one 200 KB header", oneBigHeader), ("20 000 headers", manyHeaders), ("200 KB request target", longTarget)] {
                let first = try await rawExchange(port: port, request)
                #expect(first.status == 431, "\(name), first request: \(first)")
                let pair = try await rawExchanges(port: port, rawRequest("GET", "/v1/health") + request, count: 2)
                #expect(pair.first?.status == 200, "\(name): the first response on a keep-alive connection")
                #expect(pair.count == 2 && pair[1].status == 431, "\(name): the second response, after a good one: \(pair)")
                #expect(try await client.execute(.get, "/v1/health").status == .ok, "server up after \(name)")
            }
            let garbage = try await rawExchange(port: port, Array("NOT HTTP AT ALL\r\n\r\n".utf8))
            #expect(garbage.status == 400, "\(garbage)")
            #expect(try await client.execute(.get, "/v1/health").status == .ok)
        }
    }

    // MARK: routes and methods

    @Test(arguments: TestMode.allCases)
    func unknownRoutesAndMethods(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            for path in ["/v1/nope", "/v1", "/v2/health", "/v1/restaurants/demo", "/v1/restaurants/demo/orders/extra", "/v1/orders", "/v1/kds", "/v1/track", "/%00", "/v1/orders/a/b/c", "/v1/../etc/passwd", "/v1/%2e%2e/%2e%2e/etc/passwd"] {
                Self.expectError(try await client.execute(.get, path), 404, "not_found")
            }
            let methodCases: [(HTTPRequest.Method, String, String)] = [
                (.delete, "/v1/restaurants/demo/orders", "POST"), (.get, "/v1/restaurants/demo/orders", "POST"),
                (.put, "/v1/health", "GET"), (.post, "/v1/health", "GET"), (.patch, "/v1/orders/x/status", "POST"),
                (.options, "/v1/track/abc", "GET"), (.delete, "/v1/kds/stream", "GET"),
            ]
            for (method, path, allowed) in methodCases {
                Self.expectError(try await client.execute(method, path), 405, "method_not_allowed", message: allowed)
            }
            if !client.isLive {
                // Methods a browser never sends still get an answer (the wire parser refuses
                // unknown tokens before the worker sees them, see below).
                Self.expectError(try await client.execute(HTTPRequest.Method("BREW")!, "/v1/health"), 405, "method_not_allowed")
            } else {
                let port = try #require(client.server?.port)
                let brew = try await rawExchange(port: port, rawRequest("BREW", "/v1/health"))
                #expect(brew.status == 400 || brew.status == 405, "\(brew)")
            }
            #expect(try await client.log().isEmpty)
        }
    }

    // MARK: idempotency keys

    @Test(arguments: TestMode.allCases)
    func badIdempotencyKeys(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            let body = Array(#"{"items":[{"name":"a","quantity":1}]}"#.utf8)
            for key in ["", " ", String(repeating: "k", count: 256), "has space", "tab\tkey", "ключ", "emoji🍔", "\u{7F}"] {
                let response = try await Self.post(client, body, headers: ["idempotency-key": key])
                // An empty field may be dropped on the way; it then counts as no key.
                if key.trimmingCharacters(in: .whitespaces).isEmpty, response.status == .created { continue }
                Self.expectError(response, 400, "invalid_idempotency_key")
                #expect(response.status.code == 400, "key \(key.debugDescription)")
            }
            let logAfterRefusals = try await client.log()
            let first = try await Self.post(client, body, headers: ["idempotency-key": "k1"])
            #expect(first.status == .created)
            let replay = try await Self.post(client, Array(#"{ "items" : [ { "quantity" : 1, "name" : "a" } ] }"#.utf8), headers: ["idempotency-key": "k1"])
            #expect(replay.status == .ok, "the same order, spelled differently, is a replay")
            Self.expectError(try await Self.post(client, Array(#"{"items":[{"name":"b","quantity":1}]}"#.utf8), headers: ["idempotency-key": "k1"]), 409, "idempotency_conflict")
            let log = try await client.log()
            #expect(log.count == logAfterRefusals.count + 1, "refused keys, the replay and the conflict wrote nothing")
        }
    }

    // MARK: keys and tokens

    @Test(arguments: TestMode.allCases)
    func wrongKitchenKeysAndTrackerTokens(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            let order = try await client.createOrder()
            let id = order.order.id
            let before = try await client.log()
            var wrongAuthorizations: [Headers] = [
                [:], ["authorization": "Bearer wrong"], ["authorization": "Bearer"],
                ["authorization": "Basic ZGVtbzpkZW1vLWtpdGNoZW4ta2V5"], ["authorization": "bearer demo-kitchen-key-"],
                ["authorization": "Bearer demo-kitchen-ke"], ["authorization": "Bearer ' OR '1'='1"],
                ["authorization": "Bearer " + String(repeating: "k", count: 4096)],
                ["authorization": "Bearer wrong", "x-key": kitchenKey],
            ]
            if !client.isLive {
                // The live client's NIO refuses to send a field value with trailing whitespace.
                wrongAuthorizations.append(["authorization": "Bearer "])
            }
            for headers in wrongAuthorizations {
                Self.expectError(try await client.execute(.get, "/v1/orders/\(id)", headers: headers), 401, "unauthorized")
                var post = headers
                post.set("content-type", "application/json")
                Self.expectError(try await client.execute(.post, "/v1/orders/\(id)/status", headers: post, text: #"{"status":"preparing"}"#), 401, "unauthorized")
                Self.expectError(try await client.execute(.get, "/v1/kds/stream?restaurant=demo", headers: headers), 401, "unauthorized")
            }
            // A wrong header is not rescued by a right query key, and a wrong query key fails.
            Self.expectError(try await client.execute(.get, "/v1/orders/\(id)?key=\(kitchenKey)", headers: ["authorization": "Bearer nope"]), 401, "unauthorized")
            Self.expectError(try await client.execute(.get, "/v1/kds/stream?restaurant=demo&key=nope"), 401, "unauthorized")
            do {
                _ = try await client.webSocket("/v1/kds/stream?restaurant=demo&key=nope")
                Issue.record("a WebSocket with a wrong key was accepted")
            } catch let error as TestClientError {
                #expect(error.refusedResponse?.status == .unauthorized)
            }
            for token in ["", "x", String(repeating: "A", count: 32), String(order.tracker_token.dropLast()) + "A", order.tracker_token + "x", String(repeating: "t", count: 500), "' OR '1'='1' --xxxxxxxx", "%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00"] {
                guard token != order.tracker_token else { continue }
                let token = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["%", "-", "_"])) ?? token
                let response = try await client.execute(.get, "/v1/track/\(token)")
                if token.isEmpty {
                    Self.expectError(response, 404, "not_found")
                } else {
                    Self.expectError(response, 404, "tracker_not_found")
                    Self.expectError(try await client.execute(.get, "/v1/track/\(token)/stream"), 404, "tracker_not_found")
                }
            }
            #expect(try await client.execute(.get, "/v1/track/\(order.tracker_token)").status == .ok)
            #expect(try await client.log() == before)
        }
    }

    // MARK: SQL text

    @Test(arguments: TestMode.allCases)
    func sqlTextIsStoredAsPlainText(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            let payloads = [
                "'); DROP TABLE orders; --", "\" OR 1=1 --", "'; UPDATE restaurant SET kitchen_key_hash = 'x'; --",
                "Robert'); DELETE FROM order_event WHERE ('1'='1", "1; ATTACH DATABASE '/tmp/x' AS x; --", "%' UNION SELECT kitchen_key_hash FROM restaurant --",
            ]
            var ids: [String] = []
            for payload in payloads {
                struct Item: Encodable { let name: String; let quantity: Int; let notes: String }
                struct Body: Encodable { let items: [Item]; let customer_name: String }
                let response = try await client.execute(
                    .post, "/v1/restaurants/demo/orders", headers: ["idempotency-key": String(payload.prefix(60)).replacingOccurrences(of: " ", with: "_")],
                    json: Body(items: [Item(name: payload, quantity: 1, notes: payload)], customer_name: payload))
                #expect(response.status == .created, "\(response.text)")
                let created = try response.json(as: CreatedOrder.self)
                ids.append(created.order.id)
                let read = try await client.execute(.get, "/v1/orders/\(created.order.id)", headers: kitchen)
                struct Read: Decodable { let order: Ticket }
                let ticket = try read.json(as: Read.self).order
                #expect(ticket.items.first?.name == payload)
                #expect(ticket.items.first?.notes == payload)
                #expect(ticket.customerName == payload)
            }
            // SQL in the places that are looked up: ids, restaurants, keys, tokens, cursors. (A
            // payload's `/` stays `%2F` inside its path segment, as `url.pathname` keeps it.)
            for payload in payloads {
                let encoded = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                Self.expectError(try await client.execute(.get, "/v1/orders/\(encoded)", headers: kitchen), 404, "order_not_found")
                Self.expectError(try await client.execute(.post, "/v1/restaurants/\(encoded)/orders", headers: ["content-type": "application/json"], text: #"{"items":[{"name":"a","quantity":1}]}"#), 404, "restaurant_not_found")
                Self.expectError(try await client.execute(.get, "/v1/orders/\(ids[0])?key=\(encoded)"), 401, "unauthorized")
                Self.expectError(try await client.execute(.get, "/v1/track/\(encoded)xxxxxxxxxxxxxxxx"), 404, "tracker_not_found")
                Self.expectError(try await client.execute(.get, "/v1/kds/stream?restaurant=\(encoded)&key=\(kitchenKey)"), 404, "restaurant_not_found")
                Self.expectError(try await client.execute(.get, "/v1/kds/stream?restaurant=demo", headers: ["authorization": "Bearer \(payload)"]), 401, "unauthorized")
            }
            let log = try await client.log()
            #expect(log.count == payloads.count, "one event per order, no more, no less")
            expectWellFormed(log)
            // The key still works: its hash was not rewritten.
            #expect(try await client.execute(.get, "/v1/orders/\(ids[0])", headers: kitchen).status == .ok)
        }
    }

    // MARK: resume positions

    @Test(arguments: TestMode.allCases)
    func resumePositionsThatAreNotNumbersGetASnapshot(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            let order = try await client.createOrder()
            try await client.changeStatus(order.order.id, to: "preparing")
            for after in ["abc", "-1", "1e1", "0x1", "1.0", "99999999999999999999999", "%00", "1%20OR%201=1", "", "3"] {
                let socket = try await client.webSocket(kdsPath + "&after=\(after)")
                let first = try JSONDecoder().decode(KitchenMessage.self, from: Data((try #require(try await socket.receiveText())).utf8))
                #expect(first.type == "snapshot", "after=\(after)")
                #expect(first.cursor == 2)
                socket.abort()

                let events = try await client.events(kdsPath + "&after=\(after)")
                var iterator = events.makeAsyncIterator()
                #expect(try await iterator.next()?.event == "snapshot", "SSE after=\(after)")
                events.cancel()
            }
            for lastEventID in ["abc", "-5", "2.5", " ", "18446744073709551616", "3"] {
                let events = try await client.events(kdsPath, lastEventID: lastEventID)
                var iterator = events.makeAsyncIterator()
                #expect(try await iterator.next()?.event == "snapshot", "Last-Event-ID: \(lastEventID)")
                events.cancel()
                let tracker = try await client.events("/v1/track/\(order.tracker_token)/stream", lastEventID: lastEventID)
                var trackerIterator = tracker.makeAsyncIterator()
                let first = try await trackerIterator.next()
                #expect(first?.event == "snapshot", "tracker Last-Event-ID: \(lastEventID)")
                #expect(first?.id == "2")
                tracker.cancel()
            }
            #expect(try await client.log().count == 2)
        }
    }
}
