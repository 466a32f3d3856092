import Synchronization
import Testing

@testable import EdgeRuntime

/// `addEventListener` outside a Durable Object (a plain worker): listeners run in order, one
/// event after another.
@Suite struct WebSocketEventListenerTests {
    final class Log: Sendable {
        private let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    /// Waits (briefly, on real time) until `log` holds `count` entries.
    static func waitFor(_ count: Int, in log: Log) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while log.all.count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func listenersRunInOrderForEachEventType() async throws {
        let (client, server) = WebSocketPair()
        let log = Log()
        server.accept()
        server.addEventListener(.message) { event in
            log.add("first \(event.data.text ?? "binary \(event.data.byteCount)")")
        }
        server.addEventListener(.message) { event in
            try await Task.sleep(for: .milliseconds(1))
            log.add("second \(event.data.text ?? "binary")")
        }
        server.addEventListener(.close) { event in
            log.add("close \(event.code) \(event.reason) \(event.wasClean)")
        }
        try client.send("a")
        try client.send([1, 2])
        try client.send("c")
        client.close(code: 4000, reason: "done")
        try await Self.waitFor(7, in: log)
        #expect(
            log.all == [
                "first a", "second a", "first binary 2", "second binary", "first c", "second c", "close 4000 done true",
            ])
    }

    @Test func eventsWaitForAcceptAndListenersAddedLaterStillRun() async throws {
        let (client, server) = WebSocketPair()
        let log = Log()
        server.addEventListener(.message) { event in log.add("message \(event.data.text ?? "")") }
        try client.send("early")
        try await Task.sleep(for: .milliseconds(20))
        #expect(log.all.isEmpty, "nothing is delivered before accept()")
        server.accept()
        try await Self.waitFor(1, in: log)
        server.addEventListener(.close) { event in log.add("close \(event.code) \(event.wasClean)") }
        client.abort()
        try await Self.waitFor(2, in: log)
        #expect(log.all == ["message early", "close 1006 false"])
    }

    @Test func aThrowingListenerDoesNotStopTheOthers() async throws {
        struct Boom: Error {}
        let (client, server) = WebSocketPair()
        let log = Log()
        server.accept()
        server.addEventListener(.message) { _ in throw Boom() }
        server.addEventListener(.message) { event in log.add(event.data.text ?? "") }
        try client.send("one")
        try client.send("two")
        try await Self.waitFor(2, in: log)
        #expect(log.all == ["one", "two"])
    }

    @Test func aSecondReaderOfEventsEndsInsteadOfTrapping() async throws {
        let (_, server) = WebSocketPair()
        server.accept()
        let first = Task { var events = server.events.makeAsyncIterator(); return await events.next() }
        while !server.inbound.hasWaitingReader { await Task.yield() }
        var second = server.events.makeAsyncIterator()
        #expect(await second.next() == nil)
        server.abort()
        first.cancel()
        _ = await first.value
    }
}
