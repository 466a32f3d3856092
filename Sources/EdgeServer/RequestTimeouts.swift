import EdgeConfig
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Times a connection's requests, so that no client holds a connection (its socket, its buffers,
/// a task) for as long as it likes: `[dev] header_timeout`, `body_timeout` and
/// `keep_alive_timeout` (``ConnectionLimits``).
///
/// A connection is always in one of these phases, and only the first three are timed:
/// - **awaiting a head**: from the connection's opening (first request) or from the first byte of
///   a later request, the whole head must arrive within `header_timeout`, as workerd's
///   `headerTimeout`. Past it, a client that sent part of a head gets 408 with `Connection:
///   close`; one that sent nothing is closed without a response (workerd closes both silently,
///   because Chrome shows a 408 sent to an idle preconnected socket as the answer to its next
///   request; a 408 to a client in the middle of a head is the answer RFC 9110 §15.5.9 means).
/// - **reading a body**: the body may go `body_timeout` without a byte, as nginx's
///   `client_body_timeout`. Past it, the handler reading the body gets a
///   ``RequestBodyTimeout`` error, the client a 408 (unless the response has begun) and the
///   connection closes.
/// - **idle**: after the last response, with no byte of a next request, the connection closes
///   after `keep_alive_timeout`, as Node's `keepAliveTimeout` and workerd's `pipelineTimeout`.
/// - **responding**: the worker has the whole request and answers in its own time; a streaming
///   response (`text/event-stream`) is not timed, not even its request's body. A connection whose
///   first request asks to upgrade is never timed again: it becomes a WebSocket, which keeps
///   its own liveness (pings), or it closes after the answer.
///
/// Cost on the hot path: two handler hops per read and per written part, one clock read per read
/// and one per response, no allocation. The timer is one scheduled callback per connection that
/// is moved only when a deadline comes earlier than the one it is set for; when it fires early it
/// sets itself again for the deadline of the phase the connection is in then. NIO's
/// `IdleStateHandler` only tracks inactivity; it cannot hold a whole head to a deadline (a client
/// sending a byte every few seconds stays active) nor tell a keep-alive pause from a worker
/// that takes its time, so it is not used.
///
/// Two handlers share this state: ``RequestTimeouts`` itself, between NIO's HTTP/1.1 codec and
/// the upgrade handler, sees heads, ends and responses; its ``byteWatcher``, first in the
/// pipeline, sees bytes arrive before the decoder has a whole head.
final class RequestTimeouts: ChannelDuplexHandler, RemovableChannelHandler, NIOScheduledCallbackHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The timeouts, for the event loop.
    struct Settings: Sendable {
        var header: TimeAmount?
        var body: TimeAmount?
        var keepAlive: TimeAmount?

        /// The settings of `limits`; `nil` when every timeout is off.
        init?(_ limits: ConnectionLimits) {
            header = limits.headerTimeout.map(TimeAmount.init)
            body = limits.bodyTimeout.map(TimeAmount.init)
            keepAlive = limits.keepAliveTimeout.map(TimeAmount.init)
            if header == nil, body == nil, keepAlive == nil { return nil }
        }
    }

    let settings: Settings
    let logger: Logger
    /// Goes first in the pipeline: tells this handler when bytes arrive.
    let byteWatcher: ByteWatcher

    private var context: ChannelHandlerContext?
    /// When the head being awaited started to count: the opening, or its first byte. `nil` when
    /// no head is awaited (a request is being read or answered, or the connection is idle).
    private var headStart: NIODeadline?
    /// Some bytes of the awaited head have arrived.
    private var headBytesSeen = false
    /// The time of the latest read.
    private var lastRead = NIODeadline.uptimeNanoseconds(0)
    /// Between a request's head and its end.
    private var readingBody = false
    /// Heads read minus responses ended.
    private var responsesOwed = 0
    /// A response head has been written and its end not yet.
    private var responseStarted = false
    /// The response being written is an event stream: its request's body is not timed.
    private var streamingEvents = false
    /// Since when the connection has been idle (last response ended, no byte since).
    private var idleSince: NIODeadline?
    /// The head of the request being read, for the log line of a body timeout.
    private var requestHead: HTTPRequestHead?
    private var isFirstRequest = true
    /// Nothing is timed any more (an upgrade, or the handler was removed).
    private var passive = false
    /// A timeout has ended the connection: later writes are refused.
    private var timedOut = false
    private var timer: NIOScheduledCallback?
    private var timerDeadline = NIODeadline.distantFuture

    init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.byteWatcher = ByteWatcher()
        byteWatcher.timeouts = self
    }

    // MARK: life of the handler

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { opened() }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened()
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
        self.context = nil
        byteWatcher.timeouts = nil
    }

    /// Stops timing this connection (it is upgrading, or going away).
    private func stop() {
        passive = true
        timer?.cancel()
        timer = nil
    }

    private func opened() {
        guard !passive, isFirstRequest, headStart == nil, let header = settings.header else { return }
        let now = NIODeadline.now()
        lastRead = now
        headStart = now
        arm(now + header)
    }

    // MARK: events

    /// Bytes arrived (from ``ByteWatcher``, before the decoder).
    func bytesArrived() {
        guard !passive else { return }
        let now = NIODeadline.now()
        lastRead = now
        guard !readingBody else { return }  // a stalled body is judged from `lastRead`
        headBytesSeen = true
        guard headStart == nil else { return }
        // The first byte of a next request.
        idleSince = nil
        if !isFirstRequest, let header = settings.header {
            headStart = now
            arm(now + header)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !passive else { return context.fireChannelRead(data) }
        switch unwrapInboundIn(data) {
        case .head(let head):
            headStart = nil
            headBytesSeen = false
            idleSince = nil
            responsesOwed += 1
            readingBody = true
            if isFirstRequest {
                isFirstRequest = false
                // NIO's upgrade handler may pass raw bytes through here once it upgrades: stop
                // before that. A refused upgrade ends its connection after the answer anyway.
                if head.headers.contains(name: "upgrade") { stop() }
            }
            if let body = settings.body, !passive {
                requestHead = head
                arm(lastRead + body)
            }
        case .body:
            break
        case .end:
            readingBody = false
            requestHead = nil
            if responsesOwed == 0 { becameIdle() }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if timedOut {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        guard !passive else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200:
            responseStarted = true
            if readingBody, settings.body != nil, Self.isEventStream(head) { streamingEvents = true }
        case .head, .body:
            break
        case .end:
            responseStarted = false
            streamingEvents = false
            if responsesOwed > 0 { responsesOwed -= 1 }
            if responsesOwed == 0, !readingBody { becameIdle() }
        }
        context.write(data, promise: promise)
    }

    private func becameIdle() {
        guard headStart == nil, let keepAlive = settings.keepAlive else { return }
        let now = NIODeadline.now()
        idleSince = now
        arm(now + keepAlive)
    }

    private static func isEventStream(_ head: HTTPResponseHead) -> Bool {
        head.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") ?? false
    }

    // MARK: the timer

    /// Makes sure the timer fires no later than `deadline`.
    private func arm(_ deadline: NIODeadline) {
        guard let context, !passive else { return }
        if let timer {
            guard deadline < timerDeadline else { return }
            timer.cancel()
        }
        timerDeadline = deadline
        timer = try? context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleCallback(at: deadline, handler: self)
    }

    func handleScheduledCallback(eventLoop: some EventLoop) {
        timer = nil
        timerDeadline = .distantFuture
        guard let context, !passive, !timedOut else { return }
        let now = NIODeadline.now()
        if let start = headStart, let header = settings.header {
            guard now >= start + header else { return arm(start + header) }
            headTimedOut(context)
        } else if readingBody, !streamingEvents, let body = settings.body {
            guard now >= lastRead + body else { return arm(lastRead + body) }
            bodyTimedOut(context, after: body)
        } else if responsesOwed == 0, !readingBody, let since = idleSince, let keepAlive = settings.keepAlive {
            guard now >= since + keepAlive else { return arm(since + keepAlive) }
            logger.debug("Closing a keep-alive connection idle for \(keepAlive.secondsText) s ([dev] keep_alive_timeout)")
            context.close(promise: nil)
        }
        // Otherwise the worker is answering: the next read or response sets the timer again.
    }

    // MARK: timing out

    private func headTimedOut(_ context: ChannelHandlerContext) {
        timedOut = true
        guard headBytesSeen, responsesOwed == 0 else {
            // Nothing to answer (no request begun), or a response still owed on this connection
            // that a 408 would be taken for.
            context.close(promise: nil)
            return
        }
        let seconds = settings.header?.secondsText ?? ""
        logger.debug("408: a request head was not complete within \(seconds) s ([dev] header_timeout)")
        answer408(context, "Request Timeout: the request head was not complete within \(seconds) s.\n")
    }

    private func bodyTimedOut(_ context: ChannelHandlerContext, after timeout: TimeAmount) {
        timedOut = true
        let error = RequestBodyTimeout(seconds: timeout.secondsText)
        if let head = requestHead {
            let path = URL(string: "http://localhost\(head.uri)").map(RequestLog.loggedPath(of:)) ?? "/"
            logger.info("\(head.method.rawValue) \(path) 408 Request Timeout: \(error)")
        }
        // The body's reader (the worker) sees the error; then the connection closes.
        context.fireErrorCaught(error)
        guard responsesOwed == 1, !responseStarted else {
            context.close(promise: nil)
            return
        }
        answer408(context, "Request Timeout: no bytes of the request body arrived for \(error.seconds) s.\n")
    }

    /// Sends 408 with `Connection: close` and closes once it is written (Node writes the same
    /// status line for its `headersTimeout` and `requestTimeout`).
    private func answer408(_ context: ChannelHandlerContext, _ text: String) {
        let body = ByteBuffer(string: text)
        let headers: HTTPHeaders = [
            "connection": "close", "content-type": "text/plain; charset=utf-8", "content-length": String(body.readableBytes),
        ]
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .requestTimeout, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

extension RequestTimeouts {
    /// First in the pipeline, before NIO's HTTP decoder: tells ``RequestTimeouts`` that bytes
    /// arrived, which the decoder only reports once it has a whole head.
    final class ByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer

        fileprivate var timeouts: RequestTimeouts?

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            timeouts?.bytesArrived()
            context.fireChannelRead(data)
        }
    }

    /// Takes both handlers out of `pipeline` (the connection became a WebSocket).
    func remove(from pipeline: ChannelPipeline.SynchronousOperations) {
        stop()
        pipeline.removeHandler(byteWatcher, promise: nil)
        pipeline.removeHandler(self, promise: nil)
    }
}

/// What reading a request body throws when the client stopped sending it for `[dev]
/// body_timeout`: the connection is closed with 408.
struct RequestBodyTimeout: Error, CustomStringConvertible {
    let seconds: String

    var description: String {
        "The request body stalled: no bytes arrived for \(seconds) s ([dev] body_timeout), so the connection was closed."
    }
}

extension TimeAmount {
    /// In seconds, for messages: `15`, `0.25`.
    var secondsText: String {
        let milliseconds = nanoseconds / 1_000_000
        if milliseconds % 1000 == 0 { return String(milliseconds / 1000) }
        return String(Double(milliseconds) / 1000)
    }
}
