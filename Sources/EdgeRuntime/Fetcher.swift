/// Something a worker can `fetch` through a binding: Cloudflare's `Fetcher`, the type of service
/// bindings and of the `ASSETS` binding (`env.ASSETS.fetch(request)`).
public protocol Fetcher: Sendable {
    /// Handles `request` and returns the response.
    func fetch(_ request: Request) async throws -> Response
}

extension Fetcher {
    /// `fetcher.fetch(url, init)`: builds the request as `new Request(url, init)` does and sends it.
    /// - Throws: ``TypeError`` `Invalid URL: <url>` before anything is sent, as in production.
    public func fetch(_ url: String, _ options: RequestInit = RequestInit()) async throws -> Response {
        try await fetch(Request(url, options))
    }

    /// `fetcher.fetch(request, init)`: sends a copy of `request` with the fields `options` sets.
    public func fetch(_ request: Request, _ options: RequestInit) async throws -> Response {
        try await fetch(Request(request, options))
    }
}
