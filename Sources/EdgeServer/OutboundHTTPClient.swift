import AsyncHTTPClient
import EdgeRuntime
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// Subrequests over the network, on AsyncHTTPClient: one hop each (the global `fetch` follows
/// redirects itself, so the client's own following is off), the request body streamed out as the
/// handler writes it, the response body streamed in as it arrives.
///
/// Headers go out as the handler set them; the client adds `Host`, and `Content-Length` or
/// chunked framing. Production adds `CF-Worker: <zone>` to every subrequest; Edge has no zone
/// and adds nothing. A failed or dropped connection, before or during the body, is workerd's
/// `Network connection lost.` (``NetworkError``); cancelling the calling task cancels the request.
enum OutboundHTTPClient {
    /// One client for the process, on NIO's shared event loops (never shut down, like
    /// `HTTPClient.shared`), with redirects left to `fetch` and a refused connection failing at
    /// once rather than being retried until the connect timeout (a subrequest fails fast, as
    /// it does in workerd).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10))
        )
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }()

    /// Sends `request` and returns the response as soon as its head arrives. A WebSocket
    /// upgrade (`Upgrade: websocket`) opens its own connection (``OutboundWebSocket``).
    static func send(_ request: Request, logger: Logger) async throws -> Response {
        if request.isWebSocketUpgrade { return try await OutboundWebSocket.open(request, logger: logger) }
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let length = request.body.knownLength {
            if length > 0 || ![.get, .head].contains(request.method) {
                outgoing.body = .bytes(try await request.body.collect(upTo: length))
            }
        } else {
            outgoing.body = .stream(request.body, length: .unknown)
        }
        let incoming: HTTPClientResponse
        do {
            incoming = try await client.execute(outgoing, deadline: .distantFuture)
        } catch {
            throw translated(error)
        }
        var headers = Headers()
        for header in incoming.headers { headers.append(header.name, header.value) }
        let status = HTTPResponse.Status(code: Int(incoming.status.code), reasonPhrase: incoming.status.reasonPhrase)
        return Response(ReadableStream(ResponseBody(body: incoming.body)), status: status, headers: headers)
    }

    /// Cancellation stays itself; anything else the client throws is a lost connection.
    static func translated(_ error: any Error) -> any Error {
        if error is CancellationError { return error }
        if let client = error as? HTTPClientError, client == .cancelled { return CancellationError() }
        return NetworkError(detail: "\(error)")
    }

    /// The response body, its errors translated as the head's are.
    struct ResponseBody: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let body: HTTPClientResponse.Body

        func makeAsyncIterator() -> Iterator { Iterator(base: body.makeAsyncIterator()) }

        struct Iterator: AsyncIteratorProtocol {
            var base: HTTPClientResponse.Body.AsyncIterator

            mutating func next() async throws -> ByteBuffer? {
                do { return try await base.next() } catch { throw OutboundHTTPClient.translated(error) }
            }
        }
    }
}
