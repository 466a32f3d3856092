@testable import CounterFire
import EdgeRuntime
import EdgeTesting
import Foundation
import HTTPTypes
import NIOCore
import PropertyBased
import Synchronization
import Testing

/// A property-based fuzzer: thousands of generated requests (JSON-ish bodies, paths near and far
/// from the routes, random headers and methods) thrown at the worker in-process. Properties:
/// no 5xx; every error is the contract's JSON error; a request that is refused writes nothing to
/// the log; and the log stays well formed throughout.
@Suite struct FuzzTests {
    /// One generated request.
    struct FuzzRequest: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var headers: Headers
        var body: [UInt8]

        var description: String {
            "\(method.rawValue) \(path) \(Array(headers).map { "\($0.0): \($0.1.prefix(60))" }) body(\(body.count)): \(String(decoding: body.prefix(200), as: UTF8.self))"
        }
    }

    /// Orders and tokens that exist, so generated requests reach deep into the routes.
    struct Known: Sendable {
        let orderIDs: [String]
        let trackerTokens: [String]
    }

    // MARK: generators

    static func pick<T>(_ items: [T], _ rng: inout any SeededRandomNumberGenerator) -> T {
        items[Int.random(in: 0..<items.count, using: &rng)]
    }

    static func chance(_ percent: Int, _ rng: inout any SeededRandomNumberGenerator) -> Bool {
        Int.random(in: 0..<100, using: &rng) < percent
    }

    static func randomText(_ rng: inout any SeededRandomNumberGenerator, maxLength: Int = 40) -> String {
        let pieces = ["a", "Z", "0", " ", "'", "\"", "\\", "/", "%", "é", "🍔", "\u{0}", "\u{7}", "\n", "\u{FFFD}", "\u{202E}", "DROP TABLE orders;--", "' OR '1'='1", "{", "}", "[", "]", ",", ":", "null", "-1", "1e999", "<script>"]
        let count = Int.random(in: 0...maxLength, using: &rng)
        return (0..<count).map { _ in pick(pieces, &rng) }.joined()
    }

    /// A random JSON-ish value, `depth` levels deep at most.
    static func jsonish(_ rng: inout any SeededRandomNumberGenerator, depth: Int = 4) -> String {
        let scalars = ["null", "true", "false", "0", "1", "-1", "99", "100", "1.5", "1e2", "-0", "9223372036854775808", "1e400", "NaN", "\"\"", "\"preparing\"", "\"ready\"", "\"cancelled\"", "\"x\"", "'single'", "undefined"]
        let roll = Int.random(in: 0..<10, using: &rng)
        if depth == 0 || roll < 4 {
            return chance(70, &rng) ? pick(scalars, &rng) : "\"\(randomText(&rng).replacingOccurrences(of: "\"", with: "\\\""))\""
        }
        if roll < 6 {
            let count = Int.random(in: 0...4, using: &rng)
            return "[" + (0..<count).map { _ in jsonish(&rng, depth: depth - 1) }.joined(separator: ",") + (chance(5, &rng) ? ",]" : "]")
        }
        let keys = ["items", "name", "quantity", "notes", "customer_name", "status", "expected_seq", "extra", "", "__proto__"]
        let count = Int.random(in: 0...4, using: &rng)
        return "{" + (0..<count).map { _ in "\"\(pick(keys, &rng))\":\(jsonish(&rng, depth: depth - 1))" }.joined(separator: ",") + "}"
    }

    /// A body: often almost valid, sometimes anything.
    static func body(_ rng: inout any SeededRandomNumberGenerator) -> [UInt8] {
        switch Int.random(in: 0..<12, using: &rng) {
        case 0:
            return []
        case 1:
            return (0..<Int.random(in: 1...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 2:
            let depth = Int.random(in: 100...30_000, using: &rng)
            return Array(String(repeating: pick(["[", "{\"items\":"], &rng), count: depth).utf8)
        case 3:
            return orderBody(&rng)
        case 4:
            return statusBody(&rng)
        case 5:
            var bytes = Array(jsonish(&rng).utf8)
            if !bytes.isEmpty {
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            }
            return bytes
        default:
            return Array(jsonish(&rng).utf8)
        }
    }

    /// A create-order body, often valid, often one field off.
    static func orderBody(_ rng: inout any SeededRandomNumberGenerator) -> [UInt8] {
            let quantity = pick(["1", "0", "100", "-5", "1.5", "\"2\"", "null", "99"], &rng)
            let name = chance(50, &rng) ? "\"\(randomText(&rng, maxLength: 120).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"" : jsonish(&rng, depth: 1)
            return Array(#"{"items":[{"name":\#(name),"quantity":\#(quantity)}]\#(chance(30, &rng) ? #","customer_name":\#(jsonish(&rng, depth: 1))"# : "")}"#.utf8)
    }

    /// A status-change body, often valid.
    static func statusBody(_ rng: inout any SeededRandomNumberGenerator) -> [UInt8] {
            let status = pick(["preparing", "ready", "completed", "cancelled", "received", "PREPARING", "", "unknown"], &rng)
            let seq = chance(40, &rng) ? #","expected_seq":\#(pick(["1", "2", "0", "-1", "\"1\"", "1.5", "2147483648", "null"], &rng))"# : ""
            return Array(#"{"status":"\#(status)"\#(seq)}"#.utf8)
    }

    /// A path and the method its route takes (or GET for paths with no route).
    static func path(_ rng: inout any SeededRandomNumberGenerator, _ known: Known) -> (String, HTTPRequest.Method) {
        let order = chance(70, &rng) ? pick(known.orderIDs, &rng) : randomSegment(&rng)
        let token = chance(60, &rng) ? pick(known.trackerTokens, &rng) : randomSegment(&rng)
        let restaurant = chance(70, &rng) ? "demo" : randomSegment(&rng)
        var path: String
        var method = HTTPRequest.Method.get
        switch Int.random(in: 0..<12, using: &rng) {
        case 0: path = "/v1/health"
        case 1, 2, 3: (path, method) = ("/v1/restaurants/\(restaurant)/orders", .post)
        case 4: path = "/v1/orders/\(order)"
        case 5, 6: (path, method) = ("/v1/orders/\(order)/status", .post)
        case 7: path = "/v1/track/\(token)"
        case 8: path = "/v1/kds/stream?restaurant=\(restaurant)"
        case 9: path = "/v1/track/\(token)/stream"
        case 10: path = pick(["/", "/kds", "/track/\(token)", "/index.html", "/favicon.ico", "/cdn-cgi/edge/durable-objects", "/cdn-cgi/edge/durable-objects/ORDER_HUB/nope"], &rng)
        default: path = "/" + (0..<Int.random(in: 0...6, using: &rng)).map { _ in randomSegment(&rng) }.joined(separator: "/")
        }
        if chance(30, &rng) {
            path += (path.contains("?") ? "&" : "?") + pick(["key=demo-kitchen-key", "key=nope", "after=\(randomSegment(&rng))", "after=1", "after=-1", "restaurant=demo", "order=x"], &rng)
        }
        return (path, method)
    }

    static func randomSegment(_ rng: inout any SeededRandomNumberGenerator) -> String {
        let text = randomText(&rng, maxLength: 8)
        return text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "x"
    }

    static func headers(_ rng: inout any SeededRandomNumberGenerator) -> Headers {
        var headers: Headers = [:]
        if chance(75, &rng) {
            headers.set("content-type", pick(["application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "application/x-www-form-urlencoded", "", "application/json;;;", "multipart/form-data"], &rng))
        }
        if chance(50, &rng) {
            headers.set("authorization", pick(["Bearer demo-kitchen-key", "Bearer wrong", "Bearer", "Basic abc", "bearer demo-kitchen-key", "Bearer demo-kitchen-key extra", "Bearer \(randomText(&rng))"], &rng))
        }
        if chance(20, &rng) {
            headers.set("idempotency-key", chance(50, &rng) ? "key-\(Int.random(in: 0..<5, using: &rng))" : randomText(&rng, maxLength: 300))
        }
        if chance(10, &rng) { headers.set("last-event-id", pick(["1", "-1", "abc", "99999999999999999999", ""], &rng)) }
        if chance(10, &rng) { headers.set("content-length", pick(["0", "10000000", "-1", "abc", "5"], &rng)) }
        if chance(5, &rng) { headers.set("transfer-encoding", "chunked") }
        if chance(5, &rng) { headers.set("x-\(Int.random(in: 0...9, using: &rng))", randomText(&rng, maxLength: 200)) }
        return headers
    }

    static func requests(_ known: Known) -> Generator<FuzzRequest, Shrink.None<FuzzRequest>> {
        Generator { rng in
            let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .head, .options, HTTPRequest.Method("BREW")!, HTTPRequest.Method("PROPFIND")!]
            let (path, routeMethod) = path(&rng, known)
            let method = chance(80, &rng) ? routeMethod : pick(methods, &rng)
            var headers = headers(&rng)
            var body = body(&rng)
            // Half the time, the parts that get a request past the first checks are right, so
            // the generator reaches the validation and the writes behind them.
            if chance(50, &rng) {
                headers.set("content-type", "application/json")
                if path.hasSuffix("/status") {
                    headers.set("authorization", "Bearer demo-kitchen-key")
                    body = statusBody(&rng)
                } else if path.hasSuffix("/orders") {
                    body = orderBody(&rng)
                }
            }
            return FuzzRequest(method: method, path: path, headers: headers, body: body)
        }
    }

    // MARK: the property

    @Test("thousands of generated requests: no 5xx, errors as JSON, refused requests write nothing, the log stays well formed")
    func fuzzTheRoutes() async throws {
        try await withCounterFire(.inProcess) { client in
            var orders: [String] = []
            var tokens: [String] = []
            for index in 0..<4 {
                let created = try await client.createOrder("Seed \(index)")
                orders.append(created.order.id)
                tokens.append(created.tracker_token)
            }
            try await client.changeStatus(orders[0], to: "preparing")
            let known = Known(orderIDs: orders, trackerTokens: tokens)
            let statuses = Mutex<[Int: Int]>([:])
            let accepted = Mutex(0)

            await propertyCheck(count: 3_000, input: Self.requests(known)) { request in
                let before = try await client.d1("DB").prepare("SELECT count(*) AS n FROM order_event").first(as: Count.self)?.n ?? -1
                var headers = request.headers
                if request.body.isEmpty, headers.get("content-length") == nil { headers.set("content-length", "0") }
                let response = try await client.stream(request.method, request.path, headers: headers, body: request.body.isEmpty ? nil : ByteBuffer(bytes: request.body))
                let status = response.status.code
                statuses.withLock { $0[status, default: 0] += 1 }
                // Event streams never end: read the head only.
                let isStream = response.headers.get("content-type")?.hasPrefix("text/event-stream") ?? false
                var body: [UInt8] = []
                if isStream {
                    response.cancel()
                } else {
                    body = try await withTimeout(.seconds(10), "the body of \(request)") { try await response.collect().body }
                }
                #expect(status < 500, "\(request) -> \(status) \(String(decoding: body, as: UTF8.self))")
                if status >= 400, response.headers.get("content-type")?.hasPrefix("application/json") == true, request.method != .head {
                    let reply = try? JSONDecoder().decode(ErrorReply.self, from: Data(body))
                    #expect(reply != nil && reply?.error.code.isEmpty == false, "\(request) -> \(status) \(String(decoding: body, as: UTF8.self))")
                }
                let after = try await client.d1("DB").prepare("SELECT count(*) AS n FROM order_event").first(as: Count.self)?.n ?? -1
                if (200..<300).contains(status) {
                    if after > before { accepted.withLock { $0 += 1 } }
                } else {
                    #expect(after == before, "a refused request wrote to the log: \(request) -> \(status)")
                }
            }
            // The waitUntil notices of accepted writes have run; the log is well formed.
            let log = try await client.log()
            expectWellFormed(log)
            #expect(log.count == 5 + accepted.withLock { $0 }, "every write is accounted for")
            #expect(try await client.execute(.get, "/v1/health").status == .ok)
            let seen = statuses.withLock { $0 }
            print("fuzz: 3000 requests, statuses \(seen.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")), \(accepted.withLock { $0 }) accepted writes")
            #expect(seen.keys.contains { (200..<300).contains($0) } && seen.keys.contains(400) && seen.keys.contains(404), "the generator reaches the routes")
        }
    }

    struct Count: Decodable { let n: Int }

    @Test("the trailing-comma check looks outside strings only")
    func trailingCommas() {
        #expect(JSONValue.parse(Array(#"[1,]"#.utf8)) == nil)
        #expect(JSONValue.parse(Array("{\"a\":1 ,\n }".utf8)) == nil)
        #expect(JSONValue.parse(Array(#"{"a":",]","b":"\",}"}"#.utf8)) == .object(["a": .string(",]"), "b": .string("\",}")]))
        #expect(JSONValue.parse(Array(#"[1,2]"#.utf8)) == .array([.number(1), .number(2)]))
        #expect(JSONValue.parse(Array(#"{"items":[1,]}"#.utf8)) == nil)
        #expect(JSONValue.parse(Array(#"{"items":[1,2]}"#.utf8)) != nil)
    }
}
