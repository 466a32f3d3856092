import Foundation
import HTTPTypes

/// `RequestInit`: the options of `new Request(input, init)`, `fetch(input, init)` and
/// `stub.fetch(input, init)`. A field left `nil` keeps what the input had (or the default).
///
/// ```swift
/// let forwarded = try Request(request, RequestInit(headers: ["x-user": user]))   // new Request(request, { headers })
/// let moved = try Request("https://other/path", request)                         // new Request(newUrl, request)
/// ```
public struct RequestInit: Sendable {
    /// `init.method`.
    public var method: HTTPRequest.Method?
    /// `init.headers`: replaces every header of the input.
    public var headers: Headers?
    /// `init.body`: replaces the input's body.
    public var body: ReadableStream?
    /// `init.redirect`: what `fetch` does with a redirect (`nil`: follow it).
    public var redirect: RequestRedirect?
    /// `init.signal`: aborts the `fetch` (an `AbortController`'s signal, `AbortSignal.timeout(ms)`).
    public var signal: AbortSignal?

    /// Creates the options of a request.
    public init(
        method: HTTPRequest.Method? = nil, headers: Headers? = nil, body: ReadableStream? = nil,
        redirect: RequestRedirect? = nil, signal: AbortSignal? = nil
    ) {
        self.method = method
        self.headers = headers
        self.body = body
        self.redirect = redirect
        self.signal = signal
    }

    /// Creates the options of a request whose body is UTF-8 `text` (`{ method, body: "..." }`).
    public init(
        method: HTTPRequest.Method? = nil, headers: Headers? = nil, text: String,
        redirect: RequestRedirect? = nil, signal: AbortSignal? = nil
    ) {
        self.init(method: method, headers: headers, body: ReadableStream(text), redirect: redirect, signal: signal)
    }
}

extension Request {
    /// `new Request(url, init)`.
    /// - Throws: ``TypeError`` `Invalid URL: <url>` or `Request with a GET or HEAD method cannot
    ///   have a body.` (workerd's texts, `src/workerd/api/http.c++`).
    public init(_ url: String, _ options: RequestInit) throws {
        try self.init(url, method: options.method ?? .get, headers: options.headers ?? [:], body: options.body)
    }

    /// `new Request(newUrl, request)`: `request`'s method, headers and body at another URL. The
    /// body moves to the new request (it is read once, by whichever request reads it first).
    /// - Throws: ``TypeError`` `Invalid URL: <url>` (workerd's text, `src/workerd/api/http.c++`).
    public init(_ url: String, _ request: Request) throws {
        guard let parsed = URLParser.parse(url) else { throw TypeError("Invalid URL: \(url)") }
        self.init(url: parsed, method: request.method, headers: request.headers, body: request.body)
    }

    /// `new Request(request, init)`: a copy of `request` with the fields `options` sets replaced.
    /// - Throws: ``TypeError`` `Request with a GET or HEAD method cannot have a body.` when
    ///   `options` sets a method or a body and the result is a GET or HEAD with a body given in
    ///   `options` (workerd's check and text, `src/workerd/api/http.c++`).
    public init(_ request: Request, _ options: RequestInit) throws {
        let method = options.method ?? request.method
        if options.body != nil { try Self.checkBodyAllowed(method) }
        self.init(url: request.url, method: method, headers: options.headers ?? request.headers, body: options.body ?? request.body)
    }

    /// Throws workerd's `TypeError` for a body on a GET or HEAD request.
    static func checkBodyAllowed(_ method: HTTPRequest.Method) throws {
        // workerd, src/workerd/api/http.c++ (Request::constructor).
        guard method != .get && method != .head else { throw TypeError("Request with a GET or HEAD method cannot have a body.") }
    }
}
