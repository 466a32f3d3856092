@testable import CounterFire
import EdgeDurableObjects
import EdgeRuntime
import EdgeTesting
import Foundation
import Testing

/// Production lets one Durable Object hold 32 768 hibernatable WebSockets. The host enforces it
/// (`LifecycleSettings.maxHibernatableWebSockets`, lowered here to 3 so the test is quick), and
/// a kitchen socket past it gets a clear 503 while the sockets already open carry on.
@Suite struct ConnectionLimitTests {
    @Test(arguments: TestMode.allCases)
    func kitchenSocketsPastTheCapAreRefusedAndTheOthersKeepWorking(mode: TestMode) async throws {
        try await withCounterFire(mode, lifecycle: LifecycleSettings(maxHibernatableWebSockets: 3)) { client in
            #expect(LifecycleSettings().maxHibernatableWebSockets == 32_768, "production's limit by default")
            var sockets: [TestWebSocket] = []
            var boards: [KitchenBoard] = []
            for _ in 0..<3 {
                let socket = try await client.webSocket(kdsPath)
                var board = KitchenBoard()
                try board.apply(json: try #require(try await socket.receiveText()))
                sockets.append(socket)
                boards.append(board)
            }
            for _ in 0..<2 {
                do {
                    let extra = try await client.webSocket(kdsPath)
                    extra.abort()
                    Issue.record("a fourth socket was accepted")
                } catch let error as TestClientError {
                    let refused = try #require(error.refusedResponse)
                    #expect(refused.status == .serviceUnavailable, "\(refused.status) \(refused.text)")
                    let reply = try refused.json(as: ErrorReply.self)
                    #expect(reply.error.code == "too_many_connections")
                    #expect(reply.error.message.contains("3"), "\(reply.error.message)")
                }
            }
            // The refusal did not reset the hub: the three sockets are open and get the next event.
            let info = try #require(try client.inspect("ORDER_HUB", .name("demo")).first)
            #expect(info.hibernatableSockets == 3)
            #expect(info.constructions == 1)
            let order = try await client.createOrder()
            for index in sockets.indices {
                try await readKitchen(sockets[index], into: &boards[index]) { $0.cursor == 1 }
                #expect(boards[index].tickets[order.order.id] != nil)
            }
            // SSE streams are not WebSockets: not counted.
            let events = try await client.events(kdsPath)
            var iterator = events.makeAsyncIterator()
            #expect(try await iterator.next()?.event == "snapshot")
            events.cancel()
            // One closes; a new one fits again.
            _ = try await sockets.removeLast().close()
            try await waitUntil { try client.inspect("ORDER_HUB", .name("demo")).first?.hibernatableSockets == 2 }
            let again = try await client.webSocket(kdsPath)
            #expect(try await again.receiveText() != nil)
            _ = try await again.close()
            for socket in sockets { _ = try await socket.close() }
        }
    }
}

/// Polls `condition` (every 10 ms, for up to `timeout`).
func waitUntil(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TestFailure("condition not met within \(timeout)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
