import Foundation
import HTTPTypes
import NIOCore

// The global `fetch` of Workers: a subrequest from a worker's handler or a Durable Object.
//
// EdgeRuntime has no I/O: `fetch` finds who sends the request through the task-local
// `IoContext` (`IoContext.outbound`), which the host sets per invocation (the server, the test
// harness, the Durable Object host). That sender answers one hop; everything Workers does around
// it happens here, the same whoever answers (the network, a test's handler):
// - the scheme check: only `http:` and `https:` (`Fetch API cannot load: <url>`);
// - redirects (`RequestInit.redirect`): `follow` sends the request again to `Location` up to 20
//   times as workerd's `handleHttpRedirectResponse` does (`src/workerd/api/http.c++`): 301/302
//   turn a POST into a GET without a body, 303 turns anything but HEAD into one, `Authorization`
//   is dropped when the origin changes, and a body that cannot be sent twice (a stream) refuses a
//   redirect that needs it again; `manual` returns the redirect; `error` is refused as workerd does;
// - cancellation: `RequestInit.signal` (an `AbortController`'s or `AbortSignal.timeout(ms)`)
//   makes the pending `fetch` throw the signal's reason, and so does cancelling the calling task.

/// `fetch(request)`: sends `request` from the running handler and returns the response, whose
/// body streams as the other side sends it.
///
/// Inside a type that has a `fetch` method of its own (a `Worker`, a `DurableObject`), Swift
/// finds that method first: call this one as `EdgeRuntime.fetch(...)`.
/// - Throws: ``TypeError`` `Fetch API cannot load: <url>` for a scheme other than `http:` or
///   `https:`, ``NetworkError`` (`Network connection lost.`) when the connection fails, the
///   signal's reason when it aborts.
public func fetch(_ request: Request) async throws -> Response {
    try await Subrequest.send(request, redirect: .follow, signal: nil)
}

/// `fetch(url, init)`: builds the request as `new Request(url, init)` and sends it.
/// - Throws: ``TypeError`` `Invalid URL: <url>`, and as ``fetch(_:)``.
public func fetch(_ url: String, _ options: RequestInit = RequestInit()) async throws -> Response {
    try await Subrequest.send(Request(url, options), redirect: options.redirect ?? .follow, signal: options.signal)
}

/// `fetch(request, init)`: sends a copy of `request` with the fields `options` sets.
/// - Throws: as ``fetch(_:)``.
public func fetch(_ request: Request, _ options: RequestInit) async throws -> Response {
    try await Subrequest.send(Request(request, options), redirect: options.redirect ?? .follow, signal: options.signal)
}

/// One `fetch` call: its checks, its redirects and its cancellation.
enum Subrequest {
    /// workerd's `MAX_REDIRECT_COUNT` (`src/workerd/api/http.c++`).
    static let maxRedirects = 20

    static func send(_ request: Request, redirect: RequestRedirect, signal: AbortSignal?) async throws -> Response {
        if redirect == .error {
            // workerd, src/workerd/api/http.c++ (Request::constructor).
            throw TypeError(
                "Invalid redirect value, must be one of \"follow\" or \"manual\" (\"error\" won't be implemented since it "
                    + "does not make sense at the edge; use \"manual\" and check the response status code).")
        }
        try checkScheme(request.url)
        guard let outbound = IoContext.active.outbound else {
            throw TypeError(
                "fetch() was called outside a handler: Edge sends subrequests from a worker's handler or a Durable Object, "
                    + "whose host (the server, Emulator.test) decides where they go.")
        }
        try signal?.throwIfAborted()
        try Task.checkCancellation()
        guard let signal else { return try await follow(request, redirect: redirect, through: outbound) }
        return try await withThrowingTaskGroup(of: Response.self) { group in
            group.addTask { try await follow(request, redirect: redirect, through: outbound) }
            group.addTask { throw await signal.aborting() }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }

    /// Throws workerd's `TypeError` unless `url` is `http:` or `https:`.
    static func checkScheme(_ url: URL) throws {
        // workerd, src/workerd/api/http.c++ (parseFetchUrl, with fetch_refuses_unknown_protocols).
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw TypeError("Fetch API cannot load: \(url.absoluteString)")
        }
    }

    /// Sends `first` through `outbound`, following redirects when `redirect` is `.follow`.
    static func follow(_ first: Request, redirect: RequestRedirect, through outbound: any Fetcher) async throws -> Response {
        var request = first
        // A body of fixed bytes can be sent again after a redirect; a stream cannot.
        var replay: ByteBuffer? = if case .bytes(let bytes) = first.body.source { bytes } else { nil }
        var hops = 0
        while true {
            let response = try await outbound.fetch(request)
            let status = response.status.code
            guard redirect == .follow, [301, 302, 303, 307, 308].contains(status),
                let location = response.headers.get("location")
            else { return response }
            for try await _ in response.body {}
            // workerd, src/workerd/api/http.c++ (handleHttpRedirectResponse) for each text below.
            guard let next = URL(string: location, relativeTo: request.url)?.absoluteURL, next.host != nil else {
                throw TypeError("Invalid Location header; unable to follow redirect.")
            }
            guard hops < maxRedirects else { throw TypeError("Too many redirects.") }
            hops += 1
            try checkScheme(next)
            var headers = request.headers
            if origin(of: next) != origin(of: request.url) { headers.delete("authorization") }
            var method = request.method
            if (status == 301 || status == 302) && method == .post || status == 303 && method != .head {
                method = .get
                replay = ByteBuffer()
                headers.delete("content-length")
                headers.delete("content-type")
            } else if replay == nil {
                throw TypeError(
                    "A request with a one-time-use body (it was initialized from a stream, not a buffer) encountered a "
                        + "redirect requiring the body to be retransmitted. To avoid this error in the future, construct "
                        + "this request from a buffer-like body initializer.")
            }
            request = Request(url: next, method: method, headers: headers, body: ReadableStream(replay ?? ByteBuffer()))
        }
    }

    /// `scheme://host:port`, the origin a redirect is compared by.
    static func origin(of url: URL) -> String {
        "\(url.scheme?.lowercased() ?? "")://\(url.host?.lowercased() ?? ""):\(url.port ?? (url.scheme == "https" ? 443 : 80))"
    }
}
