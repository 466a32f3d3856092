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
/// Where it runs: the state lives on ``HTTPConnectionState``, the handler next to NIO's HTTP/1.1
/// codec that already reads every request and response part (HummingbirdCore's connection state,
/// copied), and ``QuiesceHandler``, first in the pipeline, tells it when bytes arrive, before the
/// decoder has a whole head. A 408 for a head is written as raw bytes from that first handler's
/// place in the pipeline; a 408 for a body goes through NIO's encoder, as the response would.
///
/// Cost on the hot path: no extra handler, one clock read per read and one per response, no
/// allocation. The timer is one scheduled callback per connection that is moved only when a
/// deadline comes earlier than the one it is set for; when it fires early it sets itself again
/// for the deadline of the phase the connection is in then. NIO's `IdleStateHandler` only
/// tracks inactivity; it cannot hold a whole head to a deadline (a client sending a byte every
/// few seconds stays active) nor tell a keep-alive pause from a worker that takes its time, so it
/// is not used.
enum RequestTimeouts {
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
}

extension HTTPConnectionState: NIOScheduledCallbackHandler {
    // MARK: events

    func opened() {
        guard !passive, isFirstRequest, headStart == nil, let header = timeouts?.header else { return }
        let now = NIODeadline.now()
        lastRead = now
        headStart = now
        arm(now + header)
    }

    /// Bytes arrived (from ``QuiesceHandler``, before the decoder).
    func bytesArrived() {
        guard !passive else { return }
        let now = NIODeadline.now()
        lastRead = now
        guard !isRequestBeingRead else { return }  // a stalled body is judged from `lastRead`
        headBytesSeen = true
        guard headStart == nil else { return }
        // The first byte of a next request.
        idleSince = nil
        if !isFirstRequest, let header = timeouts?.header {
            headStart = now
            arm(now + header)
        }
    }

    /// A head was read (and counted).
    func headRead(_ head: HTTPRequestHead) {
        headStart = nil
        headBytesSeen = false
        idleSince = nil
        if let body = timeouts?.body {
            requestHead = head
            arm(lastRead + body)
        }
    }

    /// A request's end was read.
    func requestRead() {
        requestHead = nil
        if requestsInProgress == 0 { becameIdle() }
    }

    /// A final response head is being written.
    func responseBegan(_ head: HTTPResponseHead) {
        responseStarted = true
        if isRequestBeingRead, timeouts?.body != nil, Self.isEventStream(head) { streamingEvents = true }
    }

    /// A response's end is being written (and was counted).
    func responseEnded() {
        responseStarted = false
        streamingEvents = false
        if requestsInProgress == 0, !isRequestBeingRead { becameIdle() }
    }

    private func becameIdle() {
        guard headStart == nil, let keepAlive = timeouts?.keepAlive else { return }
        let now = NIODeadline.now()
        idleSince = now
        arm(now + keepAlive)
    }

    private static func isEventStream(_ head: HTTPResponseHead) -> Bool {
        head.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") ?? false
    }

    // MARK: the timer

    /// Makes sure the timer fires no later than `deadline`: one comparison unless it is earlier.
    @inline(__always)
    private func arm(_ deadline: NIODeadline) {
        if deadline < timerDeadline { schedule(deadline) }
    }

    private func schedule(_ deadline: NIODeadline) {
        guard let context, !passive else { return }
        timer?.cancel()
        timer = try? context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleCallback(at: deadline, handler: self)
        timerDeadline = timer == nil ? .distantFuture : deadline
    }

    func handleScheduledCallback(eventLoop: some EventLoop) {
        timer = nil
        timerDeadline = .distantFuture
        guard let context, !passive, !timedOut, let timeouts else { return }
        let now = NIODeadline.now()
        if let start = headStart, let header = timeouts.header {
            guard now >= start + header else { return arm(start + header) }
            headTimedOut(context, after: header)
        } else if isRequestBeingRead, !streamingEvents, let body = timeouts.body {
            guard now >= lastRead + body else { return arm(lastRead + body) }
            bodyTimedOut(context, after: body)
        } else if requestsInProgress == 0, !isRequestBeingRead, let since = idleSince, let keepAlive = timeouts.keepAlive {
            guard now >= since + keepAlive else { return arm(since + keepAlive) }
            logger.debug("Closing a keep-alive connection idle for \(keepAlive.secondsText) s ([dev] keep_alive_timeout)")
            context.close(promise: nil)
        }
        // Otherwise the worker is answering: the next read or response sets the timer again.
    }

    // MARK: timing out

    private func headTimedOut(_ context: ChannelHandlerContext, after timeout: TimeAmount) {
        timedOut = true
        guard headBytesSeen, requestsInProgress == 0,
            let first = try? context.pipeline.syncOperations.context(handlerType: QuiesceHandler.self)
        else {
            // Nothing to answer (no request begun), or a response still owed on this connection
            // that a 408 would be taken for.
            context.close(promise: nil)
            return
        }
        logger.debug("408: a request head was not complete within \(timeout.secondsText) s ([dev] header_timeout)")
        // Raw bytes from the first handler's place: NIO's decoder holds the partial head, and
        // nothing between here and the socket needs to know about this response.
        let text = "Request Timeout: the request head was not complete within \(timeout.secondsText) s.\n"
        var bytes = ByteBuffer()
        bytes.writeString("HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-type: text/plain; charset=utf-8\r\n")
        bytes.writeString("content-length: \(text.utf8.count)\r\n\r\n\(text)")
        first.writeAndFlush(NIOAny(bytes)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
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
        guard requestsInProgress == 1, !responseStarted else {
            context.close(promise: nil)
            return
        }
        // Sends 408 with `Connection: close` and closes once it is written (Node writes the same
        // status line for its `headersTimeout` and `requestTimeout`).
        let body = ByteBuffer(string: "Request Timeout: no bytes of the request body arrived for \(error.seconds) s.\n")
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
