@testable import CounterFire
import EdgeRuntime
import EdgeTesting
import Foundation
import Testing

/// What the hub and the store do at the edges the routes never reach: the hub asked directly
/// for what it does not serve, and a database edited by hand (the store reports it as corrupt
/// data, never as an answer it did not earn).
@Suite struct HubEdgeCaseTests {
    static func errorCode(_ response: Response) async throws -> String {
        try JSONDecoder().decode(ErrorReply.self, from: Data(try await response.text().utf8)).error.code
    }

    @Test func theHubAnswersOnlyItsOwnPathsAndKnownOrders() async throws {
        try await withCounterFire { client in
            try await client.createOrder()
            let hub = client.namespace("ORDER_HUB", as: OrderHub.self).getByName("demo")
            let other = try await hub.fetch("http://order-hub/orders")
            #expect(other.status == .notFound)
            #expect(try await Self.errorCode(other) == "not_found")
            for path in ["/track", "/track?order=ord_unknown"] {
                let response = try await hub.fetch("http://order-hub" + path)
                #expect(response.status == .notFound, "\(path)")
                #expect(try await Self.errorCode(response) == "tracker_not_found", "\(path)")
            }
        }
    }

    /// A hub whose id was not made from a restaurant's name serves no restaurant: an empty
    /// board at cursor 0, and no order.
    @Test func aHubMadeFromNoNameServesNoRestaurant() async throws {
        try await withCounterFire { client in
            let order = try await client.createOrder().order
            let namespace = client.namespace("ORDER_HUB", as: OrderHub.self)
            let hub = namespace.get(namespace.newUniqueId())
            let response = try await hub.fetch("http://order-hub/track?order=\(order.id)")
            #expect(response.status == .notFound)
            let cursor = try await client.runInDurableObject(hub) { hub, _ in await hub.board?.cursor }
            #expect(cursor == 0)
        }
    }

    /// An event for an order the board no longer holds (here written by hand: the app never
    /// changes a completed order) is passed over; the events after it are fanned out in order.
    @Test func anEventForAnOrderTheBoardDoesNotHoldIsPassedOver() async throws {
        try await withCounterFire { client in
            let socket = try await client.webSocket(kdsPath)
            _ = try await socket.receiveText()
            let done = try await client.createOrder("Done").order.id
            for status in ["preparing", "ready", "completed"] { try await client.changeStatus(done, to: status) }
            for _ in 0..<4 { _ = try await socket.receiveText() }
            try await client.d1("DB").batch([
                client.d1("DB").prepare("UPDATE restaurant SET last_cursor = last_cursor + 1 WHERE id = 'demo'"),
                client.d1("DB").prepare("""
                    INSERT INTO order_event (restaurant_id, cursor, order_id, seq, type, status, at)
                    SELECT 'demo', last_cursor, ?1, 5, 'order.status_changed', 'cancelled', '2026-11-29T00:00:00.000Z' FROM restaurant WHERE id = 'demo'
                    """).bind(done),
            ])
            let next = try await client.createOrder("Next").order
            let message = try JSONDecoder().decode(KitchenMessage.self, from: Data(try #require(await socket.receiveText()).utf8))
            #expect(message.event?.orderID == next.id)
            #expect(message.cursor == 6, "cursor 5 is the stray event, passed over")
            _ = try await socket.close()
        }
    }

    /// A status change whose event the database drops (a trigger added by hand) is corrupt
    /// data: a 500 naming what is missing, never a change without its event.
    @Test func aStatusChangeWhoseEventIsDroppedIsCorruptData() async throws {
        try await withCounterFire { client in
            let id = try await client.createOrder().order.id
            try await client.d1("DB").prepare("""
                CREATE TRIGGER drop_status_events BEFORE INSERT ON order_event WHEN NEW.type = 'order.status_changed'
                BEGIN SELECT RAISE(IGNORE); END
                """).run()
            let reply = try await client.changeStatus(id, to: "preparing")
            #expect(reply.status == .internalServerError)
            #expect(reply.text.contains("corrupt order data: event \(id)#2 is missing"), "\(reply.text)")
        }
    }

    /// A log edited by hand (an event already at the next cursor) makes a create fail on that
    /// primary key; with an Idempotency-Key it is not mistaken for a repeated key.
    @Test(arguments: [nil, "stray-1"])
    func aStrayEventAtTheNextCursorFailsCreates(key: String?) async throws {
        try await withCounterFire { client in
            let first = try await client.createOrder().order.id
            try await client.d1("DB").prepare("""
                INSERT INTO order_event (restaurant_id, cursor, order_id, seq, type, status, at)
                SELECT 'demo', last_cursor + 1, ?1, 9, 'order.status_changed', 'preparing', '2026-11-29T00:00:00.000Z' FROM restaurant WHERE id = 'demo'
                """).bind(first).run()
            var headers: Headers = ["content-type": "application/json"]
            if let key { headers.set("idempotency-key", key) }
            let response = try await client.execute(.post, "/v1/restaurants/demo/orders", headers: headers, text: #"{"items":[{"name":"Tea","quantity":1}]}"#)
            #expect(response.status == .internalServerError)
            #expect(response.text.contains("UNIQUE constraint failed: order_event"), "\(response.text)")
        }
    }
}
