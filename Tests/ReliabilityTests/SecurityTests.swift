@testable import CounterFire
import EdgeRuntime
@testable import EdgeServer
import EdgeTesting
import Foundation
import NIOCore
import Testing

/// Kitchen keys are stored hashed and compared in constant time; tracker tokens carry at least
/// 128 random bits and open exactly one order; neither appears in the logs. (The control API's
/// loopback-only rule is tested in EdgeServerTests/ControlTests.)
@Suite struct SecurityTests {
    /// Every byte under `directory` (databases, their WAL and SHM files, object storage).
    static func stateFiles(_ directory: URL) -> [(String, Data)] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var files: [(String, Data)] = []
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true, let data = try? Data(contentsOf: url) else { continue }
            files.append((url.path, data))
        }
        return files
    }

    @Test("the kitchen key is stored only as its SHA-256: its text is in no file of the state directory")
    func kitchenKeyIsStoredHashed() async throws {
        try await withCounterFire(.live) { client in
            let order = try await client.createOrder()
            // Use the key every way a kitchen can: header, query, stream, socket.
            #expect(try await client.execute(.get, "/v1/orders/\(order.order.id)", headers: kitchen).status == .ok)
            #expect(try await client.execute(.get, "/v1/orders/\(order.order.id)?key=\(kitchenKey)").status == .ok)
            #expect(try await client.changeStatus(order.order.id, to: "preparing").status == .ok)
            let socket = try await client.webSocket(kdsPath)
            _ = try await socket.receiveText()
            _ = try await socket.close()
            let events = try await client.events(kdsPath)
            var iterator = events.makeAsyncIterator()
            _ = try await iterator.next()
            events.cancel()

            struct Row: Decodable { let kitchen_key_hash: String }
            let stored = try #require(try await client.d1("DB").prepare("SELECT kitchen_key_hash FROM restaurant WHERE id = 'demo'").first(as: Row.self))
            #expect(stored.kitchen_key_hash == crypto.subtle.digest(.sha256, Array(kitchenKey.utf8)).hexString)

            let files = Self.stateFiles(client.emulator.options.stateRoot)
            #expect(files.contains { $0.0.hasSuffix("counterfire.sqlite") }, "the state directory holds the D1 file")
            for (path, data) in files {
                #expect(data.range(of: Data(kitchenKey.utf8)) == nil, "the kitchen key is in \(path)")
                #expect(data.range(of: Data(order.tracker_token.utf8)) == nil, "the tracker token is in \(path)")
            }
        }
    }

    @Test("keys are compared as SHA-256 digests with timingSafeEqual: equal length always, any difference refused")
    func keysAreComparedInConstantTime() async throws {
        // timingSafeEqual: no early exit on the first difference; different lengths are unequal.
        let subtle = crypto.subtle
        #expect(subtle.timingSafeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!subtle.timingSafeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!subtle.timingSafeEqual(Array("xbc".utf8), Array("abc".utf8)))
        #expect(!subtle.timingSafeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!subtle.timingSafeEqual([UInt8](), [0]))
        #expect(subtle.timingSafeEqual([UInt8](), [UInt8]()))
        // What the route compares is always two 64-character digests, whatever was presented.
        for presented in ["", "d", kitchenKey, String(repeating: "k", count: 10_000)] {
            #expect(crypto.subtle.digest(.sha256, Array(presented.utf8)).hexString.utf8.count == 64)
        }
        try await withCounterFire(.inProcess) { client in
            let order = try await client.createOrder()
            // (Trailing whitespace is not a near miss: HTTP trims it from field values.)
            let nearMisses = ["Demo-kitchen-key", "demo-kitchen-keY", "demo-kitchen-ke", "demo-kitchen-keyy", "-demo-kitchen-key", "demo kitchen key"]
            for key in nearMisses {
                let response = try await client.execute(.get, "/v1/orders/\(order.order.id)", headers: ["authorization": "Bearer \(key)"])
                #expect(response.status == .unauthorized, "\(key.debugDescription)")
            }
            #expect(try await client.execute(.get, "/v1/orders/\(order.order.id)", headers: kitchen).status == .ok)
        }
    }

    @Test("tracker tokens: URL-safe, at least 128 random bits, all different, each opening exactly its own order")
    func trackerTokens() async throws {
        try await withCounterFire(.inProcess) { client in
            var created: [CreatedOrder] = []
            for index in 0..<200 { created.append(try await client.createOrder("Dish \(index)")) }
            let tokens = created.map(\.tracker_token)
            #expect(Set(tokens).count == tokens.count, "no repeats")
            var decoded: [[UInt8]] = []
            for token in tokens {
                #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }, "\(token) is URL-safe")
                var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
                let bytes = try #require(Data(base64Encoded: base64).map(Array.init))
                #expect(bytes.count * 8 >= 128, "\(token) carries \(bytes.count * 8) bits")
                decoded.append(bytes)
            }
            // The bits look random: every bit position is set in roughly half the tokens (for
            // 200 fair coins, outside 60...140 has a probability below 1e-8).
            let width = decoded.map(\.count).min() ?? 0
            for bit in 0..<(width * 8) {
                let ones = decoded.filter { $0[bit / 8] & (1 << (bit % 8)) != 0 }.count
                #expect((60...140).contains(ones), "bit \(bit) is set in \(ones) of 200 tokens")
            }
            // Nothing of the order is in its token.
            for order in created {
                #expect(!order.tracker_token.contains(order.order.id) && !order.order.id.contains(order.tracker_token))
            }

            // A token opens its own order and shows only the tracker view.
            let first = created[0], second = created[1]
            let view = try await client.execute(.get, "/v1/track/\(first.tracker_token)")
            #expect(view.status == .ok)
            let object = try #require(try view.jsonObject() as? [String: Any])
            let order = try #require(object["order"] as? [String: Any])
            #expect(order["order_id"] as? String == first.order.id)
            #expect(Set(order.keys) == ["order_id", "number", "status", "seq", "status_times"], "no items, names or other orders")
            #expect(!view.text.contains(second.order.id))
            // Its stream carries its order's events only.
            let stream = try await client.events("/v1/track/\(first.tracker_token)/stream")
            var iterator = stream.makeAsyncIterator()
            #expect(try await iterator.next()?.event == "snapshot")
            try await client.changeStatus(second.order.id, to: "preparing")
            try await client.changeStatus(second.order.id, to: "ready")
            try await client.changeStatus(first.order.id, to: "preparing")
            var next = try await iterator.next()
            while next?.event == "heartbeat" { next = try await iterator.next() }
            #expect(next?.event == "order")
            #expect(next?.data.contains(first.order.id) == true)
            #expect(next?.data.contains(second.order.id) == false, "another order's events never reach this token")
            #expect(next?.id == "2")
            stream.cancel()
            // Kitchen routes do not accept a token as a key.
            #expect(try await client.execute(.get, "/v1/orders/\(first.order.id)", headers: ["authorization": "Bearer \(first.tracker_token)"]).status == .unauthorized)
        }
    }

    @Test("no kitchen key or tracker token appears in the request log or any other log line")
    func secretsStayOutOfTheLogs() async throws {
        let recorder = LogRecorder()
        let wrongKey = "wrong-kitchen-key-7f3a"
        var secrets = [kitchenKey, wrongKey]
        try await withCounterFire(.live, logger: recorder.logger(level: .debug)) { client in
            let order = try await client.createOrder()
            let token = order.tracker_token
            secrets.append(token)
            let id = order.order.id
            // Keys in queries, as browsers send them, and tokens in paths.
            #expect(try await client.execute(.get, "/v1/orders/\(id)?key=\(kitchenKey)").status == .ok)
            #expect(try await client.execute(.get, "/v1/orders/\(id)?key=\(wrongKey)").status == .unauthorized)
            #expect(try await client.execute(.get, "/v1/orders/\(id)", headers: ["authorization": "Bearer \(wrongKey)"]).status == .unauthorized)
            #expect(try await client.execute(.get, "/v1/track/\(token)").status == .ok)
            #expect(try await client.execute(.get, "/track/\(token)").status == .ok)
            #expect(try await client.execute(.get, "/v1/track/\(token)x").status == .notFound)
            let tracker = try await client.events("/v1/track/\(token)/stream")
            var trackerIterator = tracker.makeAsyncIterator()
            _ = try await trackerIterator.next()
            tracker.cancel()
            let socket = try await client.webSocket(kdsPath)
            _ = try await socket.receiveText()
            _ = try await socket.close()
            let events = try await client.events(kdsPath + "&after=0")
            var iterator = events.makeAsyncIterator()
            _ = try await iterator.next()
            events.cancel()
            do {
                _ = try await client.webSocket("/v1/kds/stream?restaurant=demo&key=\(wrongKey)")
            } catch {}
            #expect(try await client.evict("ORDER_HUB").count == 1)
            try await waitUntil { recorder.lines.filter { $0.contains(" /v1/") || $0.contains(" /track/") }.count >= 10 }
        }
        let lines = recorder.lines
        #expect(lines.contains { $0.contains("GET /v1/orders/") && $0.contains(" 200 ") }, "the request log is on: \(lines)")
        #expect(lines.contains { $0.contains("GET /v1/track/") }, "tracker requests are logged (with the token hidden)")
        for line in lines {
            for secret in secrets {
                #expect(!line.contains(secret), "a secret in the log: \(line)")
            }
            #expect(!line.contains("key="), "a key query in the log: \(line)")
        }
    }

    @Test("the request log hides token-like path segments and never shows the query")
    func loggedPaths() throws {
        func logged(_ path: String) -> String { RequestLog.loggedPath(of: URL(string: "http://localhost\(path)")!) }
        #expect(logged("/v1/track/ZryECOMa4SWL5_R8Z6I2dHdrb2V4phqw") == "/v1/track/[redacted]")
        #expect(logged("/v1/track/ZryECOMa4SWL5_R8Z6I2dHdrb2V4phqw/stream") == "/v1/track/[redacted]/stream")
        #expect(logged("/track/ZryECOMa4SWL5_R8Z6I2dHdrb2V4phqw?x=1") == "/track/[redacted]")
        #expect(logged("/v1/orders/ord_0123456789abcdef0123456789abcdef?key=demo-kitchen-key") == "/v1/orders/ord_0123456789abcdef0123456789abcdef")
        #expect(logged("/v1/kds/stream?restaurant=demo&key=demo-kitchen-key") == "/v1/kds/stream")
        let objectID = String(repeating: "a7f3", count: 16)
        #expect(logged("/cdn-cgi/edge/durable-objects/ORDER_HUB/\(objectID)") == "/cdn-cgi/edge/durable-objects/ORDER_HUB/\(objectID)")
        #expect(logged("/") == "/")
        #expect(logged("/assets/KitchenBoardStylesheet.css") == "/assets/KitchenBoardStylesheet.css")
        #expect(logged("/550e8400-e29b-41d4-a716-446655440000") == "/550e8400-e29b-41d4-a716-446655440000")
        // CounterFire's own tokens are always hidden.
        for _ in 0..<1_000 {
            let token = (try crypto.getRandomValues(count: 24)).base64URLString
            #expect(logged("/v1/track/\(token)") == "/v1/track/[redacted]", "\(token)")
        }
    }
}
