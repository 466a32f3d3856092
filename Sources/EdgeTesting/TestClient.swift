import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import Foundation
import HTTPTypes
import NIOCore

/// The client a test gets from `Emulator.test`: the same calls whether requests go straight to
/// `Emulator.handle` (``TestMode/inProcess``) or over a real socket (``TestMode/live``).
///
/// - ``execute(_:_:headers:body:)``: a whole response.
/// - ``stream(_:_:headers:body:)``: the body as it arrives, with arrival times.
/// - ``events(_:headers:lastEventID:)``: a `text/event-stream`, event by event.
/// - ``webSocket(_:headers:protocols:)``: a WebSocket connection.
public struct TestClient: Sendable {
    enum Transport: Sendable {
        case inProcess(@Sendable (EdgeRuntime.Request) async -> EdgeRuntime.Response)
        case live(LiveHTTPClient)
    }

    let transport: Transport
    /// The emulator under test, for what the client helpers do not cover.
    public let emulator: Emulator
    /// The server requests go to, for a live client.
    public let server: RunningServer?
    /// The clock the emulator's Durable Objects run on, when it is a virtual one.
    public var clock: VirtualClock? { emulator.options.clock as? VirtualClock }
    /// How long WebSocket receives wait before failing.
    public var timeout: Duration = .seconds(10)

    /// A client of `emulator`: over a real socket to `server` when given (connecting from
    /// `localAddress` when given, for tests that need a particular peer address), else calling
    /// ``Emulator/handle(_:remoteAddress:)`` directly as a loopback peer.
    public init(emulator: Emulator, server: RunningServer? = nil, localAddress: SocketAddress? = nil) {
        self.emulator = emulator
        self.server = server
        if let server {
            let host = server.host == "0.0.0.0" ? "127.0.0.1" : (server.host == "::" ? "::1" : server.host)
            transport = .live(LiveHTTPClient(host: host, port: server.port, localAddress: localAddress))
        } else {
            transport = .inProcess { request in await emulator.handle(request) }
        }
    }

    /// Whether requests go over a real socket.
    public var isLive: Bool {
        if case .live = transport { return true }
        return false
    }

    // MARK: HTTP

    /// Sends a request and reads the whole response.
    public func execute(
        _ method: HTTPRequest.Method = .get,
        _ path: String,
        headers: Headers = [:],
        body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        try await stream(method, path, headers: headers, body: body).collect()
    }

    /// Sends a request with a UTF-8 text body.
    public func execute(_ method: HTTPRequest.Method = .post, _ path: String, headers: Headers = [:], text: String) async throws -> TestResponse {
        try await execute(method, path, headers: headers, body: ByteBuffer(string: text))
    }

    /// Sends a request with a JSON body (`content-type: application/json` unless given).
    public func execute<T: Encodable>(_ method: HTTPRequest.Method = .post, _ path: String, headers: Headers = [:], json: T) async throws -> TestResponse {
        var headers = headers
        if !headers.has("content-type") { headers.set("content-type", "application/json") }
        return try await execute(method, path, headers: headers, body: ByteBuffer(bytes: try JSONEncoder().encode(json)))
    }

    /// Sends a request and returns as soon as the response head arrives; the body follows in
    /// ``StreamingResponse/chunks``.
    public func stream(
        _ method: HTTPRequest.Method = .get,
        _ path: String,
        headers: Headers = [:],
        body: ByteBuffer? = nil
    ) async throws -> StreamingResponse {
        switch transport {
        case .live(let client):
            return try await client.send(method, path, headers: headers, body: body)
        case .inProcess(let handler):
            let response = await handler(Self.request(method, path, headers: headers, body: body))
            return Self.streaming(response)
        }
    }

    /// Opens a `text/event-stream`, sending `Last-Event-ID` when given, as `EventSource` does.
    public func events(_ path: String, headers: Headers = [:], lastEventID: String? = nil) async throws -> ServerSentEventStream {
        var headers = headers
        if !headers.has("accept") { headers.set("accept", "text/event-stream") }
        if let lastEventID { headers.set("last-event-id", lastEventID) }
        return ServerSentEventStream(response: try await stream(.get, path, headers: headers))
    }

    // MARK: WebSocket

    /// Opens a WebSocket to `path`.
    /// - Throws: ``TestClientError`` holding the server's response when it does not upgrade.
    public func webSocket(_ path: String, headers: Headers = [:], protocols: [String] = []) async throws -> TestWebSocket {
        var headers = headers
        if !protocols.isEmpty { headers.set("sec-websocket-protocol", protocols.joined(separator: ", ")) }
        switch transport {
        case .live(let client):
            return try await LiveWebSocket.connect(client: client, path: path, headers: headers, timeout: timeout)
        case .inProcess(let handler):
            headers.set("upgrade", "websocket")
            headers.set("connection", "Upgrade")
            headers.set("sec-websocket-version", "13")
            headers.set("sec-websocket-key", Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
            let response = await handler(Self.request(.get, path, headers: headers, body: nil))
            guard response.status == .switchingProtocols, let socket = response.webSocket else {
                throw TestClientError.upgradeRefused(try await Self.streaming(response).collect())
            }
            return TestWebSocket.inProcess(socket, headers: response.headers, timeout: timeout)
        }
    }

    /// Opens a WebSocket, runs `body` with it, and drops the connection afterwards if `body`
    /// left it open.
    public func webSocket<T: Sendable>(
        _ path: String,
        headers: Headers = [:],
        protocols: [String] = [],
        _ body: (TestWebSocket) async throws -> T
    ) async throws -> T {
        let socket = try await webSocket(path, headers: headers, protocols: protocols)
        do {
            let result = try await body(socket)
            socket.abort()
            return result
        } catch {
            socket.abort()
            throw error
        }
    }

    // MARK: in-process plumbing

    /// The request an in-process call makes: as the live server builds it for a loopback client.
    static func request(_ method: HTTPRequest.Method, _ path: String, headers: Headers, body: ByteBuffer?) -> EdgeRuntime.Request {
        var headers = headers
        if !headers.has("host") { headers.set("host", "localhost") }
        headers.set("cf-connecting-ip", "127.0.0.1")
        if let body, !headers.has("content-length") { headers.set("content-length", String(body.readableBytes)) }
        let url = URLParser.parse("http://\(headers.get("host") ?? "localhost")\(path)")!
        return EdgeRuntime.Request(url: url, method: method, headers: headers, body: body.map(ReadableStream.init) ?? .empty)
    }

    static func streaming(_ response: EdgeRuntime.Response) -> StreamingResponse {
        let body = response.body
        let (chunks, continuation) = AsyncThrowingStream<BodyChunk, any Error>.makeStream()
        let reader = Task {
            do {
                for try await chunk in body {
                    continuation.yield(BodyChunk(bytes: chunk, arrival: .now))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        let cancel: @Sendable () -> Void = {
            body.cancel(reason: "The client disconnected.")
            reader.cancel()
        }
        continuation.onTermination = { termination in
            if case .cancelled = termination { cancel() }
        }
        return StreamingResponse(status: response.status, headers: response.headers, chunks: chunks, onCancel: cancel)
    }
}
