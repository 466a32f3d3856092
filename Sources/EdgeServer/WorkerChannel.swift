import EdgeConfig
import EdgeRuntime
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// What the server hands every request to; the peer address is the connection's, never a header.
typealias RequestHandler = @Sendable (EdgeRuntime.Request, SocketAddress?) async -> EdgeRuntime.Response

/// The child channel of the HTTP server: each connection's pipeline, and what runs on it.
///
/// A connection starts with NIO's typed upgrade handler, because a WebSocket upgrade is only
/// possible on a connection's first request. When that request asks for `Upgrade: websocket`
/// (with a valid handshake), ``shouldUpgrade(_:_:_:)`` calls the worker at once:
/// - a 101 holding `Response.webSocket` upgrades the connection, with the worker's headers (e.g.
///   `Sec-WebSocket-Protocol`) on the 101, and ``WebSocketBridge`` joins the two;
/// - anything else is kept on the ``Connection`` and sent as-is by the HTTP side, so the worker
///   is never called twice (hummingbird-websocket would answer an empty 400 here).
/// Every other request runs through HummingbirdCore's HTTP/1.1 loop and ``respond(_:_:_:)``.
struct WorkerChannel: ServerChildChannel, HTTPChannelHandler {
    /// What the first request turned the connection into.
    enum UpgradeResult: Sendable {
        /// A plain HTTP/1.1 connection.
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// The first request asked to upgrade and the worker (or the handshake) refused.
        case refusedUpgrade(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// An upgraded connection and the client end of the worker's pair.
        case webSocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, WebSocket, WebSocketSender.Handle, Connection.PendingResponse)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let connection: Connection
        var channel: any Channel { connection.channel }
    }

    let handler: RequestHandler
    let registry: ConnectionRegistry
    let logger: Logger
    let responder: HTTPChannelHandler.Responder
    /// `[dev] header_timeout`, `body_timeout`, `keep_alive_timeout`; `nil` when all are off.
    let timeouts: RequestTimeouts.Settings?
    /// `[dev] max_connections`.
    let cap: ConnectionCap

    init(handler: @escaping RequestHandler, registry: ConnectionRegistry, logger: Logger, limits: ConnectionLimits = ConnectionLimits()) {
        self.handler = handler
        self.registry = registry
        self.logger = logger
        self.timeouts = RequestTimeouts.Settings(limits)
        self.cap = ConnectionCap(configured: limits.maxConnections, logger: logger)
        self.responder = { request, writer, channel in
            try await Self.respond(request, writer, channel, handler: handler, registry: registry, logger: logger)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // A client that closes its side has gone: close ours too, so `closeFuture` tells the
            // response in flight at once instead of at its next write.
            try channel.syncOptions?.setOption(ChannelOptions.allowRemoteHalfClosure, value: false)
            guard cap.admit(channel) else {
                try channel.pipeline.syncOperations.addHandler(ConnectionRefusal(limit: cap.limit))
                let refused = channel.closeFuture.flatMapThrowing { () -> UpgradeResult in throw ConnectionRefusal.Refused() }
                return Value(upgradeResult: refused, connection: Connection(channel: channel))
            }
            let connection = registry.open(channel)
            let operations = channel.pipeline.syncOperations
            // The connection's state and timeouts, next to NIO's codec (added below); the first
            // handler tells it when bytes arrive.
            let state = HTTPConnectionState(timeouts: self.timeouts, logger: logger)
            let quiesce = QuiesceHandler(connection: connection, timeouts: self.timeouts == nil ? nil : state)
            try operations.addHandler(quiesce)
            let loopHandlers = NIOLoopBound((quiesce, state), eventLoop: channel.eventLoop)

            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                maxFrameSize: WebSocketBridge.maxMessageSize,
                enableAutomaticErrorHandling: false,
                shouldUpgrade: { channel, head in self.shouldUpgrade(channel, head, connection) },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard let accepted = connection.takeAcceptedWebSocket() else {
                            throw ChannelError.inappropriateOperationForState
                        }
                        // A WebSocket keeps its own liveness: no more timing or HTTP state.
                        let (quiesce, state) = loopHandlers.value
                        quiesce.timeouts = nil
                        channel.pipeline.syncOperations.removeHandler(state, promise: nil)
                        let asyncChannel = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel)
                        // After the async channel's handler: it passes writes and writability on.
                        let sender = WebSocketSender(
                            socket: accepted.socket, handshake: WebSocketBridge.Handshake(),
                            wakeups: registry.wakeups.wakeups(for: channel.eventLoop), logger: logger)
                        try channel.pipeline.syncOperations.addHandler(sender)
                        return .webSocket(asyncChannel, accepted.socket, sender.handle, accepted.pending)
                    }
                }
            )
            let upgrade = NIOTypedHTTPServerUpgradeConfiguration<UpgradeResult>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let operations = channel.pipeline.syncOperations
                        try operations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        // HTTPConnectionState, already in place, keeps the connection's state (a
                        // refused upgrade closes after its answer: the state handler is passive).
                        let refused = connection.firstRequestHead?.headers.contains(name: "upgrade") ?? false
                        let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true)
                        )
                        if !refused {
                            let bodySender = StreamingBodySender(wakeups: registry.wakeups.wakeups(for: channel.eventLoop))
                            try operations.addHandler(bodySender)
                            connection.bodySender = bodySender.handle
                        }
                        return refused ? .refusedUpgrade(asyncChannel) : .http(asyncChannel)
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrade)
            configuration.enablePipelining = false  // NIOAsyncChannel reads one request at a time
            configuration.enableErrorHandling = false  // HummingbirdCore answers parse errors with 400
            configuration.enableResponseHeaderValidation = false  // swift-http-types validates
            let upgradeResult = try operations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            let upgradeHandler = try operations.handler(type: NIOTypedHTTPServerUpgradeHandler<UpgradeResult>.self)
            try operations.addHandler(HeadTooLargeStatus(), position: .before(upgradeHandler))
            try operations.addHandler(FirstRequestRecorder(connection: connection), position: .before(upgradeHandler))
            try operations.addHandler(state, position: .before(upgradeHandler))
            return Value(upgradeResult: upgradeResult, connection: connection)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .http(let asyncChannel):
                await handleHTTP(asyncChannel: asyncChannel, logger: logger)
            case .refusedUpgrade(let asyncChannel):
                await sendRefusedUpgrade(asyncChannel, connection: value.connection)
            case .webSocket(let asyncChannel, let socket, let sender, let pending):
                self.logger.logRequest(
                    method: pending.request.method,
                    url: pending.request.url,
                    status: .switchingProtocols,
                    since: pending.request.started
                )
                await WebSocketBridge(channel: asyncChannel, socket: socket, sender: sender, logger: self.logger).run()
            }
        } catch is ConnectionRefusal.Refused {
            return  // answered 503 and closed
        } catch {
            logger.debug("Connection ended before its first request was handled: \(error)")
            value.channel.close(promise: nil)
        }
    }
}
