@testable import CounterFire
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import NIOCore
import Synchronization
import Testing

/// Kitchen clients that stop reading. The hub queues at most `HUB_BACKLOG_LIMIT_BYTES` (16 MiB
/// by default; 512 KiB here, so a few dozen large orders fill it) for one subscriber; past that
/// it cuts it off (WebSocket: close 1008; SSE: the stream ends) and sends it nothing more, so a
/// stuck client costs a bounded amount of memory. The client then resumes from the last cursor
/// it applied and ends with exactly the log.
@Suite struct SlowConsumerTests {
    static let limit = 512 * 1024
    static let settings = ["HUB_BACKLOG_LIMIT_BYTES": String(limit)]

    @Test("the backlog limit is 16 MiB unless configured")
    func defaultLimit() async throws {
        try await withCounterFire { client in
            let env = try Env(bindings: client.emulator.bindings)
            #expect(env.hubBacklogLimit == 16 * 1024 * 1024)
        }
        try await withCounterFire(secrets: Self.settings) { client in
            let env = try Env(bindings: client.emulator.bindings)
            #expect(env.hubBacklogLimit == Self.limit)
        }
    }

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

    /// The largest send buffer the kernel gives a TCP socket (`net.ipv4.tcp_wmem`'s maximum).
    static let tcpSendBufferMax: Int = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/tcp_wmem", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).last.flatMap { Int($0) } ?? 4 * 1024 * 1024
    }()

    /// The hub's kitchen sockets, as the host sees them.
    static func hubSockets(_ client: TestClient) throws -> Int {
        try client.inspect("ORDER_HUB", .name("demo")).first?.hibernatableSockets ?? 0
    }

    @Test("in-process: a stuck kitchen WebSocket and SSE stream are cut off at the limit, never grow past it, and recover by resume")
    func stuckConsumersInProcess() async throws {
        try await withCounterFire(.inProcess, secrets: Self.settings) { client in
            try await client.createOrder("Before")
            // Both consumers attach, get their greeting queued, and are never read from.
            let socketResponse = await client.emulator.handle(Self.request(kdsPath, webSocket: true))
            let stuckSocket = try #require(socketResponse.webSocket)
            let sseResponse = await client.emulator.handle(Self.request(kdsPath, webSocket: false))
            #expect(sseResponse.status == .ok)
            let stuckEvents = sseResponse.body
            #expect(try Self.hubSockets(client) == 1)

            // Write until the hub has given up on the socket, then a good deal more.
            let orders = try await Self.createUntil(client, extra: 20) { try Self.hubSockets(client) == 0 }
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

    /// What a raw kitchen client read from its connection.
    struct WireRead: Sendable {
        var board = KitchenBoard()
        var bytes = 0
        var largest = 0
        var close: (code: UInt16?, reason: String)?
    }

    /// A raw kitchen socket that reads its greeting and then nothing until `resume` is
    /// resolved; then it reads everything the server still sends.
    static func stuckClient(port: Int, attached: OneShotSignal, resume: OneShotSignal) async throws -> WireRead {
        try await withRawConnection(port: port, receiveBuffer: 4096) { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            let (status, leftover) = try await upgrade(kdsPath, &iterator, outbound)
            guard status == 101 else { throw TestFailure("upgrade answered \(status.map(String.init) ?? "nothing")") }
            attached.signal()
            await resume.wait()
            var read = WireRead()
            let close = try await readFrames(&iterator, leftover: leftover) { frame in
                read.bytes += frame.payload.count
                read.largest = max(read.largest, frame.payload.count)
                try read.board.apply(json: frame.text)
            }
            read.close = close.map { ($0.closeCode, $0.closeReason) }
            return read
        }
    }

    @Test("live: kitchen WebSockets that stop reading their TCP connection are cut off (1008), dropped if they still do not read, and resume to exactly the log")
    func stuckWebSocketsOverTheWire() async throws {
        try await withCounterFire(.live, secrets: Self.settings) { client in
            let port = try #require(client.server?.port)
            try await client.createOrder("Before")
            // Two clients stop reading after their snapshot: NIO stops reading, the kernel
            // buffers fill, the server's queue for each grows until the hub gives up on them.
            let attached = (OneShotSignal(), OneShotSignal())
            let resume = (OneShotSignal(), OneShotSignal())
            let prompt = Task { try await Self.stuckClient(port: port, attached: attached.0, resume: resume.0) }
            let gone = Task { try await Self.stuckClient(port: port, attached: attached.1, resume: resume.1) }
            await attached.0.wait()
            await attached.1.wait()
            // One reads again as soon as both are cut off: it gets what was queued, in order,
            // then close 1008, before the server's 5 s wait for the close handshake runs out.
            let orders = try await Self.createUntil(client, extra: 20) {
                guard try Self.hubSockets(client) == 0 else { return false }
                resume.0.signal()
                return true
            }
            let log = try await client.log()
            #expect(log.count == orders + 1)
            var promptRead = try await withTimeout(.seconds(30), "the first client's backlog") { try await prompt.value }
            // The other still does not read: the server does not keep its backlog for it, it
            // drops the connection once the close handshake could not finish in time (5 s).
            try await Task.sleep(for: .seconds(6))
            resume.1.signal()
            var goneRead = try await withTimeout(.seconds(30), "the second client's connection to end") { try await gone.value }

            #expect(promptRead.close?.code == 1008)
            #expect(promptRead.close?.reason == "Too far behind: reconnect and resume.")
            // What it got was queued by the server (at most the limit and one message, in the
            // process's memory) or sat in socket buffers: the kernel's, bounded by tcp_wmem's
            // maximum on the server side, and the client's few reads.
            let kernelBuffers = Self.tcpSendBufferMax + 1024 * 1024
            #expect(promptRead.bytes <= Self.limit + promptRead.largest + kernelBuffers, "the stuck socket was sent \(promptRead.bytes) bytes")
            #expect(promptRead.board.cursor < log.count, "nothing was queued after the cut-off")
            #expect(goneRead.close == nil, "the connection was dropped without a Close frame: \(String(describing: goneRead.close))")
            #expect(goneRead.bytes < promptRead.bytes, "the backlog the server still held was dropped with the connection")
            for read in [promptRead, goneRead] {
                #expect(read.board.duplicates == 0 && read.board.outOfOrder == 0)
                #expect(read.board.applied.map(\.cursor) == Array(2...read.board.cursor), "gapless up to where it stopped")
            }
            // Both resume from the last cursor they applied and end with exactly the log.
            for index in 0..<2 {
                var board = index == 0 ? promptRead.board : goneRead.board
                let resumed = try await client.webSocket(kdsPath + "&after=\(board.cursor)")
                try await readKitchen(resumed, into: &board) { $0.cursor == log.count }
                #expect(board.duplicates == 0 && board.outOfOrder == 0)
                #expect(board.applied.map(\.cursor) == Array(2...log.count), "ends with exactly the log")
                #expect(board.tickets.keys.sorted() == openTicketsInLog(log).keys.sorted())
                _ = try await resumed.close()
                if index == 0 { promptRead.board = board } else { goneRead.board = board }
            }
            print("slow consumers (live): \(orders) large orders; the client that read again got \(promptRead.bytes) bytes and close 1008, the one that did not was dropped (\(goneRead.bytes) bytes were in socket buffers)")
        }
    }
}

/// A signal sent once and awaited by one task.
final class OneShotSignal: Sendable {
    private let continuation = Mutex<(signaled: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter: CheckedContinuation<Void, Never>? = continuation.withLock { state in
            state.signaled = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func wait() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now: Bool = continuation.withLock { state in
                if state.signaled { return true }
                state.waiter = waiter
                return false
            }
            if now { waiter.resume() }
        }
    }
}
