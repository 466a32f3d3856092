import EdgeRuntime
import NIOCore
import NIOWebSocket
import Synchronization

/// A WebSocket connection as a test drives it: send text or binary, receive the server's messages
/// in order, close with a code and reason, and see how the server closed.
///
/// In-process it is the client end of the worker's `WebSocketPair`; live it is a real connection
/// upgraded through the server. Both report the same things: the server's close code and reason,
/// or 1006 when the connection ended without a Close frame.
public final class TestWebSocket: Sendable {
    /// How a connection closed: the code and reason of the server's Close frame.
    public struct Close: Sendable, Equatable, CustomStringConvertible {
        /// The close code (1005 when the frame had none, 1006 when there was no frame).
        public let code: UInt16
        /// The close reason.
        public let reason: String

        /// Creates a close.
        public init(code: UInt16, reason: String) {
            self.code = code
            self.reason = reason
        }

        public var description: String { "\(code) \"\(reason)\"" }
    }

    enum Event: Sendable {
        case message(WebSocketMessage)
        case close(Close)
    }

    enum Transport: Sendable {
        case inProcess(WebSocket)
        case live(LiveWebSocket)
    }

    /// The headers of the 101 response (for `Sec-WebSocket-Protocol` and the like).
    public let headers: Headers
    /// How long ``receive()`` and ``closed()`` wait before failing.
    public let timeout: Duration
    private let transport: Transport
    private let inbox: AsyncInbox<Event>
    private let closeEvent = Mutex<Close?>(nil)

    init(headers: Headers, transport: Transport, inbox: AsyncInbox<Event>, timeout: Duration) {
        self.headers = headers
        self.transport = transport
        self.inbox = inbox
        self.timeout = timeout
    }

    /// A connection on the client end of a worker's pair, without a network.
    static func inProcess(_ socket: WebSocket, headers: Headers, timeout: Duration) -> TestWebSocket {
        let inbox = AsyncInbox<Event>()
        Task {
            for await event in socket.events {
                switch event {
                case .message(let message):
                    inbox.push(.message(message))
                case .close(let code, let reason, let wasClean):
                    inbox.push(.close(Close(code: wasClean ? code : WebSocketCloseCode.abnormal, reason: reason)))
                case .error(let message):
                    inbox.push(.close(Close(code: WebSocketCloseCode.abnormal, reason: message)))
                }
            }
            inbox.finish()
        }
        return TestWebSocket(headers: headers, transport: .inProcess(socket), inbox: inbox, timeout: timeout)
    }

    // MARK: sending

    /// Sends a text message.
    public func send(_ text: String) async throws { try await send(.text(text)) }
    /// Sends a binary message.
    public func send(_ bytes: [UInt8]) async throws { try await send(.binary(bytes)) }

    /// Sends a message.
    public func send(_ message: WebSocketMessage) async throws {
        switch transport {
        case .inProcess(let socket): try socket.send(message)
        case .live(let live): try await live.send(message)
        }
    }

    /// Sends a text message split into one frame per piece (live; in-process the pieces are
    /// joined, as there are no frames).
    public func sendFragmented(_ pieces: [String]) async throws {
        switch transport {
        case .inProcess(let socket):
            try socket.send(.text(pieces.joined()))
        case .live(let live):
            for (index, piece) in pieces.enumerated() {
                try await live.writeFrame(index == 0 ? .text : .continuation, ByteBuffer(string: piece), fin: index == pieces.count - 1)
            }
        }
    }

    /// Sends one frame exactly as given, for protocol tests (live; in-process, where there are no
    /// frames, a text or binary payload is sent as a message and anything else is ignored).
    /// `masked: false` breaks RFC 6455's rule that clients mask; it spares a test the masking of a
    /// huge payload.
    public func sendFrame(_ opcode: WebSocketOpcode, _ payload: ByteBuffer, fin: Bool = true, masked: Bool = true) async throws {
        switch transport {
        case .inProcess(let socket):
            if opcode == .text { try socket.send(.text(String(buffer: payload))) }
            if opcode == .binary { try socket.send(.binary(Array(payload.readableBytesView))) }
        case .live(let live):
            try await live.writeFrame(opcode, payload, fin: fin, masked: masked)
        }
    }

    /// Sends a Close frame with `code` and `reason` and waits for the server's answer; returns it.
    @discardableResult
    public func close(code: UInt16 = WebSocketCloseCode.normal, reason: String = "") async throws -> Close {
        switch transport {
        case .inProcess(let socket): socket.close(code: code, reason: reason)
        case .live(let live): try await live.sendClose(code: code, reason: reason)
        }
        return try await closed()
    }

    /// Drops the connection without a Close frame (the worker sees 1006).
    public func abort() {
        switch transport {
        case .inProcess(let socket): socket.abort()
        case .live(let live): live.abort()
        }
    }

    // MARK: receiving

    /// The next message from the server, or `nil` once the server closed (see ``closed()``).
    /// - Throws: ``TestClientError`` after ``timeout`` without a message.
    public func receive() async throws -> WebSocketMessage? {
        if closeEvent.withLock({ $0 }) != nil { return nil }
        switch await inbox.next(timeout: timeout) {
        case .element(.message(let message)):
            return message
        case .element(.close(let close)):
            closeEvent.withLock { $0 = close }
            return nil
        case .finished:
            closeEvent.withLock { $0 = $0 ?? Close(code: WebSocketCloseCode.abnormal, reason: "") }
            return nil
        case .timedOut:
            throw TestClientError.timedOut("a WebSocket message")
        }
    }

    /// The next message, which must be text.
    public func receiveText() async throws -> String? {
        guard let message = try await receive() else { return nil }
        guard case .text(let text) = message else { throw TestClientError.connectionClosed("with a binary message where text was expected") }
        return text
    }

    /// Waits for the connection to close, skipping messages, and returns how the server closed it.
    public func closed() async throws -> Close {
        while true {
            if let close = closeEvent.withLock({ $0 }) { return close }
            _ = try await receive()
        }
    }
}
