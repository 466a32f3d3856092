import EdgeRuntime
import NIOCore
import NIOHTTPTypes

/// Writes a streaming response body (a worker's `TransformStream`, an `EventStream`) to an HTTP
/// connection from the connection's event loop, after ``ResponseSender`` wrote the head.
///
/// It polls the body (`ReadableStream.poller()`) instead of a task reading it: an event fanned
/// out to a thousand Server-Sent Events streams wakes each stream's sender through
/// ``LoopWakeups`` (one hop per event loop), and each writes every chunk waiting for it with one
/// flush (``PolledDrain``). It writes only while the channel is writable, so a client that stops
/// reading leaves the chunks queued in the body, where the writer's backpressure (`write` waits,
/// `enqueue` fails past its limit) sees them.
///
/// One per HTTP connection, after the async channel's handler (which passes writes on and tells
/// it of writability); it holds at most one body at a time, as a connection sends one response
/// at a time. The response's end is written by ``ResponseSender`` once ``Handle/send(_:)``
/// returns, through the same writer as the head, so head, chunks and end stay in order.
final class StreamingBodySender: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

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
    private let drainLoop = PolledDrain()

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

    /// Writes what is waiting (``PolledDrain``).
    private func drain() {
        drainLoop.drain(context, isActive: { body != nil }, later: drainLater, writeNext)
    }

    /// The next drain, on a later turn of the loop.
    private func drainLater() {
        let sender = NIOLoopBound(self, eventLoop: wakeups.loop)
        wakeups.loop.execute { sender.value.drain() }
    }

    /// Writes the body's next chunk, or ends it.
    private func writeNext(_ context: ChannelHandlerContext) -> PolledDrain.Step {
        guard let body else { return .empty }
        switch body.poller.poll() {
        case .empty:
            return .empty
        case .chunk(let chunk):
            context.write(wrapOutboundOut(.body(chunk)), promise: nil)
            return .wrote(bytes: chunk.readableBytes)
        case .finished:
            return .finish { self.end(.finished) }
        case .failed(let error):
            return .finish { self.end(.failed(error)) }
        }
    }

    private func end(_ outcome: Outcome) {
        guard let body else { return }
        self.body = nil
        body.poller.stop()
        body.done.succeed(outcome)
    }
}
