import EdgeRuntime
import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

extension WorkerChannel {
    /// Thrown after a response that ends its connection, so HummingbirdCore closes it.
    private struct CloseConnection: Error {}

    /// The HTTP/1.1 path: one request, as HummingbirdCore reads it, to the worker and back.
    static func respond(
        _ request: HummingbirdCore.Request,
        _ writer: consuming ResponseWriter,
        _ channel: any Channel,
        handler: RequestHandler,
        registry: ConnectionRegistry,
        logger: Logger
    ) async throws {
        guard let connection = registry.connection(of: channel) else { return }
        connection.requestBegan()
        defer { connection.requestEnded() }
        let started = ContinuousClock.now
        let sender = ResponseSender(connection: connection, logger: logger)
        guard let workerRequest = EdgeRuntime.Request(head: request.head, body: ReadableStream(request.body), channel: channel) else {
            try await writer.writeResponse(HTTPResponse(status: .badRequest, headerFields: [.contentLength: "0", .connection: "close"]))
            throw CloseConnection()
        }
        let line = ResponseSender.RequestLine(method: request.method, url: workerRequest.url, started: started)
        if workerRequest.isWebSocketUpgrade {
            // NIO upgrades only a connection's first request: send the client to a new connection.
            let redirect = EdgeRuntime.Response(status: .temporaryRedirect, headers: ["location": request.head.path ?? "/"])
            try await sender.send(redirect, for: line, to: writer, closeConnection: true)
            throw CloseConnection()
        }
        if request.headers[.expect]?.lowercased() == "100-continue" {
            // As Node's server does by default: the body is welcome, send it (curl waits a
            // second for this before uploading anything over 1 MiB).
            try await writer.writeInformationalHead(HTTPResponse(status: .continue))
        }
        let response = await handler(workerRequest, channel.remoteAddress)
        // During a hand-over (`Connection+HandOver.swift`) the client takes its next request to
        // a new connection, which the next build accepts.
        let handingOver = connection.isHandingOver
        try await sender.send(response, for: line, to: writer, closeConnection: handingOver)
        if handingOver { throw CloseConnection() }
    }

    /// Sends the answer to a first request that asked to upgrade and was not upgraded, then closes
    /// the connection (NIO's upgrade handler has consumed that request's head, so the HTTP/1.1 loop
    /// cannot carry on after it).
    func sendRefusedUpgrade(_ asyncChannel: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, connection: Connection) async {
        let pending: Connection.PendingResponse
        if let refused = connection.takeRefusedUpgrade() {
            pending = refused
        } else {
            // The handshake itself was invalid (e.g. no Sec-WebSocket-Key), so NIO never asked:
            // the worker answers it as an ordinary request.
            pending = await answerInvalidHandshake(channel: asyncChannel.channel, connection: connection)
        }
        do {
            try await asyncChannel.executeThenClose { _, outbound in
                try await ResponseSender(connection: connection, logger: logger)
                    .send(pending.response, for: pending.request, to: ResponseWriter(outbound: outbound), closeConnection: true)
            }
        } catch {
            logger.debug("Failed to answer a refused upgrade: \(error)")
        }
    }

    private func answerInvalidHandshake(channel: any Channel, connection: Connection) async -> Connection.PendingResponse {
        let started = ContinuousClock.now
        guard let head = connection.firstRequestHead,
            let request = try? EdgeRuntime.Request(
                head: HTTPRequest(head, secure: false, splitCookie: false),
                body: .empty,
                channel: channel
            )
        else {
            let url = URL(string: "http://localhost/")!
            return .init(response: EdgeRuntime.Response("Bad Request", status: .badRequest), request: .init(method: .get, url: url, started: started))
        }
        let line = ResponseSender.RequestLine(method: request.method, url: request.url, started: started)
        var response = await handler(request, channel.remoteAddress)
        if let socket = response.webSocket {
            socket.abort(reason: "The WebSocket handshake was invalid.")
            response = EdgeRuntime.Response(
                "Bad WebSocket handshake: expected Sec-WebSocket-Key and Sec-WebSocket-Version: 13.",
                status: .badRequest
            )
        }
        return .init(response: response, request: line)
    }
}
