import EdgeRuntime
import NIOCore
import NIOHTTP1
import Synchronization

/// What the server knows about one TCP connection while it is open.
///
/// A connection starts in NIO's upgrade handler: its first request either becomes a WebSocket
/// (the worker answered 101) or an HTTP/1.1 connection that may carry many requests. The state
/// here links the phases (a refused upgrade's response is kept for the HTTP path to send) and lets
/// shutdown and client disconnects reach what is in flight: the response body being streamed and
/// the bridged WebSocket.
final class Connection: Sendable {
    /// The worker's answer to an upgrade request, kept between NIO's upgrade handler and the code
    /// that sends it.
    struct PendingResponse: Sendable {
        let response: Response
        let request: ResponseSender.RequestLine
    }

    /// A response body being written to this connection.
    struct StreamingBody: Sendable {
        let body: ReadableStream
        let isEventStream: Bool
    }

    struct State {
        var firstRequestHead: HTTPRequestHead?
        var refusedUpgrade: PendingResponse?
        var acceptedWebSocket: (socket: WebSocket, pending: PendingResponse)?
        var bridgedWebSocket: WebSocket?
        var streamingBody: StreamingBody?
        var bodySender: StreamingBodySender.Handle?
        var isEnding = false
        var isClosed = false
        /// Hand-over (`edge dev` reload) in progress: see `Connection+HandOver.swift`.
        var handOver: HandOverState?
        var requestsInFlight = 0
        var lastActivity = ContinuousClock.now
    }

    let channel: any Channel
    let state = Mutex(State())

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Whether the server is ending this connection (shutdown): a body canceled now ends the
    /// response cleanly instead of cutting it.
    var isEnding: Bool { state.withLock { $0.isEnding } }

    /// The head of the connection's first request, as NIO's upgrade handler saw it.
    var firstRequestHead: HTTPRequestHead? {
        get { state.withLock { $0.firstRequestHead } }
        set { state.withLock { $0.firstRequestHead = newValue } }
    }

    // MARK: upgrade

    /// Keeps the worker's non-101 answer to the upgrade request for the HTTP path.
    func refuseUpgrade(with pending: PendingResponse) {
        state.withLock { $0.refusedUpgrade = pending }
    }

    /// Takes the kept answer to the upgrade request, if any.
    func takeRefusedUpgrade() -> PendingResponse? {
        state.withLock { state in
            defer { state.refusedUpgrade = nil }
            return state.refusedUpgrade
        }
    }

    /// Keeps the client end of the worker's `WebSocketPair` until the pipeline is upgraded.
    func acceptUpgrade(_ socket: WebSocket, pending: PendingResponse) {
        let closed: Bool = state.withLock { state in
            if !state.isClosed { state.acceptedWebSocket = (socket, pending) }
            return state.isClosed
        }
        if closed { socket.abort() }
    }

    /// Takes the accepted client end; from now on it is bridged to this connection.
    func takeAcceptedWebSocket() -> (socket: WebSocket, pending: PendingResponse)? {
        state.withLock { state in
            guard let accepted = state.acceptedWebSocket else { return nil }
            state.acceptedWebSocket = nil
            state.bridgedWebSocket = accepted.socket
            return accepted
        }
    }

    // MARK: streaming

    /// Writes streaming bodies from the event loop; set on HTTP/1.1 connections.
    var bodySender: StreamingBodySender.Handle? {
        get { state.withLock { $0.bodySender } }
        set { state.withLock { $0.bodySender = newValue } }
    }

    /// Registers the body being streamed; it is canceled if the client goes away or the server
    /// ends the connection. Returns `false` when the connection is already closed.
    func beginStreaming(_ body: StreamingBody) -> Bool {
        let closed: Bool = state.withLock { state in
            if state.isClosed { return true }
            state.streamingBody = body
            return false
        }
        if closed { body.body.cancel(reason: Self.disconnectReason) }
        return !closed
    }

    /// The body finished (or failed); nothing to cancel any more.
    func endStreaming() {
        state.withLock { $0.streamingBody = nil }
    }

    // MARK: ending

    static let disconnectReason = "The client disconnected."
    static let shutdownReason = "The server is shutting down."

    /// The channel closed (the client went away, or the server closed it): cancels the body being
    /// streamed and drops the bridged WebSocket like a lost connection.
    func closed() {
        let (body, socket): (StreamingBody?, WebSocket?) = state.withLock { state in
            state.isClosed = true
            defer {
                state.streamingBody = nil
                state.acceptedWebSocket = nil
            }
            return (state.streamingBody, state.acceptedWebSocket?.socket)
        }
        body?.body.cancel(reason: Self.disconnectReason)
        socket?.abort()
    }

    /// Starts ending the connection for shutdown: closes a bridged WebSocket with 1001 "Going
    /// Away" and ends an event stream; with `force`, ends any streaming body too.
    func end(force: Bool) {
        let (body, socket): (StreamingBody?, WebSocket?) = state.withLock { state in
            state.isEnding = true
            guard let body = state.streamingBody, force || body.isEventStream else {
                return (nil, state.bridgedWebSocket)
            }
            state.streamingBody = nil
            return (body, state.bridgedWebSocket)
        }
        body?.body.cancel(reason: Self.shutdownReason)
        socket?.close(code: WebSocketCloseCode.goingAway, reason: "Going Away")
    }
}

/// The open connections of a server, for shutdown.
final class ConnectionRegistry: Sendable {
    private let connections = Mutex<[ObjectIdentifier: Connection]>([:])
    /// Batched wake-ups of the connections' writers, per event loop.
    let wakeups = LoopWakeupsRegistry()

    /// Tracks a new connection until its channel closes.
    func open(_ channel: any Channel) -> Connection {
        let connection = Connection(channel: channel)
        let key = ObjectIdentifier(channel)
        connections.withLock { $0[key] = connection }
        channel.closeFuture.whenComplete { _ in
            self.connections.withLock { $0[key] = nil }
            connection.closed()
        }
        return connection
    }

    /// The connection of `channel`, while it is open.
    func connection(of channel: any Channel) -> Connection? {
        connections.withLock { $0[ObjectIdentifier(channel)] }
    }

    /// The connections open now.
    var all: [Connection] { connections.withLock { Array($0.values) } }
}
