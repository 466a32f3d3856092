import EdgeRuntime
import Logging
import NIOCore
import NIOWebSocket

/// Writes what the worker sends on a bridged WebSocket to the connection, from the connection's
/// event loop: the worker → network half of ``WebSocketBridge``.
///
/// It polls the client end of the pair (`WebSocket.pollEvent()`) instead of running a task per
/// connection: a broadcast to a thousand sockets wakes each sender through ``LoopWakeups`` (one
/// hop per event loop), and each writes every message waiting for it with one flush
/// (``PolledDrain``). It writes only while the channel is writable, so a client that stops
/// reading leaves the worker's messages queued in the pair, where `bufferedAmount` counts them.
///
/// A clean close event becomes a Close frame (see ``WebSocketBridge`` for the handshake); an
/// unclean one (the worker aborted) drops the connection; an error event sends 1011.
final class WebSocketSender: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let socket: WebSocket
    private let handshake: WebSocketBridge.Handshake
    private let wakeups: LoopWakeups
    private let logger: Logger
    private let done: EventLoopPromise<Void>
    private var context: ChannelHandlerContext?
    private var started = false
    private var finished = false
    private let drainLoop = PolledDrain()

    init(socket: WebSocket, handshake: WebSocketBridge.Handshake, wakeups: LoopWakeups, logger: Logger) {
        self.socket = socket
        self.handshake = handshake
        self.wakeups = wakeups
        self.logger = logger
        self.done = wakeups.loop.makePromise()
    }

    /// The sender as the bridge's task holds it.
    struct Handle: Sendable {
        fileprivate let sender: NIOLoopBound<WebSocketSender>
        /// Completes when the worker's side has ended: its close (or error) was written, it was
        /// aborted, or the connection closed.
        let ended: EventLoopFuture<Void>
        let handshake: WebSocketBridge.Handshake

        /// Starts writing; call once the upgrade is complete.
        func start() {
            let sender = self.sender
            sender.eventLoop.execute { sender.value.start() }
        }
    }

    /// Call on the event loop.
    var handle: Handle {
        Handle(sender: NIOLoopBound(self, eventLoop: wakeups.loop), ended: done.futureResult, handshake: handshake)
    }

    private func start() {
        let sender = NIOLoopBound(self, eventLoop: wakeups.loop)
        let wakeups = self.wakeups
        socket.setEventsReady {
            wakeups.schedule { sender.value.drain() }
        }
        started = true
        drain()
    }

    // MARK: channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        finish()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { drain() }
        context.fireChannelWritabilityChanged()
    }

    // MARK: writing

    /// Writes what is waiting (``PolledDrain``).
    private func drain() {
        drainLoop.drain(context, isActive: { started && !finished }, later: drainLater, writeNext)
    }

    /// The next drain, on a later turn of the loop.
    private func drainLater() {
        let sender = NIOLoopBound(self, eventLoop: wakeups.loop)
        wakeups.loop.execute { sender.value.drain() }
    }

    /// Writes the worker's next message, or its close, error or end.
    private func writeNext(_ context: ChannelHandlerContext) -> PolledDrain.Step {
        switch socket.pollEvent() {
        case .empty:
            return .empty
        case .finished:
            return .finish { self.finish() }
        case .event(.message(let message)):
            let frame: WebSocketFrame
            switch message {
            case .text(let text):
                frame = WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(string: text))
            case .binary(let bytes):
                frame = WebSocketFrame(fin: true, opcode: .binary, data: context.channel.allocator.buffer(bytes: bytes))
            }
            context.write(wrapOutboundOut(frame), promise: nil)
            return .wrote(bytes: frame.data.readableBytes)
        case .event(.close(let code, let reason, let wasClean)):
            guard wasClean else {
                return .finish {
                    context.close(promise: nil)
                    self.finish()
                }
            }
            sendClose(code: code, reason: reason, context)
            return .wrote(bytes: 0)
        case .event(.error(let message)):
            logger.error("WebSocket error: \(message)")
            sendClose(code: WebSocketCloseCode.internalError, reason: "", context)
            return .wrote(bytes: 0)
        }
    }

    /// Writes our Close frame (once); the connection ends when the client's arrives, or after
    /// ``WebSocketBridge/closeTimeout``.
    private func sendClose(code: UInt16, reason: String, _ context: ChannelHandlerContext) {
        let (first, received) = handshake.markSent()
        guard first else { return }
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: WebSocketBridge.closePayload(code: code, reason: reason))
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        if received {
            context.close(promise: nil)
        } else {
            let channel = context.channel
            context.eventLoop.scheduleTask(in: WebSocketBridge.closeTimeout) { channel.close(promise: nil) }
        }
    }

    /// The worker's side is over: stop polling (what is still queued is dropped) and report it.
    private func finish() {
        guard !finished else { return }
        finished = true
        socket.stopPolling()
        done.succeed()
    }
}
