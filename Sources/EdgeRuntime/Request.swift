import Foundation
import HTTPTypes
import NIOCore

/// An HTTP request, mirroring the Fetch API's `Request`.
///
/// The body is a ``ReadableStream`` read once, as it arrives from the client.
public struct Request: Sendable {
    /// `request.method`.
    public var method: HTTPRequest.Method
    /// `request.url`, absolute.
    public var url: URL
    /// `request.headers`.
    public var headers: Headers
    /// `request.body`.
    public var body: ReadableStream

    /// Creates a request.
    public init(url: URL, method: HTTPRequest.Method = .get, headers: Headers = [:], body: ReadableStream = .empty) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }

    /// Creates a request from an absolute URL string, as `new Request(url, init)` does: the URL is
    /// parsed as `new URL(url)` parses it (dot segments resolved, the path percent-encoded).
    /// - Throws: ``TypeError`` `Invalid URL: <url>` when `url` is not an absolute URL, as
    ///   `new Request("bad")` throws (workerd's text, `src/workerd/api/http.c++`); `Request with a
    ///   GET or HEAD method cannot have a body.` for a GET or HEAD given a body (same file).
    public init(_ url: String, method: HTTPRequest.Method = .get, headers: Headers = [:], body: ReadableStream? = nil) throws {
        guard let parsed = URLParser.parse(url) else { throw TypeError("Invalid URL: \(url)") }
        if body != nil { try Self.checkBodyAllowed(method) }
        self.init(url: parsed, method: method, headers: headers, body: body ?? .empty)
    }

    /// Creates a request with a UTF-8 text body, as `new Request(url, { method, body: text })`.
    /// - Throws: ``TypeError`` as ``init(_:method:headers:body:)``.
    public init(_ url: String, method: HTTPRequest.Method = .post, headers: Headers = [:], text: String) throws {
        try self.init(url, method: method, headers: headers, body: ReadableStream(text))
    }

    /// `url.pathname`: the path of the URL, percent-encoded as the WHATWG URL parser leaves it
    /// (`/v1/orders/a%2Fb` stays one segment `a%2Fb`; split on `/` and decode each segment).
    public var pathname: String { URLParser.pathname(of: url) }

    /// The same text as ``pathname`` (percent-encoded), under Edge's first name for it; routers
    /// that split it on `/` see the segments production's `url.pathname.split("/")` sees.
    public var path: String { pathname }

    /// `url.searchParams`.
    public var searchParams: URLSearchParams { URLSearchParams(url.query(percentEncoded: true) ?? "") }

    /// Whether the client asked to upgrade to a WebSocket (`Upgrade: websocket`).
    public var isWebSocketUpgrade: Bool { headers.get("upgrade")?.lowercased() == "websocket" }
}

extension Request {
    /// `await request.text()`.
    public func text() async throws -> String { try await body.text() }
    /// `await request.arrayBuffer()`.
    public func bytes() async throws -> [UInt8] { try await body.bytes() }
    /// `await request.json()`: the body parsed as a ``JSONValue`` (see ``JSON/parse(bytes:)``).
    /// - Throws: ``SyntaxError`` with V8's message when the body is not JSON.
    public func json() async throws -> JSONValue { try await body.json() }
    /// `await request.json()`, decoded into `T` (see ``JSON/parse(bytes:as:)``).
    public func json<T: Decodable>(as type: T.Type = T.self) async throws -> T { try await body.json(as: type) }
}

extension ReadableStream {
    /// Reads the whole body as UTF-8 text (invalid sequences are replaced, as `text()` does).
    public func text() async throws -> String {
        let buffer = try await collect(upTo: .max)
        return String(decoding: buffer.readableBytesView, as: UTF8.self)
    }

    /// Reads the whole body as bytes.
    public func bytes() async throws -> [UInt8] {
        Array(try await collect(upTo: .max).readableBytesView)
    }

    /// Reads the whole body and parses it as `request.json()` does.
    public func json() async throws -> JSONValue {
        try await collect(upTo: .max).parseJSON()
    }

    /// Reads the whole body, parses it as `request.json()` does and decodes it into `T`.
    public func json<T: Decodable>(as type: T.Type = T.self) async throws -> T {
        try JSON.decode(type, from: try await json())
    }
}
