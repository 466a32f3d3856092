import EdgeRuntime
import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore

/// Writes a worker's `Response` to a connection as the worker produces it.
///
/// No buffering and no compression: each chunk the body yields is written (and flushed) at once.
/// `Content-Length` is sent only when the body's length is known up front (fixed bytes, or a
/// `content-length` the worker set itself); otherwise the body is chunked. A body that fails cuts
/// the connection (the client sees a truncated response, as on Cloudflare); a client that goes
/// away cancels the body (see ``Connection/closed()``).
struct ResponseSender {
    let connection: Connection
    let logger: Logger

    /// What the log line and the framing need to know about the request.
    struct RequestLine {
        let method: HTTPRequest.Method
        let url: URL
        let started: ContinuousClock.Instant
    }

    /// Hop-by-hop fields a worker cannot set: the server frames the message itself.
    private static let hopByHop: [HTTPField.Name] = [.connection, .keepAlive, .transferEncoding, .upgrade, .proxyConnection]

    /// Sends `response`, then returns; throws when the connection has to be cut.
    func send(
        _ response: EdgeRuntime.Response,
        for request: RequestLine,
        to writer: consuming ResponseWriter,
        closeConnection: Bool = false
    ) async throws {
        var response = response.validated(logger: logger)
        if let socket = response.webSocket {
            // Only a connection's first request, asking to upgrade, is upgraded (WorkerChannel).
            socket.abort(reason: "The request did not ask to upgrade to a WebSocket.")
            logger.error("The worker answered \(request.method.rawValue) \(RequestLog.loggedPath(of: request.url)) with a WebSocket, but the request did not ask to upgrade (Upgrade: websocket).")
            response = EdgeRuntime.Response("Worker returned a WebSocket response to a request that did not ask for one.", status: .internalServerError)
        }
        let status = response.status
        let mayHaveBody = !((100..<200).contains(status.code) || status.code == 204 || status.code == 304)

        var fields = response.headers.fields
        if fields.contains(where: { Self.hopByHop.contains($0.name) }) {
            for name in Self.hopByHop { fields[name] = nil }
        }
        if mayHaveBody, let length = response.body.knownLength {
            fields[.contentLength] = String(length)
        }
        if closeConnection { fields[.connection] = "close" }
        let head = HTTPResponse(status: RequestLog.withReasonPhrase(status), headerFields: fields)

        guard mayHaveBody, request.method != .head else {
            response.body.cancel(reason: "The response has no body.")
            try await writer.writeResponse(head)
            logger.logRequest(method: request.method, url: request.url, status: status, since: request.started)
            return
        }

        if response.body.knownLength != nil {
            // Fixed bytes (most responses): head, body and end in one write, so one flush, as
            // Hummingbird's own `write(response:body:)` does, instead of three round trips.
            var bytes = ByteBuffer()
            do {
                for try await chunk in response.body { bytes = chunk }
            } catch {
                logger.error("\(request.method.rawValue) \(RequestLog.loggedPath(of: request.url)): the response body failed, closing the connection: \(error)")
                throw error
            }
            try await writer.write(response: head, body: ResponseBody(byteBuffer: bytes))
            logger.logRequest(method: request.method, url: request.url, status: status, since: request.started)
            return
        }

        var bodyWriter = try await writer.writeHead(head)
        logger.logRequest(method: request.method, url: request.url, status: status, since: request.started)

        let isEventStream = response.headers.get("content-type")?.lowercased().hasPrefix("text/event-stream") ?? false
        guard connection.beginStreaming(.init(body: response.body, isEventStream: isEventStream)) else {
            throw CancellationError()
        }
        defer { connection.endStreaming() }
        if let bodySender = connection.bodySender, let poller = response.body.poller() {
            // A TransformStream's body is written from the event loop (StreamingBodySender).
            switch await bodySender.send(poller) {
            case .finished:
                break
            case .failed(let error as StreamError) where error.isCanceled:
                guard connection.isEnding else { throw error }  // shutdown ended the stream: finish cleanly
            case .failed(let error):
                logger.error("\(request.method.rawValue) \(RequestLog.loggedPath(of: request.url)): the response body failed, closing the connection: \(error)")
                throw error
            case .connectionClosed:
                response.body.cancel(reason: Connection.disconnectReason)
                throw CancellationError()
            }
            try await bodyWriter.finish(nil)
            return
        }
        var chunks = response.body.makeAsyncIterator()
        while true {
            let chunk: ByteBuffer?
            do {
                chunk = try await chunks.next()
            } catch let error as StreamError where error.isCanceled {
                guard connection.isEnding else { throw error }
                break  // shutdown ended the stream: finish the response cleanly
            } catch {
                logger.error("\(request.method.rawValue) \(RequestLog.loggedPath(of: request.url)): the response body failed, closing the connection: \(error)")
                throw error
            }
            guard let chunk else { break }
            do {
                try await bodyWriter.write(chunk)
            } catch {
                response.body.cancel(reason: Connection.disconnectReason)
                throw error
            }
        }
        try await bodyWriter.finish(nil)
    }
}

extension EdgeRuntime.Response {
    /// The response, or a 500 when workerd would have refused to construct it (the reason is
    /// logged as workerd reports an uncaught exception).
    func validated(logger: Logger) -> EdgeRuntime.Response {
        guard let error = constructionError else { return self }
        logger.error("Uncaught \(error)")
        webSocket?.abort()
        return EdgeRuntime.Response(error, status: .internalServerError)
    }
}
