import EdgeRuntime
import Foundation
import HTTPTypes

/// A worker that opens an outbound WebSocket with `fetch(url, { headers: { Upgrade: "websocket" } })`
/// and plays a script on it, answering with what it saw, one line per event:
/// `/socket?url=<ws peer>&send=a|b:bytes|c&expect=2&close=4000:done`
/// sends each message (`b:` a binary one), reads until `expect` messages have come, then closes
/// with `close` (when given) and reads to the close event.
struct OutboundSocketWorker: Worker {
    struct Env: WorkerEnv {
        init(bindings: Bindings) throws {}
    }

    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        let query = request.searchParams
        let options = RequestInit(headers: ["upgrade": "websocket", "sec-websocket-protocol": "chat"])
        let response: Response
        do {
            response = try await EdgeRuntime.fetch(query.get("url") ?? "", options)
        } catch {
            return Response("\(error)", status: .badGateway)
        }
        guard let socket = response.webSocket else {
            return Response("\(response.status.code) no socket: \(try await response.text())")
        }
        var lines = ["\(response.status.code) protocol=\(response.headers.get("sec-websocket-protocol") ?? "-")"]
        do {
            try socket.send("too early")
        } catch {
            lines.append("before accept: \(error)")
        }
        socket.accept()
        let messages = (query.get("send") ?? "").split(separator: "|").map(String.init)
        for message in messages {
            if message.hasPrefix("b:") { try socket.send(Array(message.dropFirst(2).utf8)) } else { try socket.send(message) }
        }
        // A script the peer never finishes ends in a close line instead of hanging the test.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            socket.close(code: 4999, reason: "script timed out")
        }
        defer { watchdog.cancel() }
        var expected = Int(query.get("expect") ?? "0") ?? 0
        if expected == 0 { closeIfAsked(socket, query) }
        for await event in socket.events {
            switch event {
            case .message(.text(let text)):
                lines.append("text: \(text)")
            case .message(.binary(let bytes)):
                lines.append("binary: \(String(decoding: bytes, as: UTF8.self))")
            case .close(let code, let reason, let wasClean):
                lines.append("close: \(code) \(reason) wasClean=\(wasClean)")
            case .error(let message):
                lines.append("error: \(message)")
            }
            if case .message = event {
                expected -= 1
                if expected == 0 { closeIfAsked(socket, query) }
            }
        }
        lines.append("readyState=\(socket.readyState)")
        return Response(lines.joined(separator: "\n"))
    }

    func closeIfAsked(_ socket: WebSocket, _ query: URLSearchParams) {
        guard let close = query.get("close") else { return }
        let parts = close.split(separator: ":", maxSplits: 1).map(String.init)
        socket.close(code: UInt16(parts[0]) ?? 1000, reason: parts.count > 1 ? parts[1] : "")
    }
}

/// The peer of the outbound sockets: an Edge worker serving WebSockets on 127.0.0.1. It greets,
/// echoes, closes with `close:<code>:<reason>`, drops the connection without a Close frame on
/// `drop`, and records the close it receives under its `?id=`. `/refuse` answers 403.
struct SocketPeerWorker: Worker {
    struct Env: WorkerEnv {
        init(bindings: Bindings) throws {}
    }

    /// `<id> <code> <reason> wasClean=<bool>` for each close a peer socket received.
    static let closes = LockedLines()

    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        guard request.path == "/ws", request.isWebSocketUpgrade else {
            return Response("no sockets here", status: .forbidden)
        }
        let id = request.searchParams.get("id") ?? "-"
        let (client, server) = WebSocketPair()
        server.accept()
        try server.send("welcome")
        Task {
            for await event in server.events {
                switch event {
                case .message(.text(let text)) where text.hasPrefix("close:"):
                    let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
                    server.close(code: UInt16(parts[1]) ?? 1000, reason: parts.count > 2 ? parts[2] : "")
                case .message(.text("drop")):
                    server.abort()
                case .message(.text(let text)):
                    try? server.send("echo \(text)")
                case .message(.binary(let bytes)):
                    try? server.send(Array(bytes.reversed()))
                case .close(let code, let reason, let wasClean):
                    Self.closes.append("\(id) \(code) \(reason) wasClean=\(wasClean)")
                case .error:
                    break
                }
            }
        }
        var headers: Headers = [:]
        if let protocols = request.headers.get("sec-websocket-protocol") { headers.set("sec-websocket-protocol", protocols) }
        return Response(webSocket: client, headers: headers)
    }
}
