import EdgeRuntime
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// Outbound WebSockets over the network: `fetch(url, { headers: { Upgrade: "websocket" } })` from a
/// handler or a Durable Object, opened as workerd opens one (`src/workerd/api/http.c++`,
/// `fetchImplNoOutputLock`: `client->openWebSocket(url, headers)`).
///
/// The connection is NIO's HTTP/1.1 client with its WebSocket upgrader (`Sec-WebSocket-Key`,
/// `Sec-WebSocket-Version: 13`, the `Sec-WebSocket-Accept` check), over TLS for `https:`. Then:
/// - a 101 is a `Response` whose `webSocket` is one end of a `WebSocketPair`. The other end is
///   joined to the connection by the same ``WebSocketBridge`` that serves inbound sockets (message
///   assembly, workerd's 32 MiB limit, close codes and reasons both ways, pings, 1006 `WebSocket
///   disconnected without sending Close frame.` when the upstream goes away), with every frame
///   masked as a client's must be (RFC 6455 §5.3, ``WebSocketFrameMasker``). As on Workers the
///   handler calls `accept()` before it sends; what arrives before that waits for it.
/// - any other answer is an ordinary response (status, headers, the body streamed) with no
///   `webSocket`, as workerd returns it.
/// `Sec-WebSocket-Extensions` is not sent: workerd strips it unless `websocket_compression` is on,
/// and Edge compresses nothing. A connection that fails is ``NetworkError`` (`Network connection
/// lost.`), as for any subrequest.
enum OutboundWebSocket {
    /// What the upgrade request turned the connection into.
    enum Upgrade: Sendable {
        /// A 101 with a valid `Sec-WebSocket-Accept`: the frames, their writer, the 101's head.
        case upgraded(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, WebSocketSender.Handle, HTTPResponseHead)
        /// Any other answer, still HTTP.
        case answered(NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>)
    }

    /// Headers the upgrade itself writes, never the handler's: NIO's handler sets `Connection`,
    /// `Upgrade`, `Sec-WebSocket-Key` and `-Version`; `Host` comes from the URL.
    static let handshakeHeaders: Set<String> = [
        "host", "connection", "upgrade", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
        "content-length", "transfer-encoding",
    ]

    /// The writers of outbound sockets, per event loop of NIO's shared group.
    static let wakeups = LoopWakeupsRegistry()

    /// The TLS configuration of `https:` upgrades: the system's trust roots, as AsyncHTTPClient's.
    static let tls = Result { try NIOSSLContext(configuration: .makeClientConfiguration()) }

    /// Opens the connection, sends the upgrade request and returns the answer.
    /// - Throws: ``NetworkError`` when the connection or the handshake fails, `CancellationError`
    ///   when the calling task is cancelled (the connection is closed).
    static func open(_ request: Request, logger: Logger) async throws -> Response {
        guard let host = request.url.host, !host.isEmpty else {
            throw NetworkError(detail: "no host in \(request.url.absoluteString)")
        }
        let secure = request.url.scheme?.lowercased() == "https"
        let port = request.url.port ?? (secure ? 443 : 80)
        let head = upgradeHead(request, host: host, port: port, secure: secure)
        let tls = secure ? try context() : nil
        let (bridged, handed) = WebSocketPair()
        let connected: (channel: any Channel, upgrade: EventLoopFuture<Upgrade>)
        do {
            connected = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let upgrade = try configure(channel, head: head, host: host, tls: tls, bridged: bridged, logger: logger)
                        return (channel, upgrade)
                    }
                }
        } catch {
            throw OutboundHTTPClient.translated(error)
        }
        let upgrade: Upgrade
        do {
            upgrade = try await withTaskCancellationHandler {
                try await connected.upgrade.get()
            } onCancel: {
                connected.channel.close(promise: nil)
            }
        } catch {
            connected.channel.close(promise: nil)
            if Task.isCancelled { throw CancellationError() }
            throw OutboundHTTPClient.translated(error)
        }
        switch upgrade {
        case .upgraded(let channel, let sender, let responseHead):
            Task { await WebSocketBridge(channel: channel, socket: bridged, sender: sender, logger: logger).run() }
            return Response(webSocket: handed, headers: headers(of: responseHead))
        case .answered(let channel):
            return try await answer(from: channel)
        }
    }

    /// The TLS context, or the reason there is none as a lost connection.
    static func context() throws -> NIOSSLContext {
        do { return try tls.get() } catch { throw NetworkError(detail: "TLS is not available: \(error)") }
    }

    /// `GET <path?query>` with the handler's headers (less those of the handshake) and `Host`.
    static func upgradeHead(_ request: Request, host: String, port: Int, secure: Bool) -> HTTPRequestHead {
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? ""
        let query = components?.percentEncodedQuery.map { "?\($0)" } ?? ""
        var headers = HTTPHeaders()
        let name = host.contains(":") ? "[\(host)]" : host
        headers.add(name: "Host", value: port == (secure ? 443 : 80) ? name : "\(name):\(port)")
        for (field, value) in request.headers where !handshakeHeaders.contains(field.lowercased()) {
            headers.add(name: field, value: value)
        }
        return HTTPRequestHead(version: .http1_1, method: .GET, uri: (path.isEmpty ? "/" : path) + query, headers: headers)
    }

    /// The client pipeline: TLS, HTTP/1.1 with the WebSocket upgrader, then either the frames
    /// (joined to `bridged`) or the HTTP answer. Runs on the channel's event loop.
    static func configure(
        _ channel: any Channel, head: HTTPRequestHead, host: String, tls: NIOSSLContext?, bridged: WebSocket, logger: Logger
    ) throws -> EventLoopFuture<Upgrade> {
        let operations = channel.pipeline.syncOperations
        if let tls {
            // SNI names a host, never an address literal.
            let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
            try operations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: isAddress ? nil : host))
        }
        let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(
            maxFrameSize: WebSocketBridge.maxMessageSize,
            enableAutomaticErrorHandling: false,
            upgradePipelineHandler: { channel, response in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(WebSocketFrameMasker())
                    let frames = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel)
                    // After the async channel's handler, as on the server: it passes writes and
                    // writability on.
                    let sender = WebSocketSender(
                        socket: bridged, handshake: WebSocketBridge.Handshake(),
                        wakeups: wakeups.wakeups(for: channel.eventLoop), logger: logger)
                    try operations.addHandler(sender)
                    return .upgraded(frames, sender.handle, response)
                }
            }
        )
        let upgrade = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
            upgradeRequestHead: head,
            upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeCompletedFuture {
                    .answered(try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel))
                }
            }
        )
        var configuration = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: upgrade)
        // Frames the server sends right behind its 101 (a greeting) arrive with it: keep them.
        configuration.leftOverBytesStrategy = .forwardBytes
        return try operations.configureUpgradableHTTPClientPipeline(configuration: configuration)
    }

    /// A refused upgrade as a `Response`: its head now, its body streamed as it arrives; the
    /// connection closes after the body (or when the reader cancels it).
    static func answer(from channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>) async throws -> Response {
        let body = TransformStream()
        let head: HTTPResponseHead = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponseHead, any Error>) in
                Task { await read(channel, into: body, head: continuation) }
            }
        } onCancel: {
            channel.channel.close(promise: nil)
        }
        let status = HTTPResponse.Status(code: Int(head.status.code), reasonPhrase: head.status.reasonPhrase)
        return Response(body.readable, status: status, headers: headers(of: head))
    }

    /// Reads the answer: the head to `continuation`, the body into `body`.
    static func read(
        _ channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>,
        into body: TransformStream,
        head continuation: CheckedContinuation<HTTPResponseHead, any Error>
    ) async {
        var waiting: CheckedContinuation<HTTPResponseHead, any Error>? = continuation
        do {
            try await channel.executeThenClose { inbound, _ in
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        waiting?.resume(returning: head)
                        waiting = nil
                    case .body(let bytes):
                        try await body.writable.write(bytes)
                    case .end:
                        body.writable.close()
                        return
                    }
                }
                throw NetworkError(detail: "the connection closed before the response ended")
            }
        } catch {
            let error = OutboundHTTPClient.translated(error)
            if let waiting { waiting.resume(throwing: error) } else { body.writable.abort(error) }
        }
    }

    static func headers(of head: HTTPResponseHead) -> Headers {
        var headers = Headers()
        for header in head.headers { headers.append(header.name, header.value) }
        return headers
    }
}

/// Masks every frame a client writes (RFC 6455 §5.3: a client masks all its frames, and a server
/// closes a connection that sends one unmasked); NIO's encoder applies the key.
final class WebSocketFrameMasker: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var frame = unwrapOutboundIn(data)
        if frame.maskKey == nil { frame.maskKey = .random() }
        context.write(wrapOutboundOut(frame), promise: promise)
    }
}
