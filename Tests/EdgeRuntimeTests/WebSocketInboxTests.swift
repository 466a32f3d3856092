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
        try await Task.sleep(for: .milliseconds(20))
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
}
