import EdgeRuntime
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

extension WorkerChannel {
    /// Fields of the worker's 101 that NIO's upgrader sets itself, or that cannot go on a 101.
    private static let upgraderFields: [HTTPField.Name] = [
        .connection, .upgrade, .secWebSocketAccept, .contentLength, .transferEncoding,
    ]

    /// NIO's question "upgrade this request?", answered by the worker: its 101 with a WebSocket
    /// gives the headers of the 101 response; any other answer is kept for the HTTP side to send.
    func shouldUpgrade(_ channel: any Channel, _ head: HTTPRequestHead, _ connection: Connection) -> EventLoopFuture<HTTPHeaders?> {
        let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
        let handler = self.handler
        let logger = self.logger
        promise.completeWithTask {
            let started = ContinuousClock.now
            guard let request = try? EdgeRuntime.Request(
                head: HTTPRequest(head, secure: false, splitCookie: false),
                body: .empty,
                channel: channel
            ) else {
                return nil
            }
            let line = ResponseSender.RequestLine(method: request.method, url: request.url, started: started)
            let response = await handler(request, channel.remoteAddress).validated(logger: logger)
            guard response.status == .switchingProtocols, let socket = response.webSocket else {
                connection.refuseUpgrade(with: .init(response: response, request: line))
                return nil
            }
            connection.acceptUpgrade(socket, pending: .init(response: response, request: line))
            var fields = response.headers.fields
            for name in Self.upgraderFields { fields[name] = nil }
            return HTTPHeaders(fields)
        }
        return promise.futureResult
    }
}
