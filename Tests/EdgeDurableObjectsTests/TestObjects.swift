import EdgeDurableObjects
import EdgeRuntime
import Foundation

/// The `Env` of the test classes: the recorder of the test.
struct TestEnv: WorkerEnv {
    let recorder: Recorder

    init(bindings: Bindings) throws {
        recorder = try bindings.get("RECORDER")
    }
}

/// A counter in KV storage, with helpers to hold events open and to stream.
actor Counter: DurableObject {
    let state: DurableObjectState
    let recorder: Recorder
    var memory = 0
    var writer: WritableStream?

    init(state: DurableObjectState, env: TestEnv) {
        self.state = state
        self.recorder = env.recorder
        recorder.record("construct \(state.id.name ?? "-")")
    }

    func fetch(_ request: Request) async throws -> Response {
        switch request.path {
        case "/increment":
            return Response(String(try increment()))
        case "/stream":
            let stream = TransformStream()
            writer = stream.writable
            return Response(stream.readable)
        case "/throw":
            throw TestFailure("fetch failed")
        default:
            return Response("not found", status: .notFound)
        }
    }

    /// get, +1, put: no await in between.
    func increment() throws -> Int {
        let next = (try state.storage.get("count", as: Int.self) ?? 0) + 1
        try state.storage.put("count", next)
        return next
    }

    func count() throws -> Int {
        try state.storage.get("count", as: Int.self) ?? 0
    }

    /// Counts in memory only (lost on eviction).
    func bump() -> Int {
        memory += 1
        return memory
    }

    func log(_ entry: String) {
        recorder.record(entry)
    }

    /// Records `entry start`, waits for `latch`, records `entry end`.
    func hold(_ entry: String, until latch: Latch) async {
        recorder.record("\(entry) start")
        await latch.wait()
        recorder.record("\(entry) end")
    }

    /// The same, inside `blockConcurrencyWhile`.
    func holdExclusively(_ entry: String, until latch: Latch) async throws {
        try await state.blockConcurrencyWhile {
            await self.hold(entry, until: latch)
        }
    }

    func finishStream(_ text: String) async throws {
        try await writer?.write(text)
        writer?.close()
    }

    func alarm(_ info: AlarmInfo) async throws {
        recorder.record("alarm \(info.retryCount) \(info.isRetry) \(state.id.name ?? "-")")
        if recorder.takeAlarmFailure() { throw TestFailure("alarm failed") }
    }
}

/// WebSockets: hibernatable (`/connect`) and plain (`/plain`).
actor SocketHub: DurableObject {
    let state: DurableObjectState
    let recorder: Recorder

    init(state: DurableObjectState, env: TestEnv) {
        self.state = state
        self.recorder = env.recorder
        recorder.record("construct \(state.id.name ?? "-")")
        state.setWebSocketAutoResponse(WebSocketRequestResponsePair(request: "ping", response: "pong"))
    }

    func fetch(_ request: Request) async throws -> Response {
        let (client, server) = WebSocketPair()
        switch request.path {
        case "/connect":
            let tags = request.searchParams.getAll("tag")
            state.acceptWebSocket(server, tags: tags)
            try server.serializeAttachment(request.searchParams.get("user") ?? "anonymous")
        case "/plain":
            server.accept()
            let recorder = self.recorder
            Task {
                for await event in server.events {
                    guard case .message(let message) = event else { continue }
                    recorder.record("plain \(message.text ?? "")")
                    try? server.send("plain echo \(message.text ?? "")")
                }
            }
        case "/accept-twice":
            server.accept()
            state.acceptWebSocket(server)
        case "/too-many-tags":
            state.acceptWebSocket(server, tags: (0...10).map { "t\($0)" })
        default:
            return Response("not found", status: .notFound)
        }
        return Response(webSocket: client)
    }

    func webSocketMessage(_ ws: WebSocket, _ message: WebSocketMessage) async throws {
        let text = message.text ?? ""
        recorder.record("message \(text)")
        let user = ws.deserializeAttachment(as: String.self) ?? "?"
        try ws.send("echo \(text) to \(user)")
    }

    func webSocketClose(_ ws: WebSocket, code: UInt16, reason: String, wasClean: Bool) async throws {
        recorder.record("close \(code) \(reason) \(wasClean)")
    }

    func broadcast(_ text: String, tag: String?) throws -> Int {
        let sockets = state.getWebSockets(tag: tag)
        for socket in sockets { try socket.send(text) }
        return sockets.count
    }
}

/// Loads its state in the constructor with `blockConcurrencyWhile`, as JavaScript objects do.
actor Loader: DurableObject {
    let state: DurableObjectState
    let recorder: Recorder
    var loaded = false

    init(state: DurableObjectState, env: TestEnv) {
        self.state = state
        self.recorder = env.recorder
        state.blockConcurrencyWhile { await self.load() }
    }

    func load() async {
        recorder.record("load start")
        await recorder.loadLatch.wait()
        loaded = true
        recorder.record("load end")
    }

    func read(_ entry: String) -> Bool {
        recorder.record(entry)
        return loaded
    }
}

/// No handlers at all (the defaults apply).
actor Quiet: DurableObject {
    let state: DurableObjectState

    init(state: DurableObjectState, env: TestEnv) {
        self.state = state
    }
}

/// A KV-backed class (not in `sqliteClasses`): `storage.sql` is refused.
actor Legacy: DurableObject {
    let state: DurableObjectState

    init(state: DurableObjectState, env: TestEnv) {
        self.state = state
    }
}
