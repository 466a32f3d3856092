import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import NIOCore
import Testing

// A worker of our own, not CounterFire: Cloudflare's chat room demo in small. The worker routes
// `/room/<name>` to a `ChatRoom` Durable Object, which talks on plain `accept()`ed WebSockets
// with `addEventListener` and keeps the history with `storage.put` / `storage.list`, as the
// JavaScript does:
//
//     webSocket.accept();
//     webSocket.addEventListener("message", async msg => { ... this.storage.put(key, data) ... });
//     webSocket.addEventListener("close", evt => { ... });

struct ChatEnv: WorkerEnv {
    let ROOMS: DurableObjectNamespace<ChatRoom>

    init(bindings: Bindings) throws {
        ROOMS = try bindings.get("ROOMS")
    }
}

struct ChatWorker: Worker {
    typealias Env = ChatEnv

    func fetch(_ request: Request, env: ChatEnv, ctx: ExecutionContext) async throws -> Response {
        let parts = request.path.split(separator: "/")
        guard parts.count == 2, parts[0] == "room" else { return Response("not found", status: .notFound) }
        guard request.headers.get("upgrade") == "websocket" else {
            return Response("expected websocket", status: .badRequest)
        }
        return try await env.ROOMS.getByName(String(parts[1])).fetch(request)
    }
}

actor ChatRoom: DurableObject {
    /// A reason of 124 bytes whose last character (2 bytes) crosses the 123-byte limit.
    static let longReason = String(repeating: "a", count: 122) + "é"

    let state: DurableObjectState
    var sessions: [(socket: WebSocket, name: String?)] = []
    var lastKey = 0

    init(state: DurableObjectState, env: ChatEnv) {
        self.state = state
    }

    func fetch(_ request: Request) async throws -> Response {
        let (client, server) = WebSocketPair()
        try handleSession(server)
        return Response(webSocket: client)
    }

    func handleSession(_ webSocket: WebSocket) throws {
        webSocket.accept()
        sessions.append((webSocket, nil))
        for (_, line) in try state.storage.list(.init(reverse: true, limit: 100), as: String.self).reversed() {
            try webSocket.send("history \(line)")
        }
        webSocket.addEventListener(.message) { event in
            guard let text = event.data.text else { return }
            if text.hasPrefix("/name ") {
                self.rename(webSocket, String(text.dropFirst(6)))
                self.broadcast("\(text.dropFirst(6)) joined")
            } else if text == "/close-long" {
                webSocket.close(code: 4001, reason: ChatRoom.longReason)
            } else {
                let line = "\(self.name(of: webSocket)): \(text)"
                self.lastKey += 1
                try self.state.storage.put(String(format: "%08d", self.lastKey), line)
                self.broadcast(line)
            }
        }
        webSocket.addEventListener(.close) { event in
            try self.state.storage.put("close-\(self.name(of: webSocket))", "\(event.code) \(event.reason)")
            self.quit(webSocket)
        }
        webSocket.addEventListener(.error) { _ in self.quit(webSocket) }
    }

    /// What a session's close listener saw.
    func closeSeen(by name: String) throws -> String? {
        try state.storage.get("close-\(name)", as: String.self)
    }

    private func rename(_ socket: WebSocket, _ name: String) {
        if let index = sessions.firstIndex(where: { $0.socket === socket }) { sessions[index].name = name }
    }

    private func name(of socket: WebSocket) -> String {
        sessions.first { $0.socket === socket }?.name ?? "anonymous"
    }

    private func quit(_ socket: WebSocket) {
        let name = self.name(of: socket)
        sessions.removeAll { $0.socket === socket }
        broadcast("\(name) left")
    }

    private func broadcast(_ line: String) {
        for session in sessions where session.socket.readyState == .open {
            try? session.socket.send(line)
        }
    }
}

@Suite("A chat room on plain WebSockets, end to end", .timeLimit(.minutes(3)))
struct ChatRoomTests {
    static let toml = """
        name = "chat"
        compatibility_date = "2026-04-07"

        [durable_objects]
        bindings = [{ name = "ROOMS", class_name = "ChatRoom" }]

        [[migrations]]
        tag = "v1"
        new_sqlite_classes = ["ChatRoom"]
        """

    static func withChat(_ body: (TestClient) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-chat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("wrangler-like.toml")
        try Data(toml.utf8).write(to: path)
        let config = try WranglerConfig.load(from: path).config
        try await Emulator.test(.live, config: config, module: WorkerModule(ChatWorker(), durableObjects: [ChatRoom.self])) {
            try await body($0)
        }
    }

    static func join(_ client: TestClient, _ room: String, as name: String) async throws -> TestWebSocket {
        let ws = try await client.webSocket("/room/\(room)")
        try await ws.send("/name \(name)")
        return ws
    }

    @Test func twoClientsChatAndALaterOneGetsTheHistory() async throws {
        try await Self.withChat { client in
            let ann = try await Self.join(client, "lobby", as: "ann")
            #expect(try await ann.receiveText() == "ann joined")
            let bob = try await Self.join(client, "lobby", as: "bob")
            #expect(try await ann.receiveText() == "bob joined")
            #expect(try await bob.receiveText() == "bob joined")
            for index in 1...20 { try await ann.send("hello \(index)") }
            for index in 1...20 {
                #expect(try await ann.receiveText() == "ann: hello \(index)")
                #expect(try await bob.receiveText() == "ann: hello \(index)")
            }
            try await bob.close(code: 1000, reason: "bye")
            #expect(try await ann.receiveText() == "bob left")
            let cat = try await client.webSocket("/room/lobby")
            for index in 1...20 { #expect(try await cat.receiveText() == "history ann: hello \(index)") }
        }
    }

    @Test func messagesEverySecondKeepTheRoomAliveAndSilenceEvictsIt() async throws {
        try await Self.withChat { client in
            let ann = try await Self.join(client, "busy", as: "ann")
            #expect(try await ann.receiveText() == "ann joined")
            let bob = try await Self.join(client, "busy", as: "bob")
            #expect(try await ann.receiveText() == "bob joined")
            #expect(try await bob.receiveText() == "bob joined")
            for second in 1...200 {
                await client.advance(by: .seconds(1))
                try await (second.isMultiple(of: 2) ? ann : bob).send("m\(second)")
                let line = "\(second.isMultiple(of: 2) ? "ann" : "bob"): m\(second)"
                guard try await ann.receiveText() == line, try await bob.receiveText() == line else {
                    Issue.record("the conversation broke at \(second) s")
                    return
                }
            }
            let info = try #require(try client.inspect("ROOMS", .name("busy")).first)
            #expect(info.state == .idle)
            #expect(info.constructions == 1)
            #expect(info.sockets == 2)
            // 70 s without a message: evicted, both sockets dropped as production drops them.
            await client.advance(by: .seconds(69))
            #expect(try client.inspect("ROOMS", .name("busy")).first?.state == .idle)
            await client.advance(by: .seconds(1))
            #expect(try client.inspect("ROOMS", .name("busy")).first?.state == .inactive)
            #expect(try await ann.closed().code == 1006)
            #expect(try await bob.closed().code == 1006)
        }
    }

    @Test func aCloseReasonThatIsNotUTF8IsAnsweredWith1007() async throws {
        try await Self.withChat { client in
            let ann = try await Self.join(client, "close", as: "ann")
            #expect(try await ann.receiveText() == "ann joined")
            // 123 bytes of reason, the last two not UTF-8: at most a 125-byte payload, as allowed.
            var payload = ByteBuffer()
            payload.writeInteger(UInt16(4000))
            payload.writeBytes(Array(repeating: UInt8(ascii: "a"), count: 121) + [0xC3, 0x28])
            try await ann.sendFrame(.connectionClose, payload)
            let answer = try await ann.closed()
            #expect(answer.code == 1007)
            #expect(answer.reason == "Invalid UTF-8 in a close reason")
            let seen = try await client.emulatorRoom("close") { try await $0.closeSeen(by: "ann") }
            #expect(seen == "1007 Invalid UTF-8 in a close reason")
        }
    }

    @Test func aWorkersLongCloseReasonIsCutAtACharacterBoundary() async throws {
        try await Self.withChat { client in
            let ann = try await Self.join(client, "long", as: "ann")
            #expect(try await ann.receiveText() == "ann joined")
            try await ann.send("/close-long")
            let answer = try await ann.closed()
            #expect(answer.code == 4001)
            #expect(answer.reason == String(repeating: "a", count: 122))
        }
    }

    @Test func aClientsLongestValidReasonIsKeptWhole() async throws {
        try await Self.withChat { client in
            let ann = try await Self.join(client, "exact", as: "ann")
            #expect(try await ann.receiveText() == "ann joined")
            let reason = String(repeating: "é", count: 61) + "a"  // 123 bytes
            let answer = try await ann.close(code: 4002, reason: reason)
            #expect(answer == TestWebSocket.Close(code: 4002, reason: reason))
        }
    }
}

extension TestClient {
    /// Runs `body` inside the chat room `name`.
    fileprivate func emulatorRoom<T: Sendable>(_ name: String, _ body: @escaping @Sendable (ChatRoom) async throws -> T) async throws -> T {
        let namespace = try #require(emulator.durableObjects.namespaces()["ROOMS"] as? DurableObjectNamespace<ChatRoom>)
        return try await namespace.getByName(name).call { try await body($0) }
    }
}
