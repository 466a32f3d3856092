import EdgeDurableObjects
import EdgeRuntime
import EdgeTesting
import Foundation
import Testing

@testable import CounterFire

/// The hub is a cache: evicting or resetting it, with kitchens connected and writes in flight,
/// must degrade to a reconnect that ends with exactly the log.
@Suite struct HubLifecycleTests {
    enum Disruption: String, CaseIterable, CustomStringConvertible {
        case evictClose, evictHibernate, reset
        var description: String { rawValue }

        func apply(_ client: TestClient) async throws {
            switch self {
            case .evictClose: _ = try await client.evict("ORDER_HUB", .name("demo"), webSockets: .close)
            case .evictHibernate: _ = try await client.evict("ORDER_HUB", .name("demo"), webSockets: .hibernate)
            case .reset: _ = try await client.reset("ORDER_HUB", .name("demo"))
            }
        }
    }

    /// Waits until the log holds at least `count` events; returns how many it holds.
    static func waitForLog(_ client: TestClient, atLeast count: Int) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let events = try await client.log().count
            if events >= count { return events }
            try #require(ContinuousClock.now < deadline, "the log reached only \(events) of \(count) events")
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// A kitchen over WebSocket that reconnects with `after` whenever its socket ends.
    @Test(arguments: Disruption.allCases)
    func webSocketKitchenEndsWithExactlyTheLog(disruption: Disruption) async throws {
        try await withCounterFire(.live) { client in
            for index in 0..<3 { try await client.createOrder("Before \(index)") }
            var board = KitchenBoard()
            var socket = try await client.webSocket(kdsPath)
            try await readKitchen(socket, into: &board) { $0.cursor == 3 }

            let writer = Task {
                var made: [String] = []
                for index in 0..<20 {
                    let id = try await client.createOrder("During \(index)").order.id
                    made.append(id)
                    if index % 3 == 0 { try await client.changeStatus(id, to: "preparing") }
                    if index % 5 == 0 { try await client.changeStatus(made[0], to: index == 0 ? "preparing" : "ready") }
                }
            }
            // The disruption lands while the writer is going: after some of its events are in
            // the log, and (checked below) before its last ones.
            let atDisruption = try await Self.waitForLog(client, atLeast: 3 + 3)
            try await disruption.apply(client)
            try await writer.value
            let log = try await client.log()
            try #require(log.count > atDisruption, "writes went on after the disruption")
            var reconnects = 0
            while board.cursor < log.count {
                do {
                    try await readKitchen(socket, into: &board) { $0.cursor == log.count }
                } catch {
                    reconnects += 1
                    try #require(reconnects < 5, "the socket keeps failing: \(error)")
                    socket = try await client.webSocket(kdsPath + "&after=\(board.cursor)")
                }
            }
            #expect(board.duplicates == 0)
            #expect(board.applied.count + 3 == log.count, "snapshot at 3, then every event once")
            let expected = openTicketsInLog(log)
            #expect(Set(board.tickets.keys) == Set(expected.keys))
            for (id, ticket) in board.tickets { #expect(ticket.seq == expected[id]?.seq) }
            if disruption != .evictHibernate { #expect(reconnects >= 1, "the socket was closed") }
            _ = try? await socket.close()
        }
    }

    /// A kitchen over SSE that reconnects with Last-Event-ID whenever its stream ends.
    @Test(arguments: Disruption.allCases)
    func eventStreamKitchenEndsWithExactlyTheLog(disruption: Disruption) async throws {
        try await withCounterFire(.live) { client in
            for index in 0..<3 { try await client.createOrder("Before \(index)") }
            var board = KitchenBoard()
            var stream = try await client.events(kdsPath)
            var iterator = stream.makeAsyncIterator()
            try await readKitchen(&iterator, into: &board) { $0.cursor == 3 }

            let writer = Task {
                for index in 0..<15 {
                    let id = try await client.createOrder("During \(index)").order.id
                    if index.isMultiple(of: 2) { try await client.changeStatus(id, to: "cancelled") }
                }
            }
            let atDisruption = try await Self.waitForLog(client, atLeast: 3 + 2)
            try await disruption.apply(client)
            try await writer.value
            let log = try await client.log()
            try #require(log.count > atDisruption, "writes went on after the disruption")
            var reconnects = 0
            while board.cursor < log.count {
                do {
                    try await readKitchen(&iterator, into: &board) { $0.cursor == log.count }
                } catch {
                    reconnects += 1
                    try #require(reconnects < 5, "the stream keeps failing: \(error) (status \(stream.status))")
                    stream = try await client.events(kdsPath, lastEventID: String(board.cursor))
                    iterator = stream.makeAsyncIterator()
                }
            }
            #expect(board.duplicates == 0)
            #expect(board.applied.count + 3 == log.count)
            #expect(Set(board.tickets.keys) == Set(openTicketsInLog(log).keys))
            #expect(reconnects >= 1, "forced eviction and reset end open streams")
            stream.cancel()
        }
    }

    @Test func hibernatedSocketsStayOpenAndGetWhatTheyMissed() async throws {
        try await withCounterFire(.live) { client in
            try await client.createOrder("First")
            let socket = try await client.webSocket(kdsPath)
            var board = KitchenBoard()
            try await readKitchen(socket, into: &board) { $0.cursor == 1 }
            let before = try #require(client.list().first { $0.binding == "ORDER_HUB" }?.objects.first)
            #expect(before.constructions == 1)

            let evicted = try await client.evict("ORDER_HUB", .name("demo"), webSockets: .hibernate)
            #expect(evicted.count == 1)
            let hibernated = try #require(client.list().first?.objects.first)
            #expect(hibernated.state == .hibernated)
            #expect(hibernated.hibernatableSockets == 1)

            try await client.createOrder("While hibernated")
            try await readKitchen(socket, into: &board) { $0.cursor == 2 }
            #expect(board.applied.map(\.cursor) == [2])
            let after = try #require(client.list().first?.objects.first)
            #expect(after.constructions == 2, "the next event constructed a new hub")

            try await socket.send("ping")
            #expect(try await socket.receiveText() == "pong", "the auto-response answers pings")
            _ = try await socket.close()
        }
    }

    @Test func idleHubHibernatesOnTheVirtualClockAndRehydratesFromD1() async throws {
        try await withCounterFire { client in
            let order = try await client.createOrder("Kept")
            try await client.changeStatus(order.order.id, to: "preparing")
            let socket = try await client.webSocket(kdsPath)
            var board = KitchenBoard()
            try await readKitchen(socket, into: &board) { $0.cursor == 2 }
            await client.advance(by: .seconds(11))
            #expect(client.list().first?.objects.first?.state == .hibernated)
            let fresh = try await client.webSocket(kdsPath)
            var freshBoard = KitchenBoard()
            try await readKitchen(fresh, into: &freshBoard) { $0.cursor == 2 }
            #expect(freshBoard.tickets[order.order.id]?.status == .preparing, "rebuilt from D1")
            #expect(client.list().first?.objects.first?.constructions == 2)
            _ = try await socket.close()
            _ = try await fresh.close()
        }
    }

    @Test func writesSucceedWhileTheHubIsResetUnderThem() async throws {
        try await withCounterFire(.live) { client in
            let writes = Task {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<60 {
                        group.addTask { try await client.createOrder("Racing \(index)").order.number }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
            }
            for _ in 0..<5 {
                _ = try await client.reset("ORDER_HUB", .name("demo"))
                try await Task.sleep(for: .milliseconds(5))
            }
            let numbers = try await writes.value
            #expect(numbers.sorted() == Array(1...60))
            let log = try await client.log()
            expectWellFormed(log)
            let snapshot = try await client.webSocket(kdsPath)
            let first = try JSONDecoder().decode(KitchenMessage.self, from: Data(try #require(await snapshot.receiveText()).utf8))
            #expect(first.cursor == 60)
            #expect(first.tickets?.count == 60)
            _ = try await snapshot.close()
        }
    }
}
