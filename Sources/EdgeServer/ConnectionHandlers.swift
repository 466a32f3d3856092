import NIOCore
import NIOHTTP1

/// First in every connection's pipeline: closes a connection that has not sent a byte when the
/// server starts to shut down (browsers open such connections ahead of time). Connections with a
/// request in flight are left to HummingbirdCore's state handler, WebSockets to ``Connection``.
final class QuiesceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let connection: Connection
    private var sawData = false

    init(connection: Connection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        sawData = true
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
