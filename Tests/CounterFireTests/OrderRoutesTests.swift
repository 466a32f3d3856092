import EdgeRuntime
import EdgeTesting
import Foundation
import Testing

@testable import CounterFire

@Suite struct OrderRoutesTests {
    @Test(arguments: TestMode.allCases)
    func createReturnsTheTicketAndATrackerCapability(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            let first = try await client.createOrder("Burger", quantity: 2)
            let second = try await client.createOrder("Fries")
            #expect(first.order.status == .received)
            #expect(first.order.seq == 1)
            #expect(first.order.restaurantID == "demo")
            #expect(first.order.items == [OrderItem(name: "Burger", quantity: 2, notes: nil)])
            #expect(first.order.statusTimes.keys.sorted() == ["received"])
            #expect(second.order.number == first.order.number + 1)
            #expect(first.tracker_token.count >= 22)
            #expect(first.tracker_token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(first.tracker_url.hasSuffix("/track/\(first.tracker_token)"))
            #expect(first.tracker_token != second.tracker_token)
            let log = try await client.log()
            #expect(log.map(\.type) == [.created, .created])
            expectWellFormed(log)
        }
    }

    /// The write applies only while the order still has the seq that was read: a decision on a
    /// stale read writes nothing, then is taken again on the order as it is now.
    @Test func aStatusChangeOnAStaleReadDecidesAgain() async throws {
        try await withCounterFire { client in
            let created = try await client.createOrder()
            let store = OrderStore(db: client.d1("DB"))
            let stale = try #require(try await store.ticket(order: created.order.id))
            #expect(try await client.changeStatus(created.order.id, to: "preparing").status == .ok)

            // With expected_seq 1 (the stale read's), the order as it is now is a conflict.
            await #expect(throws: APIError.seqConflict(expected: 1, actual: 2)) {
                _ = try await store.changeStatus(stale, to: .cancelled, expectedSeq: 1)
            }
            // Without: the write on the stale read changes nothing; the second decision is written.
            guard case .changed(let ticket, let event) = try await store.changeStatus(stale, to: .cancelled, expectedSeq: nil) else {
                Issue.record("expected a change")
                return
            }
            #expect(ticket.seq == 3 && ticket.status == .cancelled)
            #expect(event.seq == 3 && event.cursor == 3)
            let log = try await client.log()
            #expect(log.map(\.seq) == [1, 2, 3])
            expectWellFormed(log)
        }
    }

    @Test func healthAndUnknownRoutes() async throws {
        try await withCounterFire { client in
            #expect(try await client.execute(.get, "/v1/health").text == #"{"ok":true}"#)
            let missing = try await client.execute(.get, "/v1/nothing")
            #expect(missing.status == .notFound)
            #expect(try missing.json(as: ErrorReply.self).error.code == "not_found")
            let wrongMethod = try await client.execute(.delete, "/v1/health")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(try wrongMethod.json(as: ErrorReply.self).error.code == "method_not_allowed")
        }
    }

    @Test func createErrorsFollowTheContract() async throws {
        try await withCounterFire { client in
            let json: Headers = ["content-type": "application/json"]
            func code(_ response: TestResponse) throws -> String { try response.json(as: ErrorReply.self).error.code }

            let unknown = try await client.execute(.post, "/v1/restaurants/nowhere/orders", headers: json, text: #"{"items":[{"name":"a","quantity":1}]}"#)
            #expect(unknown.status == .notFound)
            #expect(try code(unknown) == "restaurant_not_found")
            let badSlug = try await client.execute(.post, "/v1/restaurants/Not_A_Slug/orders", headers: json, text: "{}")
            #expect(badSlug.status == .notFound)

            let badJSON = try await client.execute(.post, "/v1/restaurants/demo/orders", headers: json, text: "{nope")
            #expect(badJSON.status == .badRequest)
            #expect(try code(badJSON) == "invalid_json")
            let badField = try await client.execute(.post, "/v1/restaurants/demo/orders", headers: json, text: #"{"items":[{"name":"a","quantity":0}]}"#)
            #expect(badField.status == .badRequest)
            #expect(try badField.json(as: ErrorReply.self).error.message.contains("items[0].quantity"))

            let text = try await client.execute(.post, "/v1/restaurants/demo/orders", headers: ["content-type": "text/plain"], text: "hi")
            #expect(text.status == .unsupportedMediaType)
            #expect(try code(text) == "unsupported_media_type")

            let big = String(repeating: "x", count: 64 * 1024 + 1)
            let tooLarge = try await client.execute(.post, "/v1/restaurants/demo/orders", headers: json, text: #"{"items":[{"name":"\#(big)","quantity":1}]}"#)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try code(tooLarge) == "payload_too_large")

            var badKey = json
            badKey.set("idempotency-key", String(repeating: "k", count: 256))
            let keyed = try await client.execute(.post, "/v1/restaurants/demo/orders", headers: badKey, text: #"{"items":[{"name":"a","quantity":1}]}"#)
            #expect(keyed.status == .badRequest)
            #expect(try code(keyed) == "invalid_idempotency_key")

            #expect(try await client.log().isEmpty, "rejected requests must write nothing")
        }
    }

    @Test func idempotencyKeyReplaysAndConflicts() async throws {
        try await withCounterFire { client in
            let first = try await client.createOrder("Soup", key: "tap-1")
            var headers: Headers = ["content-type": "application/json", "idempotency-key": "tap-1"]
            let again = try await client.execute(.post, "/v1/restaurants/demo/orders", headers: headers,
                                                 text: #"{ "items" : [ {"quantity":1, "name":"Soup"} ] }"#)
            #expect(again.status == .ok)
            let replayed = try again.json(as: CreatedOrder.self)
            #expect(replayed.order.id == first.order.id)
            #expect(replayed.tracker_token == first.tracker_token)
            let other = try await client.execute(.post, "/v1/restaurants/demo/orders", headers: headers, text: #"{"items":[{"name":"Stew","quantity":1}]}"#)
            #expect(other.status == .conflict)
            #expect(try other.json(as: ErrorReply.self).error.code == "idempotency_conflict")
            headers.set("idempotency-key", "tap-2")
            let fresh = try await client.execute(.post, "/v1/restaurants/demo/orders", headers: headers, text: #"{"items":[{"name":"Soup","quantity":1}]}"#)
            #expect(fresh.status == .created)
            #expect(try await client.log().count == 2)
        }
    }

    @Test func idempotentCreateUnderConcurrentRetries() async throws {
        try await withCounterFire(.live) { client in
            let ids = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        let response = try await client.execute(.post, "/v1/restaurants/demo/orders",
                            headers: ["content-type": "application/json", "idempotency-key": "same"],
                            text: #"{"items":[{"name":"Pie","quantity":3}]}"#)
                        return (try response.json(as: CreatedOrder.self).order.id, response.status.code)
                    }
                }
                return try await group.reduce(into: [(String, Int)]()) { $0.append($1) }
            }
            #expect(Set(ids.map(\.0)).count == 1)
            #expect(ids.filter { $0.1 == 201 }.count == 1)
            #expect(ids.filter { $0.1 == 200 }.count == 39)
            #expect(try await client.log().count == 1)
        }
    }

    @Test func readOrderNeedsTheKitchenKey() async throws {
        try await withCounterFire { client in
            let created = try await client.createOrder()
            #expect(try await client.execute(.get, "/v1/orders/\(created.order.id)").status == .unauthorized)
            #expect(try await client.execute(.get, "/v1/orders/\(created.order.id)", headers: ["authorization": "Bearer wrong"]).status == .unauthorized)
            #expect(try await client.execute(.get, "/v1/orders/\(created.order.id)", headers: ["authorization": "Basic x"]).status == .unauthorized)
            #expect(try await client.execute(.get, "/v1/orders/ord_missing", headers: kitchen).status == .notFound)
            let byQuery = try await client.execute(.get, "/v1/orders/\(created.order.id)?key=demo-kitchen-key")
            #expect(byQuery.status == .ok)
            let body = try byQuery.json(as: OrderAndEvents.self)
            #expect(body.order == created.order)
            #expect(body.events.map(\.seq) == [1])
        }
    }

    @Test func statusChangesFollowTheContract() async throws {
        try await withCounterFire { client in
            let id = try await client.createOrder().order.id
            func code(_ response: TestResponse) throws -> String { try response.json(as: ErrorReply.self).error.code }

            #expect(try await client.execute(.post, "/v1/orders/\(id)/status", text: #"{"status":"preparing"}"#).status == .unauthorized)
            #expect(try await client.changeStatus("ord_missing", to: "preparing").status == .notFound)
            let invalid = try await client.changeStatus(id, to: "completed")
            #expect(invalid.status == .conflict)
            #expect(try code(invalid) == "invalid_transition")
            let stale = try await client.changeStatus(id, to: "preparing", expectedSeq: 5)
            #expect(stale.status == .conflict)
            #expect(try code(stale) == "seq_conflict")
            let badBody = try await client.changeStatus(id, to: "eaten")
            #expect(badBody.status == .badRequest)

            let moved = try await client.changeStatus(id, to: "preparing", expectedSeq: 1)
            #expect(moved.status == .ok)
            let reply = try moved.json(as: StatusReply.self)
            #expect(reply.order.status == .preparing)
            #expect(reply.order.seq == 2)
            #expect(reply.event?.seq == 2)
            #expect(reply.event?.type == .statusChanged)
            #expect(reply.order.statusTimes.keys.sorted() == ["preparing", "received"])

            let retried = try await client.changeStatus(id, to: "preparing", expectedSeq: 1)
            #expect(retried.status == .ok)
            #expect(retried.text.contains(#""event":null"#))
            #expect(try retried.json(as: StatusReply.self).order.seq == 2)

            #expect(try await client.changeStatus(id, to: "ready").status == .ok)
            #expect(try await client.changeStatus(id, to: "completed").status == .ok)
            let terminal = try await client.changeStatus(id, to: "cancelled")
            #expect(try code(terminal) == "invalid_transition")

            let log = try await client.log()
            #expect(log.map(\.status) == [.received, .preparing, .ready, .completed])
            expectWellFormed(log)
        }
    }

    @Test func hundredConcurrentStatusChangesOnOneOrder() async throws {
        try await withCounterFire(.live) { client in
            let id = try await client.createOrder().order.id
            let targets = ["preparing", "ready", "completed", "cancelled"]
            let replies = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for index in 0..<100 {
                    group.addTask { try await client.changeStatus(id, to: targets[index % targets.count]) }
                }
                return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
            }
            let statuses = replies.map(\.status.code)
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 409 }, "\(statuses)")
            let log = try await client.log()
            expectWellFormed(log)
            let changes = log.filter { $0.orderID == id && $0.type == .statusChanged }
            #expect(!changes.isEmpty)
            // Every 200 that reports an event reports one the log holds, and every change in the
            // log was reported by exactly one 200: none lost, none made up, none told twice.
            let reported = try replies.filter { $0.status.code == 200 }
                .compactMap { try $0.json(as: StatusReply.self).event }
            #expect(reported.sorted { $0.seq < $1.seq } == changes, "\(reported) vs \(changes)")
            let final = try await client.execute(.get, "/v1/orders/\(id)", headers: kitchen).json(as: OrderAndEvents.self)
            #expect(final.events == log.filter { $0.orderID == id })
            #expect(final.order.seq == final.events.count)
        }
    }

    @Test func fiveHundredConcurrentCreatesOnOneRestaurant() async throws {
        try await withCounterFire(.live) { client in
            let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<500 {
                    group.addTask { try await client.createOrder("Item \(index)").order.number }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(numbers.sorted() == Array(1...500))
            let log = try await client.log()
            #expect(log.count == 500)
            expectWellFormed(log)
        }
    }
}

/// Hub notices are coalesced per restaurant: one in flight, and one more round for the writes
/// that committed meanwhile.
@Suite struct HubNoticesTests {
    @Test func oneNoticeInFlightPerRestaurantAndOneMoreRoundForWritesMeanwhile() {
        let notices = HubNotices()
        #expect(notices.begin("demo"))
        #expect(notices.begin("other"), "restaurants are independent")
        #expect(!notices.begin("demo"), "a write while one is in flight only asks for another round")
        #expect(!notices.begin("demo"))
        #expect(notices.again("demo"), "the writes meanwhile make one more round")
        #expect(!notices.again("demo"), "none since: the notice ends")
        #expect(notices.begin("demo"), "the next write starts a new one")
        #expect(!notices.again("demo"), "a round that failed with no write meanwhile ends the notice")
        #expect(notices.begin("demo"), "after a failed delivery the next write starts a new one")
        #expect(!notices.again("other") && notices.begin("other"))
    }

    @Test func aBurstOfCreatesReachesTheKitchenWithCoalescedNotices() async throws {
        try await withCounterFire(.live) { client in
            let socket = try await client.webSocket(kdsPath)
            var board = KitchenBoard()
            try await readKitchen(socket, into: &board) { $0.cursor == 0 }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 { group.addTask { try await client.createOrder("Burst \(index)") } }
                try await group.waitForAll()
            }
            // Every event arrives, once, in order: the last notice's round read past every commit.
            try await readKitchen(socket, into: &board) { $0.cursor == 200 }
            #expect(board.duplicates == 0)
            #expect(board.applied.map(\.cursor) == Array(1...200))
            _ = try await socket.close()
        }
    }
}
