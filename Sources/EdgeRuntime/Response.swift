import Foundation
import HTTPTypes
import NIOCore

/// An HTTP response, mirroring the Fetch API's `Response` with Cloudflare's `webSocket` extra.
public struct Response: Sendable {
    /// `response.status`.
    public var status: HTTPResponse.Status
    /// `response.headers`.
    public var headers: Headers
    /// `response.body`; sent as it is written when it is a stream.
    public var body: ReadableStream
    /// `response.webSocket`: the client end of a `WebSocketPair`, for a 101 response.
    public let webSocket: WebSocket?

    /// `new Response(body, { status, headers })`.
    public init(_ body: ReadableStream = .empty, status: HTTPResponse.Status = .ok, headers: Headers = [:]) {
        self.body = body
        self.status = status
        self.headers = headers
        self.webSocket = nil
    }

    /// `new Response("text", init)`; sets `content-type: text/plain;charset=UTF-8` unless given.
    public init(_ text: String, status: HTTPResponse.Status = .ok, headers: Headers = [:]) {
        var headers = headers
        if headers.fields[.contentType] == nil { headers.fields[.contentType] = "text/plain;charset=UTF-8" }
        self.init(ReadableStream(text), status: status, headers: headers)
    }

    /// `new Response(null, { status: 101, webSocket: client })`.
    public init(webSocket: WebSocket, headers: Headers = [:]) {
        self.status = .switchingProtocols
        self.headers = headers
        self.body = .empty
        self.webSocket = webSocket
    }

    /// `response.ok`: status in 200...299.
    public var ok: Bool { (200...299).contains(status.code) }

    /// `Response.json(value, { status, headers })`: `value` written as `JSON.stringify` writes it
    /// (``JSON/stringify(_:options:)``: keys in their order, `null` for `nil`), with
    /// `content-type: application/json`.
    public static func json<T: Encodable>(
        _ value: T, status: HTTPResponse.Status = .ok, headers: Headers = [:], options: JSON.Options = JSON.Options()
    ) -> Response {
        var headers = headers
        if headers.fields[.contentType] == nil { headers.fields[.contentType] = "application/json" }
        do {
            let bytes = try JSON.bytes(value, options: options)
            return Response(ReadableStream(ByteBuffer(bytes: bytes)), status: status, headers: headers)
        } catch {
            let message = "Response.json could not encode \(T.self): \(error)"
            return Response(message, status: .internalServerError)
        }
    }

    /// `Response.redirect(url, status)`.
    public static func redirect(_ location: String, status: HTTPResponse.Status = .found) -> Response {
        Response(status: status, headers: ["location": location])
    }

    /// The check workerd makes when a response is constructed, as an error text, or `nil` when
    /// the response is valid.
    package var constructionError: String? {
        if webSocket != nil {
            return status == .switchingProtocols ? nil : "RangeError: Responses with a WebSocket must have status code 101."
        }
        guard (200...599).contains(status.code) else {
            return "RangeError: Responses may only be constructed with status codes in the range 200 to 599, inclusive."
        }
        if [204, 205, 304].contains(status.code), let length = body.knownLength, length > 0 {
            return "TypeError: Response with null body status (101, 204, 205, or 304) cannot have a body."
        }
        return nil
    }
}

extension Response {
    /// `await response.text()`.
    public func text() async throws -> String { try await body.text() }
    /// `await response.arrayBuffer()`.
    public func bytes() async throws -> [UInt8] { try await body.bytes() }
    /// `await response.json()`: the body parsed as a ``JSONValue``.
    public func json() async throws -> JSONValue { try await body.json() }
    /// `await response.json()`, decoded into `T`.
    public func json<T: Decodable>(as type: T.Type = T.self) async throws -> T { try await body.json(as: type) }
}

extension JSONEncoder {
    /// Foundation's encoder set as `Response.json` was before Edge had its own JSON: compact,
    /// keys sorted, `/` unescaped, `nil` fields left out. `JSON.stringify` with
    /// `JSON.Options(nilFields: .omitted, sortedKeys: true)` writes the same bytes.
    package static var workers: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }
}
