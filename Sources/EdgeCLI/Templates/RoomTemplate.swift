extension InitProject {
    /// The Durable Object: a chat room on hibernatable WebSockets, its history in SQL storage,
    /// an alarm that trims the history.
    var roomSource: String {
        #"""
        import EdgeDurableObjects
        import EdgeRuntime
        import Foundation

        /// A chat room, the twin of `export class Room extends DurableObject`.
        ///
        /// - `GET /api/rooms/<room>/ws` (WebSocket): sends the history, then every message anyone
        ///   sends. The sockets use the hibernation API (`acceptWebSocket`), so they stay open
        ///   while the room is evicted, and the next message constructs it again.
        /// - `POST /api/rooms/<room>/messages` (text body) sends a message; `GET` lists them.
        /// - Messages are kept in the room's SQLite storage; an alarm set a minute after a message
        ///   keeps the newest ``historyLimit`` of them.
        public actor Room: DurableObject {
            /// How many messages the alarm keeps.
            public static let historyLimit = 100
            /// How long after a message the alarm runs, in seconds.
            public static let trimDelay: TimeInterval = 60

            let state: DurableObjectState

            public init(state: DurableObjectState, env: Env) {
                self.state = state
                state.blockConcurrencyWhile {
                    _ = try state.storage.sql.exec(
                        "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL)")
                }
            }

            public func fetch(_ request: Request) async throws -> Response {
                if request.isWebSocketUpgrade {
                    let (client, server) = WebSocketPair()
                    state.acceptWebSocket(server)
                    for text in try history() { try server.send(text) }
                    return Response(webSocket: client)
                }
                guard request.path.hasSuffix("/messages") else {
                    return Response.json(["error": "Not found"], status: .notFound)
                }
                switch request.method {
                case .get:
                    return Response.json(try history())
                case .post:
                    try send(try await request.text())
                    return Response.json(["sent": true], status: .created)
                default:
                    return Response.json(["error": "Method not allowed"], status: .methodNotAllowed)
                }
            }

            public func webSocketMessage(_ ws: WebSocket, _ message: WebSocketMessage) async throws {
                guard case .text(let text) = message else {
                    ws.close(code: 1003, reason: "Text messages only")
                    return
                }
                try send(text)
            }

            public func alarm(_ info: AlarmInfo) async throws {
                _ = try state.storage.sql.exec(
                    "DELETE FROM messages WHERE id NOT IN (SELECT id FROM messages ORDER BY id DESC LIMIT ?)",
                    Self.historyLimit)
            }

            /// Stores `text`, sends it to every socket of the room, and sets the alarm if none is set.
            private func send(_ text: String) throws {
                _ = try state.storage.sql.exec("INSERT INTO messages (text) VALUES (?)", text)
                for socket in state.getWebSockets() {
                    try? socket.send(text)  // a socket closing meanwhile is skipped, as JavaScript's try/catch does
                }
                if try state.storage.getAlarm() == nil {
                    try state.storage.setAlarm(Date.now() + Self.trimDelay * 1000)  // as JavaScript: epoch milliseconds
                }
            }

            /// The stored messages, oldest first.
            private func history() throws -> [String] {
                try state.storage.sql.exec("SELECT text FROM messages ORDER BY id").map { $0["text"]?.stringValue ?? "" }
            }
        }

        """#
    }
}
