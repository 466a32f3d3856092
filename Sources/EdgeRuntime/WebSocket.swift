import Foundation
import Synchronization

/// One end of a `WebSocketPair`, mirroring the Workers `WebSocket`.
///
/// A pair is two ends joined in memory: what one end sends, the other receives as events. A
/// handler keeps the server end and returns the client end in a 101 ``Response``; the server
/// bridges the client end to the network. Close follows compatibility date 2026-04-07
/// (`web_socket_auto_reply_to_close`): an end that receives a Close replies at once, so its
/// `readyState` is already `closed` when the close event is read.
public final class WebSocket: Sendable {
    /// `WebSocket.readyState`.
    public enum ReadyState: Int, Sendable {
        case connecting = 0, open = 1, closing = 2, closed = 3
    }

    struct State {
        var readyState: ReadyState = .open
        var accepted = false
        var attachment: Data?
        weak var peer: WebSocket?
        var closeHandlers: [@Sendable () -> Void] = []
        /// Accepted with the hibernation API: the host reads it, listeners never run.
        var hibernatable = false
        /// `addEventListener` listeners, in the order added.
        var listeners: [(kind: WebSocketEventKind, run: ErasedListener)] = []
        /// Where the listeners run: the Durable Object they were added in, if any.
        var listenerHost: (any WebSocketListenerHost)?
        var readingForListeners = false
        /// Called for each message this end receives (the Durable Object host's activity).
        var messageObserver: (@Sendable () -> Void)?

        /// Whether the listeners should start being read now (once: accepted, not hibernatable,
        /// with a listener); marks them read.
        mutating func claimListenerReading() -> Bool {
            guard accepted, !hibernatable, !listeners.isEmpty, !readingForListeners else { return false }
            readingForListeners = true
            return true
        }
    }

    let state = Mutex(State())
    let inbound = WebSocketInbox()
    let inboundBytes = Atomic<Int>(0)
    let inboundMessages = Atomic<Int>(0)
    /// Whether ``observeMessages(_:)`` was called: a message to an end nobody observes (most
    /// ends: the client end of every bridged socket) skips the lock.
    let observed = Atomic<Bool>(false)
    /// An identifier for logs and lookups.
    package let id = UUID()
    /// The fault plan of the code that made the pair (the server end only), asked at each send.
    let faults: FaultPlan?

    init(faults: FaultPlan? = nil) {
        self.faults = faults
    }

    /// `ws.readyState`.
    public var readyState: ReadyState { state.withLock { $0.readyState } }

    /// `ws.accept()`: this end will handle its own events (with ``addEventListener(_:_:)`` or
    /// ``events``). Needed before `send`.
    public func accept() {
        let start = state.withLock { state in
            state.accepted = true
            return state.claimListenerReading()
        }
        if start { startListenerReading() }
    }

    /// Accepts the end for the hibernation API: the host reads its events (its listeners never run).
    package func acceptHibernatable() {
        state.withLock { state in
            state.accepted = true
            state.hibernatable = true
        }
    }

    /// Calls `observer` for each message this end receives from now on, on the sender's thread,
    /// before the message can be read: how the Durable Object host sees a plain socket's traffic.
    package func observeMessages(_ observer: @escaping @Sendable () -> Void) {
        state.withLock { $0.messageObserver = observer }
        observed.store(true, ordering: .releasing)
    }

    /// Whether `accept()` (or the hibernation API's `acceptWebSocket`) was called.
    public var isAccepted: Bool { state.withLock { $0.accepted } }

    /// `ws.send(text)`.
    public func send(_ text: String) throws { try send(.text(text)) }
    /// `ws.send(bytes)`.
    public func send(_ bytes: [UInt8]) throws { try send(.binary(bytes)) }

    /// `ws.send(message)`. Throws workerd's texts when called before `accept()` or after `close()`.
    public func send(_ message: WebSocketMessage) throws {
        let peer: WebSocket? = try state.withLock { state in
            guard state.accepted else { throw WebSocketError.notAccepted }
            guard state.readyState == .open else { throw WebSocketError.sendAfterClose }
            return state.peer
        }
        if let faults, faults.dropsWebSocket() {
            dropConnection()
            return
        }
        peer?.deliver(.message(message))
    }

    /// `ws.close(code, reason)`: starts the closing handshake. Calling it again does nothing.
    public func close(code: UInt16 = WebSocketCloseCode.normal, reason: String = "") {
        let peer: WebSocket? = state.withLock { state in
            guard state.readyState == .open || state.readyState == .connecting else { return nil }
            state.readyState = .closing
            return state.peer
        }
        peer?.receiveClose(code: code, reason: reason, wasClean: true)
    }

    /// Ends this end at once without a handshake: the peer sees close 1006 (`wasClean: false`),
    /// as a dropped connection looks.
    public func abort(reason: String = "WebSocket disconnected without sending Close frame.") {
        let (peer, handlers): (WebSocket?, [@Sendable () -> Void]) = state.withLock { state in
            guard state.readyState != .closed else { return (nil, []) }
            state.readyState = .closed
            defer { state.closeHandlers = [] }
            return (state.peer, state.closeHandlers)
        }
        inbound.finish()
        handlers.forEach { $0() }
        peer?.receiveClose(code: WebSocketCloseCode.abnormal, reason: reason, wasClean: false)
    }

    /// The other end of the pair, while it exists. The Durable Object host uses it to find the
    /// server end of a socket returned in a 101 response.
    package var peer: WebSocket? { state.withLock { $0.peer } }

    /// Runs `handler` once this end is `closed`: its closing handshake finished or it was
    /// aborted (at once if it already is). The Durable Object host uses it to learn that a plain
    /// WebSocket no longer keeps its object alive.
    package func onClose(_ handler: @escaping @Sendable () -> Void) {
        let closed: Bool = state.withLock { state in
            guard state.readyState != .closed else { return true }
            state.closeHandlers.append(handler)
            return false
        }
        if closed { handler() }
    }

    /// Events received by this end: messages, then one close or error. Read it once.
    public var events: Events { Events(inbox: inbound, counter: self) }

    /// Messages this end has received and not yet read (from ``events`` or by polling).
    package var queuedMessages: Int { inboundMessages.load(ordering: .relaxed) }

    /// Bytes this end has sent that its peer has not read yet (`ws.bufferedAmount`).
    public var bufferedAmount: Int { state.withLock { $0.peer }?.inboundBytes.load(ordering: .relaxed) ?? 0 }

    // MARK: attachments (hibernation API)

    /// The largest attachment, as workerd's `MAX_ATTACHMENT_SIZE`.
    public static let maxAttachmentSize = 16_384

    /// `ws.serializeAttachment(value)`: keeps a value with the connection, surviving hibernation.
    public func serializeAttachment<T: Encodable>(_ value: T) throws {
        let data = try JSONEncoder().encode(value)
        guard data.count <= Self.maxAttachmentSize else { throw WebSocketError.attachmentTooLarge(data.count) }
        state.withLock { $0.attachment = data }
    }

    /// `ws.deserializeAttachment()`: the value kept with the connection, or `nil`.
    public func deserializeAttachment<T: Decodable>(as type: T.Type = T.self) -> T? {
        guard let data = state.withLock({ $0.attachment }) else { return nil }
        return try? JSONDecoder().decode(T.self, from: data)
    }

    // MARK: pair internals

    fileprivate func link(to peer: WebSocket) {
        state.withLock { $0.peer = peer }
    }

    private func deliver(_ event: WebSocketEvent) {
        if case .message(let message) = event {
            if observed.load(ordering: .acquiring) { state.withLock { $0.messageObserver }?() }
            inboundBytes.add(message.byteCount, ordering: .relaxed)
            inboundMessages.add(1, ordering: .relaxed)
            if !inbound.yield(event) {
                // This end is no longer read: the message never counts as waiting.
                inboundBytes.subtract(message.byteCount, ordering: .relaxed)
                inboundMessages.subtract(1, ordering: .relaxed)
            }
        } else {
            inbound.yield(event)
        }
    }

    func consumed(_ event: WebSocketEvent) {
        if case .message(let message) = event {
            inboundBytes.subtract(message.byteCount, ordering: .relaxed)
            inboundMessages.subtract(1, ordering: .relaxed)
        }
    }

    /// The connection drops as a lost network drops it (an injected fault): both ends close with
    /// 1006, `wasClean: false`, and no Close frame; the server bridge cuts the socket.
    func dropConnection() {
        let peer = state.withLock { $0.peer }
        let reason = "WebSocket disconnected without sending Close frame."
        receiveClose(code: WebSocketCloseCode.abnormal, reason: reason, wasClean: false)
        peer?.receiveClose(code: WebSocketCloseCode.abnormal, reason: reason, wasClean: false)
    }

    private func receiveClose(code: UInt16, reason: String, wasClean: Bool) {
        let (reply, handlers): (WebSocket?, [@Sendable () -> Void]) = state.withLock { state in
            let handlers = state.readyState == .closed ? [] : state.closeHandlers
            state.closeHandlers = []
            switch state.readyState {
            case .closed:
                return (nil, [])
            case .closing:
                state.readyState = .closed
                return (nil, handlers)
            case .open, .connecting:
                state.readyState = .closed
                return (wasClean ? state.peer : nil, handlers)
            }
        }
        inbound.yield(.close(code: code, reason: reason, wasClean: wasClean))
        inbound.finish()
        handlers.forEach { $0() }
        reply?.receiveClose(code: code, reason: reason, wasClean: true)
    }

    /// The events of one end, in order.
    public struct Events: AsyncSequence, Sendable {
        public typealias Element = WebSocketEvent
        public typealias Failure = Never
        let inbox: WebSocketInbox
        let counter: WebSocket

        public func makeAsyncIterator() -> Iterator {
            Iterator(inbox: inbox, counter: counter)
        }

        /// Iterates events.
        public struct Iterator: AsyncIteratorProtocol {
            let inbox: WebSocketInbox
            let counter: WebSocket
            public mutating func next() async -> WebSocketEvent? {
                let event = await inbox.next()
                if let event { counter.consumed(event) }
                return event
            }
            public mutating func next(isolation actor: isolated (any Actor)?) async -> WebSocketEvent? {
                let event = await inbox.next()
                if let event { counter.consumed(event) }
                return event
            }
        }
    }
}

/// `new WebSocketPair()`: two joined ends, `(client, server)`. Keep `server`, return `client` in
/// `Response(webSocket:)`. The client end counts as accepted: the server bridge reads it.
public func WebSocketPair() -> (client: WebSocket, server: WebSocket) {
    let client = WebSocket()
    let server = WebSocket(faults: IoContext.current?.services.faults)
    client.link(to: server)
    server.link(to: client)
    client.accept()
    return (client, server)
}

/// Errors of the WebSocket API, with workerd's texts.
public struct WebSocketError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case notAccepted, sendAfterClose, attachmentTooLarge(Int)
    }
    private let kind: Kind

    static let notAccepted = WebSocketError(kind: .notAccepted)
    static let sendAfterClose = WebSocketError(kind: .sendAfterClose)
    static func attachmentTooLarge(_ size: Int) -> WebSocketError { WebSocketError(kind: .attachmentTooLarge(size)) }

    public var description: String {
        switch kind {
        case .notAccepted:
            "You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages."
        case .sendAfterClose:
            "Can't call WebSocket send() after close()."
        case .attachmentTooLarge(let size):
            "A WebSocket 'attachment' cannot be larger than 16384 bytes.'attachment' was \(size) bytes."
        }
    }
}
