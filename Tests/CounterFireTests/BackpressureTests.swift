import EdgeDurableObjects
import EdgeRuntime
import EdgeTesting
import Foundation
import Testing

@testable import CounterFire

/// A kitchen that stops reading must not make the hub hold its backlog without bound: past
/// `HUB_BACKLOG_LIMIT_BYTES` it is disconnected, and it recovers by resuming.
@Suite(.timeLimit(.minutes(1))) struct BackpressureTests {
    static let smallLimit = ["HUB_BACKLOG_LIMIT_BYTES": "4096"]

    @Test func aStuckWebSocketIsClosedWith1008AndResumesToTheLog() async throws {
        try await withCounterFire(vars: Self.smallLimit) { client in
            var headers: Headers = ["upgrade": "websocket", "connection": "Upgrade", "sec-websocket-version": "13",
                                    "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ=="]
            headers.set("host", "localhost")
            let response = await client.emulator.handle(try Request("http://localhost" + kdsPath, headers: headers))
            let stuck = try #require(response.webSocket)
            for index in 0..<40 { try await client.createOrder("Backlog \(index)") }
            // Nothing was read: the hub sees the backlog and closes the socket.
            var board = KitchenBoard()
            var closeCode: UInt16?
            for await event in stuck.events {
                switch event {
                case .message(let message):
                    board.apply(try JSONDecoder().decode(KitchenMessage.self, from: Data((message.text ?? "").utf8)))
                case .close(let code, _, _):
                    closeCode = code
                case .error:
                    break
                }
            }
            #expect(closeCode == 1008)
            let log = try await client.log()
            #expect(board.cursor < log.count, "it was cut off before the end")
            let socket = try await client.webSocket(kdsPath + "&after=\(board.cursor)")
            try await readKitchen(socket, into: &board) { $0.cursor == log.count }
            #expect(board.duplicates == 0)
            #expect(board.tickets.count == 40)
            _ = try await socket.close()
        }
    }

    @Test func aStuckEventStreamEndsAndResumesToTheLog() async throws {
        try await withCounterFire(vars: Self.smallLimit) { client in
            // The raw response: its body is not read until the orders are written (the test
            // client's `events` reads eagerly, so its stream would never back up).
            let headers: Headers = ["host": "localhost", "accept": "text/event-stream"]
            let response = await client.emulator.handle(try Request("http://localhost" + kdsPath, headers: headers))
            #expect(response.status == .ok)
            for index in 0..<40 { try await client.createOrder("Backlog \(index)") }
            var board = KitchenBoard()
            var parser = ServerSentEventParser()
            var lastEventID: String?
            // The hub gave up on the stream: what was queued, then its end.
            for try await chunk in response.body {
                for event in parser.feed(chunk.readableBytesView) where event.event == "snapshot" || event.event == "order" {
                    board.apply(try JSONDecoder().decode(KitchenMessage.self, from: Data(event.data.utf8)))
                    lastEventID = event.id
                }
            }
            let log = try await client.log()
            #expect(board.cursor < log.count, "the stream ended before the end of the log")
            #expect(lastEventID == String(board.cursor))
            let resumed = try await client.events(kdsPath, lastEventID: lastEventID)
            var resumedIterator = resumed.makeAsyncIterator()
            try await readKitchen(&resumedIterator, into: &board) { $0.cursor == log.count }
            #expect(board.duplicates == 0)
            #expect(board.tickets.count == 40)
            resumed.cancel()
        }
    }

    @Test func theHubAnswersUnknownPathsAndIgnoresStrayMessages() async throws {
        try await withCounterFire { client in
            let hub = try client.emulator.bindings.get("ORDER_HUB", as: DurableObjectNamespace<OrderHub>.self)
            let response = try await hub.getByName("demo").fetch(Request("http://order-hub/nowhere"))
            #expect(response.status == .notFound)
            let missingOrder = try await hub.getByName("demo").fetch(Request("http://order-hub/track"))
            #expect(missingOrder.status == .notFound)

            try await client.createOrder("Before")
            let socket = try await client.webSocket(kdsPath)
            var board = KitchenBoard()
            try await readKitchen(socket, into: &board) { $0.cursor == 1 }
            try await socket.send("hello, hub")
            try await socket.send([1, 2, 3])
            try await client.createOrder("After")
            try await readKitchen(socket, into: &board) { $0.cursor == 2 }
            #expect(board.applied.count == 1)
            _ = try await socket.close()
        }
    }
}
