import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Logging
import Testing

/// A chat room on plain (`accept()`ed) WebSockets, read two ways: `/reader` with a task over
/// `events` (what a port wrote before listeners), `/listen` with `addEventListener`.
actor PlainRoom: DurableObject {
    let state: DurableObjectState
    let recorder: Recorder
    var received = 0

    init(state: DurableObjectState, env: TestEnv) {
        self.state = state
        self.recorder = env.recorder
        recorder.record("construct \(state.id.name ?? "-")")
    }

    func fetch(_ request: Request) async throws -> Response {
        let (client, server) = WebSocketPair()
        server.accept()
        switch request.path {
        case "/reader":
            let recorder = self.recorder
            Task {
                for await event in server.events {
                    guard case .message(let message) = event else { continue }
                    recorder.record("reader \(message.text ?? "")")
                    try? server.send("echo \(message.text ?? "")")
                }
            }
        case "/listen":
            server.addEventListener(.message) { event in
                // Actor state, used directly: the listener runs on the object's actor.
                self.received += 1
                let text = event.data.text ?? ""
                self.recorder.record("listener \(text)")
                if text == "hold" { await self.recorder.loadLatch.wait() }
                try server.send("echo \(self.received) \(text)")
            }
            server.addEventListener(.message) { event in
                if event.data.text == "throw" { throw TestFailure("listener threw") }
            }
            server.addEventListener(.close) { event in
                self.recorder.record("close \(event.code) \(event.reason) \(event.wasClean)")
                server.close(code: event.code, reason: "bye")
            }
        default:
            return Response("not found", status: .notFound)
        }
        return Response(webSocket: client)
    }

    /// Holds the input gate until `latch` opens.
    func blockUntil(_ latch: Latch) async throws {
        try await state.blockConcurrencyWhile {
            self.recorder.record("blocking")
            await latch.wait()
        }
    }
}

/// Bug 1 of issue 12: messages on plain WebSockets keep their object in memory, as events do in
/// production; only `evictAfter` with no event at all evicts it. And `addEventListener` runs
/// each event through the object's input gate.
@Suite("Plain WebSockets: messages are events", .timeLimit(.minutes(2)))
struct PlainSocketTests {
    struct Room: Sendable {
        let runtime: DurableObjectRuntime
        let clock: VirtualClock
        let recorder: Recorder

        func stub(_ name: String) -> DurableObjectStub<PlainRoom> {
            (runtime.namespaces()["ROOMS"] as! DurableObjectNamespace<PlainRoom>).getByName(name)
        }

        func info(_ name: String) throws -> ObjectInfo {
            try #require(try runtime.inspect(binding: "ROOMS", target: .name(name)).first)
        }

        /// Opens a socket on `path`; returns the client end.
        func connect(_ name: String, _ path: String) async throws -> WebSocket {
            try #require(try await stub(name).fetch(Request("https://do\(path)")).webSocket)
        }
    }

    static func withRoom(_ body: (Room) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-plain-\(UUID().uuidString)")
        let clock = VirtualClock()
        let recorder = Recorder()
        let runtime = try DurableObjectRuntime(
            workerName: "test", stateRoot: root, classes: [PlainRoom.self], bindings: [("ROOMS", "PlainRoom")],
            sqliteClasses: ["PlainRoom"], clock: clock, logger: Logger(label: "edge-test"))
        var resources = runtime.namespaces()
        resources["RECORDER"] = recorder
        runtime.attach(bindings: Bindings(resources: resources))
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            try await body(Room(runtime: runtime, clock: clock, recorder: recorder))
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    }

    /// Sends a message every second for 200 s, each answered; then stays silent.
    static func chatFor200Seconds(_ room: Room, _ name: String, _ path: String, echo: (Int) -> String) async throws {
        let client = try await room.connect(name, path)
        var events = client.events.makeAsyncIterator()
        for second in 1...200 {
            await room.clock.advance(by: .seconds(1))
            try client.send("m\(second)")
            let answer = await events.next()
            guard answer == .message(.text(echo(second))) else {
                Issue.record("at \(second) s: \(String(describing: answer))")
                return
            }
        }
        #expect(try room.info(name).state == .idle)
        #expect(try room.info(name).constructions == 1)
        #expect(try room.info(name).sockets == 1)
        // Silence: evicted evictAfter (70 s) after the last message, not before.
        await room.clock.advance(by: .seconds(69))
        #expect(try room.info(name).state == .idle)
        await room.clock.advance(by: .seconds(1))
        #expect(try room.info(name).state == .inactive)
        #expect(await events.next() == .close(code: 1006, reason: "WebSocket disconnected without sending Close frame.", wasClean: false))
        #expect(room.recorder.entries(startingWith: "construct") == ["construct \(name)"])
    }

    @Test func messagesReadFromEventsKeepTheObjectAliveAndSilenceEvictsIt() async throws {
        try await Self.withRoom { room in
            try await Self.chatFor200Seconds(room, "reader", "/reader") { "echo m\($0)" }
        }
    }

    @Test func messagesHandledByListenersKeepTheObjectAliveAndSilenceEvictsIt() async throws {
        try await Self.withRoom { room in
            try await Self.chatFor200Seconds(room, "listen", "/listen") { "echo \($0) m\($0)" }
        }
    }

    @Test func listenersRunInOrderThroughTheInputGate() async throws {
        try await Self.withRoom { room in
            let client = try await room.connect("gate", "/listen")
            var events = client.events.makeAsyncIterator()
            let latch = Latch()
            let blocking = Task { try await room.stub("gate").call { try await $0.blockUntil(latch) } }
            try await eventually("blockConcurrencyWhile holds the gate") { room.recorder.entries.contains("blocking") }
            for index in 1...20 { try client.send("m\(index)") }
            try await Task.sleep(for: .milliseconds(50))
            #expect(room.recorder.entries(startingWith: "listener").isEmpty, "no listener runs while the gate is held")
            latch.open()
            try await blocking.value
            for index in 1...20 {
                #expect(await events.next() == .message(.text("echo \(index) m\(index)")))
            }
            #expect(room.recorder.entries(startingWith: "listener") == (1...20).map { "listener m\($0)" })
        }
    }

    @Test func aListenerInFlightKeepsTheObjectActive() async throws {
        try await Self.withRoom { room in
            let client = try await room.connect("busy", "/listen")
            var events = client.events.makeAsyncIterator()
            try client.send("hold")
            try await eventually("the listener runs") { room.recorder.entries.contains("listener hold") }
            #expect(try room.info("busy").state == .active)
            #expect(try room.info("busy").inFlight == 1)
            await room.clock.advance(by: .seconds(600))
            #expect(try room.info("busy").state == .active)
            room.recorder.loadLatch.open()
            #expect(await events.next() == .message(.text("echo 1 hold")))
            try await eventually("the event ends") { try room.info("busy").state == .idle }
        }
    }

    @Test func aThrowingListenerDoesNotStopTheOthersNorLaterEvents() async throws {
        try await Self.withRoom { room in
            let client = try await room.connect("throws", "/listen")
            var events = client.events.makeAsyncIterator()
            try client.send("throw")
            try client.send("after")
            #expect(await events.next() == .message(.text("echo 1 throw")))
            #expect(await events.next() == .message(.text("echo 2 after")))
            #expect(try room.info("throws").constructions == 1)
        }
    }

    @Test func theCloseListenerGetsTheClientsCodeAndReason() async throws {
        try await Self.withRoom { room in
            let client = try await room.connect("close", "/listen")
            var events = client.events.makeAsyncIterator()
            client.close(code: 4000, reason: "leaving")
            #expect(await events.next() == .close(code: 4000, reason: "leaving", wasClean: true))
            try await eventually("the close listener runs") { room.recorder.entries.contains("close 4000 leaving true") }
            // The socket is closed: the object is idle without it and goes after 10 s.
            #expect(try room.info("close").sockets == 0)
            await room.clock.advance(by: .seconds(10))
            #expect(try room.info("close").state == .inactive)
        }
    }

    @Test func listenersOfAnEvictedInstanceNeverRunAgain() async throws {
        try await Self.withRoom { room in
            let client = try await room.connect("stale", "/listen")
            var events = client.events.makeAsyncIterator()
            try client.send("one")
            #expect(await events.next() == .message(.text("echo 1 one")))
            _ = try await room.runtime.evict(binding: "ROOMS", target: .name("stale"))
            #expect(await events.next() == .close(code: 1006, reason: "WebSocket disconnected without sending Close frame.", wasClean: false))
            #expect(try room.info("stale").state == .inactive)
            #expect(room.recorder.entries(startingWith: "construct").count == 1)
        }
    }
}
