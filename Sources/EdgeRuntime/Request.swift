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

    /// Creates a request from an absolute URL string, as `new Request(url, init)` does.
    /// - Precondition: `url` parses as an absolute URL.
    public init(_ url: String, method: HTTPRequest.Method = .get, headers: Headers = [:], body: ReadableStream = .empty) {
        guard let parsed = URL(string: url), parsed.scheme != nil else {
            preconditionFailure("TypeError: Invalid URL: \(url)")
        }
        self.init(url: parsed, method: method, headers: headers, body: body)
    }

    /// Creates a request with a UTF-8 text body.
    public init(_ url: String, method: HTTPRequest.Method = .post, headers: Headers = [:], text: String) {
        self.init(url, method: method, headers: headers, body: ReadableStream(text))
    }

    /// The path of the URL, percent-decoded.
    public var path: String {
        let path = url.path
        return path.isEmpty ? "/" : path
    }

    /// `url.searchParams`.
    public var searchParams: URLSearchParams { URLSearchParams(url) }

    /// Whether the client asked to upgrade to a WebSocket (`Upgrade: websocket`).
    public var isWebSocketUpgrade: Bool { headers.get("upgrade")?.lowercased() == "websocket" }
}

extension Request {
    /// `await request.text()`.
    public func text() async throws -> String { try await body.text() }
    /// `await request.arrayBuffer()`.
    public func bytes() async throws -> [UInt8] { try await body.bytes() }
    /// `await request.json()`, decoded into `T`.
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

    /// Reads the whole body and decodes JSON.
    public func json<T: Decodable>(as type: T.Type = T.self) async throws -> T {
        let buffer = try await collect(upTo: .max)
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }
}

/// `URLSearchParams`: the query of a URL, decoded.
public struct URLSearchParams: Sendable, Equatable {
    /// The name/value pairs in order.
    public let items: [(name: String, value: String)]

    /// Parses the query of `url`.
    public init(_ url: URL) {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        items = (components?.queryItems ?? []).map { ($0.name, $0.value ?? "") }
    }

    /// `params.get(name)`: the first value, or `nil`.
    public func get(_ name: String) -> String? { items.first { $0.name == name }?.value }
    /// `params.getAll(name)`.
    public func getAll(_ name: String) -> [String] { items.filter { $0.name == name }.map(\.value) }
    /// `params.has(name)`.
    public func has(_ name: String) -> Bool { items.contains { $0.name == name } }

    public static func == (lhs: URLSearchParams, rhs: URLSearchParams) -> Bool {
        lhs.items.map(\.name) == rhs.items.map(\.name) && lhs.items.map(\.value) == rhs.items.map(\.value)
    }
}
