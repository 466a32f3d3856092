@testable import CounterFire
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import NIOCore
import Synchronization
import Testing

/// Kitchen clients that stop reading. The hub queues at most `OrderHub.maxBufferedBytes`
/// (16 MiB) for one subscriber; past that it cuts it off (WebSocket: close 1008; SSE: the stream
/// ends) and sends it nothing more, so a stuck client costs a bounded amount of memory. The
/// client then resumes from the last cursor it applied and ends with exactly the log.
@Suite(.serialized) struct SlowConsumerTests {
    static let limit = OrderHub.maxBufferedBytes

    /// A request as the server builds it for a loopback client, for a consumer the test holds
    /// without reading (the test clients read eagerly).
    static func request(_ path: String, webSocket: Bool) -> EdgeRuntime.Request {
        var headers: Headers = ["host": "localhost", "cf-connecting-ip": "127.0.0.1"]
        if webSocket {
            headers.set("upgrade", "websocket")
            headers.set("connection", "Upgrade")
            headers.set("sec-websocket-version", "13")
            headers.set("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        } else {
            headers.set("accept", "text/event-stream")
        }
        return EdgeRuntime.Request(url: URL(string: "http://localhost\(path)")!, headers: headers)
    }

    /// Creates large orders (4 at a time) until `done()` holds, then `extra` more; returns how many.
    static func createUntil(_ client: TestClient, extra: Int, max: Int = 4_000, _ done: @escaping @Sendable () async throws -> Bool) async throws -> Int {
        var created = 0
        while try await !done() {
            guard created < max else { throw TestFailure("the consumer was never cut off after \(created) orders") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in created..<(created + 4) {
                    group.addTask { try await client.createLargeOrder(index) }
                }
                try await group.waitForAll()
            }
            created += 4
        }
        for index in created..<(created + extra) { try await client.createLargeOrder(index) }
        return created + extra
    }

    /// The hub's kitchen sockets, as the host sees them.
    static func hubSockets(_ client: TestClient) throws -> Int {
        try client.inspect("ORDER_HUB", .name("demo")).first?.hibernatableSockets ?? 0
    }

    @Test("in-process: a stuck kitchen WebSocket and SSE stream are cut off at 16 MiB, never grow past it, and recover by resume")
    func stuckConsumersInProcess() async throws {
        try await withCounterFire(.inProcess) { client in
            try await client.createOrder("Before")
            // Both consumers attach, get their greeting queued, and are never read from.
            let socketResponse = await client.emulator.handle(Self.request(kdsPath, webSocket: true))
            let stuckSocket = try #require(socketResponse.webSocket)
            let sseResponse = await client.emulator.handle(Self.request(kdsPath, webSocket: false))
            #expect(sseResponse.status == .ok)
            let stuckEvents = sseResponse.body
            #expect(try Self.hubSockets(client) == 1)

            // Write until the hub has given up on the socket, then a good deal more.
            let orders = try await Self.createUntil(client, extra: 60) { try Self.hubSockets(client) == 0 }
            let log = try await client.log()
            #expect(log.count == orders + 1)

            // The socket: what was queued ends with close 1008, bounded by the limit.
            var socketBoard = KitchenBoard()
            var socketBytes = 0
            var largestMessage = 0
            var close: (code: UInt16, reason: String)?
            for await event in stuckSocket.events {
                switch event {
                case .message(.text(let text)):
                    socketBytes += text.utf8.count
                    largestMessage = max(largestMessage, text.utf8.count)
                    try socketBoard.apply(json: text)
                case .close(let code, let reason, _):
                    close = (code, reason)
                default:
                    break
                }
            }
            #expect(close?.code == 1008)
            #expect(close?.reason == "Too far behind: reconnect and resume.")
            #expect(socketBytes <= Self.limit + largestMessage, "queued \(socketBytes) bytes for a stuck socket")
            #expect(socketBytes > Self.limit - 2 * largestMessage, "it was cut off at the limit, not before")
            #expect(socketBoard.cursor < log.count, "events after the cut-off were not queued")
            #expect(socketBoard.duplicates == 0 && socketBoard.outOfOrder == 0)
            #expect(socketBoard.applied.map(\.cursor) == Array(2...socketBoard.cursor), "gapless up to the cut-off")

            // The SSE stream: what was queued, then its end.
            var parser = ServerSentEventParser()
            var sseBytes = 0
            var sseBoard = KitchenBoard()
            var lastEventID: String?
            for try await chunk in stuckEvents {
                sseBytes += chunk.readableBytes
                for event in parser.feed(chunk.readableBytesView) where event.event == "snapshot" || event.event == "order" {
                    try sseBoard.apply(json: event.data)
                    lastEventID = event.id
                }
            }
            #expect(sseBytes <= Self.limit + 2 * largestMessage, "queued \(sseBytes) bytes for a stuck event stream")
            #expect(sseBoard.cursor < log.count)
            #expect(sseBoard.applied.map(\.cursor) == Array(2...sseBoard.cursor), "gapless up to the end of the stream")
            #expect(lastEventID == String(sseBoard.cursor))

            // Both resume from their last cursor and end with exactly the log.
            let resumed = try await client.webSocket(kdsPath + "&after=\(socketBoard.cursor)")
            try await readKitchen(resumed, into: &socketBoard) { $0.cursor == log.count }
            #expect(socketBoard.duplicates == 0 && socketBoard.outOfOrder == 0)
            #expect(socketBoard.applied.map(\.cursor) == Array(2...log.count))
            #expect(socketBoard.tickets.keys.sorted() == openTicketsInLog(log).keys.sorted())
            _ = try await resumed.close()

            let events = try await client.events(kdsPath, lastEventID: lastEventID)
            var iterator = events.makeAsyncIterator()
            try await readKitchen(&iterator, into: &sseBoard) { $0.cursor == log.count }
            events.cancel()
            #expect(sseBoard.duplicates == 0 && sseBoard.outOfOrder == 0)
            #expect(sseBoard.applied.map(\.cursor) == Array(2...log.count))
            #expect(sseBoard.tickets.keys.sorted() == openTicketsInLog(log).keys.sorted())
            print("slow consumers (in-process): \(orders) large orders (\(largestMessage) bytes per message); the stuck socket was sent \(socketBytes) bytes, the stuck event stream \(sseBytes), then nothing more")
        }
    }
}
