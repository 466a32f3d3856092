import EdgeRuntime
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 client over a real socket, one connection per request, that hands the body
/// over as it arrives (with arrival times) so tests can see streaming. Built on NIO's client
/// codec; the request body is sent in 64 KiB pieces.
struct LiveHTTPClient: Sendable {
    let host: String
    let port: Int
    /// The local address to connect from, when a test needs a particular source address.
    var localAddress: SocketAddress?

    static let bodyPiece = 64 * 1024

    func send(_ method: HTTPRequest.Method, _ path: String, headers: Headers, body: ByteBuffer?) async throws -> StreamingResponse {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let localAddress { bootstrap = bootstrap.bind(to: localAddress) }
        let channel = try await bootstrap.connect(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
            }
        }
        let head = requestHead(method, path, headers: headers, bodyLength: body?.readableBytes)
        let responseHead = OneShot<HTTPResponseHead>()
        let (chunks, continuation) = AsyncThrowingStream<BodyChunk, any Error>.makeStream()
        let task = Task {
            do {
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(.head(head))
                    if var body {
                        while body.readableBytes > 0, let piece = body.readSlice(length: min(Self.bodyPiece, body.readableBytes)) {
                            try await outbound.write(.body(.byteBuffer(piece)))
                        }
                    }
                    try await outbound.write(.end(nil))
                    for try await part in inbound {
                        switch part {
                        case .head(let head):
                            responseHead.resolve(.success(head))
                        case .body(let bytes):
                            continuation.yield(BodyChunk(bytes: bytes, arrival: .now))
                        case .end:
                            continuation.finish()
                            return
                        }
                    }
                    throw TestClientError.connectionClosed("before the response ended")
                }
            } catch {
                responseHead.resolve(.failure(error))
                continuation.finish(throwing: error)
            }
        }
        // Going away closes the socket at once, from the event loop, not when the reading task
        // next gets to run.
        let goAway: @Sendable () -> Void = {
            channel.channel.close(promise: nil)
            task.cancel()
        }
        continuation.onTermination = { termination in
            if case .cancelled = termination { goAway() }
        }
        let received = try await responseHead.value
        return StreamingResponse(
            status: HTTPResponse.Status(code: Int(received.status.code), reasonPhrase: received.status.reasonPhrase),
            headers: Headers(received.headers),
            chunks: chunks,
            onCancel: goAway
        )
    }

    func requestHead(_ method: HTTPRequest.Method, _ path: String, headers: Headers, bodyLength: Int?) -> HTTPRequestHead {
        var fields = HTTPHeaders()
        if !headers.has("host") { fields.add(name: "host", value: "\(host):\(port)") }
        for (name, value) in headers { fields.add(name: name, value: value) }
        if let bodyLength, !headers.has("content-length"), !headers.has("transfer-encoding") {
            fields.add(name: "content-length", value: String(bodyLength))
        }
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method.rawValue), uri: path, headers: fields)
    }
}

extension Headers {
    /// Headers read off the wire by NIO.
    init(_ headers: HTTPHeaders) {
        self.init()
        for (name, value) in headers { append(name, value) }
    }
}
