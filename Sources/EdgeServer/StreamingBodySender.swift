import EdgeRuntime
import NIOCore
import NIOHTTPTypes

/// Writes a streaming response body (a worker's `TransformStream`, an `EventStream`) to an HTTP
/// connection from the connection's event loop, after ``ResponseSender`` wrote the head.
///
/// It polls the body (`ReadableStream.poller()`) instead of a task reading it: an event fanned
/// out to a thousand Server-Sent Events streams wakes each stream's sender through
/// ``LoopWakeups`` (one hop per event loop), and each writes every chunk waiting for it with one
/// flush. It writes only while the channel is writable, so a client that stops reading leaves
/// the chunks queued in the body, where the writer's backpressure (`write` waits, `enqueue`
/// fails past its limit) sees them; one turn writes at most ``maxBytesPerTurn``.
///
/// One per HTTP connection, after the async channel's handler (which passes writes on and tells
/// it of writability); it holds at most one body at a time, as a connection sends one response
/// at a time. The response's end is written by ``ResponseSender`` once ``Handle/send(_:)``
/// returns, through the same writer as the head, so head, chunks and end stay in order.
final class StreamingBodySender: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    /// How much one turn on the event loop writes before yielding to other connections.
    static let maxBytesPerTurn = 256 * 1024

    /// How a body ended.
    enum Outcome: Sendable {
        /// Fully written.
        case finished
        /// The body failed or was canceled; nothing more was written.
        case failed(any Error)
        /// The connection closed first.
        case connectionClosed
    }

    private struct Body {
        let poller: ReadableStream.Poller
        let done: EventLoopPromise<Outcome>
    }

    private let wakeups: LoopWakeups
    private var context: ChannelHandlerContext?
    private var body: Body?
    private var draining = false
    private var drainAgain = false

    init(wakeups: LoopWakeups) {
        self.wakeups = wakeups
    }

    /// The sender as a response's task holds it.
    struct Handle: Sendable {
        fileprivate let sender: NIOLoopBound<StreamingBodySender>

        /// Writes `poller`'s chunks until the body ends or fails, or the connection closes.
        func send(_ poller: ReadableStream.Poller) async -> Outcome {
            let sender = self.sender
            let done = sender.eventLoop.makePromise(of: Outcome.self)
            sender.eventLoop.execute { sender.value.start(poller, done) }
            return (try? await done.futureResult.get()) ?? .connectionClosed
        }
    }

    /// Call on the event loop.
    var handle: Handle { Handle(sender: NIOLoopBound(self, eventLoop: wakeups.loop)) }

    private func start(_ poller: ReadableStream.Poller, _ done: EventLoopPromise<Outcome>) {
        guard body == nil, let context, context.channel.isActive else {
            done.succeed(.connectionClosed)
            return
        }
        body = Body(poller: poller, done: done)
        let sender = NIOLoopBound(self, eventLoop: wakeups.loop)
        let wakeups = self.wakeups
        poller.setReady { wakeups.schedule { sender.value.drain() } }
        drain()
    }

    // MARK: channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        end(.connectionClosed)
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        end(.connectionClosed)
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { drain() }
        context.fireChannelWritabilityChanged()
    }

    // MARK: writing

    /// Writes what is waiting. Re-entered from a flush (writability), it runs once more after.
    private func drain() {
        guard body != nil else { return }
        guard !draining else {
            drainAgain = true
            return
        }
        draining = true
        defer { draining = false }
        repeat {
            drainAgain = false
            drainOnce()
        } while drainAgain && body != nil
    }

    private func drainOnce() {
        guard let context, let body else { return }
        var written = 0
        defer { if written > 0 { context.flush() } }
        while context.channel.isWritable {
            guard written < Self.maxBytesPerTurn else {
                let sender = NIOLoopBound(self, eventLoop: context.eventLoop)
                context.eventLoop.execute { sender.value.drain() }
                return
            }
            switch body.poller.poll() {
            case .empty:
                return
            case .chunk(let chunk):
                written += chunk.readableBytes
                context.write(wrapOutboundOut(.body(chunk)), promise: nil)
            case .finished:
                if written > 0 { context.flush() }
                written = 0
                end(.finished)
                return
            case .failed(let error):
                if written > 0 { context.flush() }
                written = 0
                end(.failed(error))
                return
            }
        }
    }

    private func end(_ outcome: Outcome) {
        guard let body else { return }
        self.body = nil
        body.poller.stop()
        body.done.succeed(outcome)
    }
}
