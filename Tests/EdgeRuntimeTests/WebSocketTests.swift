import Testing

@testable import EdgeRuntime

@Suite struct WebSocketTests {
    @Test func messagesFlowBetweenThePairInOrder() async throws {
        let (client, server) = WebSocketPair()
        server.accept()
        try client.send("one")
        try client.send([1, 2, 3])
        try server.send("back")
        var serverEvents = server.events.makeAsyncIterator()
        #expect(await serverEvents.next() == .message(.text("one")))
        #expect(await serverEvents.next() == .message(.binary([1, 2, 3])))
        var clientEvents = client.events.makeAsyncIterator()
        #expect(await clientEvents.next() == .message(.text("back")))
    }

    @Test func sendBeforeAcceptFailsWithWorkerdText() {
        let (_, server) = WebSocketPair()
        #expect(throws: WebSocketError.self) { try server.send("x") }
        do { try server.send("x") } catch {
            #expect("\(error)".contains("You must call one of accept() or state.acceptWebSocket()"))
        }
    }

    @Test func closeIsAutoRepliedAndBothEndsSeeTheCodeAndReason() async throws {
        let (client, server) = WebSocketPair()
        server.accept()
        server.close(code: 4001, reason: "bye")
        var clientEvents = client.events.makeAsyncIterator()
        #expect(await clientEvents.next() == .close(code: 4001, reason: "bye", wasClean: true))
        #expect(client.readyState == .closed)
        var serverEvents = server.events.makeAsyncIterator()
        #expect(await serverEvents.next() == .close(code: 4001, reason: "bye", wasClean: true))
        #expect(server.readyState == .closed)
        #expect(throws: WebSocketError.self) { try server.send("late") }
    }

    @Test func abortLooksLikeADroppedConnection() async {
        let (client, server) = WebSocketPair()
        client.abort()
        var serverEvents = server.events.makeAsyncIterator()
        guard case .close(let code, _, let wasClean) = await serverEvents.next() else {
            Issue.record("expected close")
            return
        }
        #expect(code == 1006)
        #expect(!wasClean)
    }

    @Test func bufferedAmountCountsUnreadBytes() async throws {
        let (client, server) = WebSocketPair()
        server.accept()
        try server.send("12345")
        #expect(server.bufferedAmount == 5)
        var events = client.events.makeAsyncIterator()
        _ = await events.next()
        #expect(server.bufferedAmount == 0)
    }

    @Test func attachmentsRoundTripAndAreLimited() throws {
        struct Info: Codable, Equatable { var kitchen: String }
        let (_, server) = WebSocketPair()
        try server.serializeAttachment(Info(kitchen: "demo"))
        #expect(server.deserializeAttachment(as: Info.self) == Info(kitchen: "demo"))
        #expect(throws: WebSocketError.self) {
            try server.serializeAttachment(String(repeating: "x", count: 20_000))
        }
    }
}
