import Synchronization
import Testing

@testable import EdgeRuntime

@Suite("A WebSocket's inbox", .timeLimit(.minutes(1)))
struct WebSocketInboxTests {
    @Test func queuedEventsAreReadInOrderThenTheCloseThenTheEnd() async throws {
        let (client, server) = WebSocketPair()
        server.accept()
        for index in 0..<5_000 { try client.send("m\(index)") }
        #expect(server.queuedMessages == 5_000)
        client.close(code: 4000, reason: "done")
        var read: [String] = []
        var close: WebSocketEvent?
        for await event in server.events {
            if case .message(.text(let text)) = event { read.append(text) } else { close = event }
        }
        #expect(read == (0..<5_000).map { "m\($0)" })
        #expect(close == .close(code: 4000, reason: "done", wasClean: true))
        #expect(server.queuedMessages == 0)
        #expect(server.bufferedAmount == 0 && client.bufferedAmount == 0)
    }

    @Test func aWaitingReaderGetsEachEventAsItComes() async throws {
        let (client, server) = WebSocketPair()
        server.accept()
        let reader = Task {
            var texts: [String] = []
            for await event in server.events {
                guard case .message(.text(let text)) = event else { break }
                texts.append(text)
                if texts.count == 100 { break }
            }
            return texts
        }
        for index in 0..<100 {
            try client.send("\(index)")
            if index % 10 == 0 { await Task.yield() }
        }
        #expect(await reader.value == (0..<100).map(String.init))
    }

    @Test func cancellingAWaitingReaderEndsItsLoop() async throws {
        let (_, server) = WebSocketPair()
        let inbox = WebSocketInbox()
        let reader = Task { await inbox.next() }
        while !inbox.hasWaitingReader { await Task.yield() }
        reader.cancel()
        #expect(await reader.value == nil)
        // Cancelled, the inbox is over: later events are dropped.
        inbox.yield(.message(.text("late")))
        #expect(await inbox.next() == nil)
        _ = server
    }

    @Test func eventsAfterTheEndAreDroppedAndTheEndRepeats() async {
        let inbox = WebSocketInbox()
        inbox.yield(.message(.text("kept")))
        inbox.finish()
        inbox.yield(.message(.text("dropped")))
        #expect(await inbox.next() == .message(.text("kept")))
        #expect(await inbox.next() == nil)
        #expect(await inbox.next() == nil)
    }

    // MARK: polling

    @Test func pollingTakesWhatWaitsAndWakesOnceWhenEmpty() throws {
        let (client, server) = WebSocketPair()
        server.accept()
        let wakes = Mutex(0)
        client.setEventsReady { wakes.withLock { $0 += 1 } }
        try server.send("a")
        try server.send("bb")
        #expect(wakes.withLock { $0 } == 0, "not armed before the first poll")
        #expect(server.bufferedAmount == 3)
        #expect(client.pollEvent() == .event(.message(.text("a"))))
        #expect(client.pollEvent() == .event(.message(.text("bb"))))
        #expect(server.bufferedAmount == 0 && client.queuedMessages == 0)
        #expect(client.pollEvent() == .empty)
        try server.send("c")
        try server.send("d")
        #expect(wakes.withLock { $0 } == 1, "one wake for a burst")
        #expect(client.pollEvent() == .event(.message(.text("c"))))
        #expect(client.pollEvent() == .event(.message(.text("d"))))
        #expect(client.pollEvent() == .empty)
        server.close(code: 4001, reason: "bye")
        #expect(wakes.withLock { $0 } == 2)
        #expect(client.pollEvent() == .event(.close(code: 4001, reason: "bye", wasClean: true)))
        #expect(client.pollEvent() == .finished)
        #expect(client.pollEvent() == .finished)
    }

    @Test func theEndWakesAnArmedPoller() {
        let (client, _) = WebSocketPair()
        let woken = Mutex(false)
        client.setEventsReady { woken.withLock { $0 = true } }
        #expect(client.pollEvent() == .empty)
        client.abort()
        #expect(woken.withLock { $0 })
        #expect(client.pollEvent() == .finished)
    }

    @Test func stoppingDropsWhatIsQueuedAndWhatComes() throws {
        let (client, server) = WebSocketPair()
        server.accept()
        let wakes = Mutex(0)
        client.setEventsReady { wakes.withLock { $0 += 1 } }
        #expect(client.pollEvent() == .empty)
        for index in 0..<10 { try server.send("m\(index)") }
        #expect(server.bufferedAmount == 20)
        client.stopPolling()
        #expect(server.bufferedAmount == 0 && client.queuedMessages == 0)
        try server.send("late")
        #expect(server.bufferedAmount == 0, "a dropped message is not waiting")
        #expect(client.pollEvent() == .finished)
        #expect(wakes.withLock { $0 } == 1)
    }
}
