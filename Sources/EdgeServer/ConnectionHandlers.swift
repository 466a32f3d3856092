import NIOCore
import NIOHTTP1

/// First in every connection's pipeline: closes a connection that has not sent a byte when the
/// server starts to shut down (browsers open such connections ahead of time). Connections with a
/// request in flight are left to ``HTTPConnectionState``, WebSockets to ``Connection``.
///
/// Seeing every read before NIO's decoder, it also tells the connection's timeouts that bytes
/// arrived (a head counts from its first byte), by a direct call rather than one more handler.
final class QuiesceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let connection: Connection
    private var sawData = false
    /// Told when bytes arrive; `nil` when every timeout is off or the connection has upgraded.
    var timeouts: HTTPConnectionState?

    init(connection: Connection, timeouts: HTTPConnectionState?) {
        self.connection = connection
        self.timeouts = timeouts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        sawData = true
        timeouts?.bytesArrived()
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, !sawData {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// Sits before NIO's upgrade handler and keeps the head of the connection's first request on the
/// ``Connection``, then removes itself. NIO's handler swallows the head of an upgrade request it
/// does not upgrade; with the head kept, the worker still gets to answer it.
///
/// Input that does not parse before the first head is answered here, as HummingbirdCore answers
/// it on later requests, then the connection closes: 431 when the head is too large (NIO's
/// limits: 80 KiB of headers), 400 otherwise.
final class FirstRequestRecorder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connection: Connection
    private var answered = false

    init(connection: Connection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            connection.firstRequestHead = head
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !answered else { return }
        answered = true
        let status: HTTPResponseStatus = (error as? HTTPParserError) == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: ["connection": "close", "content-length": "0"])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

/// Stays next to NIO's HTTP/1.1 codec for the life of the connection so that a request head
/// too large for NIO's limits gets 431 on any request of a keep-alive connection, not only on
/// the first: after the first request HummingbirdCore answers every parse error with 400, and
/// this handler, seeing the error on its way there, turns that 400 into 431.
final class HeadTooLargeStatus: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var headTooLarge = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if (error as? HTTPParserError) == .headerOverflow { headTooLarge = true }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard headTooLarge, case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest else {
            context.write(data, promise: promise)
            return
        }
        head.status = .requestHeaderFieldsTooLarge
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }
}
