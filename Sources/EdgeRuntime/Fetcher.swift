/// Something a worker can `fetch` through a binding: Cloudflare's `Fetcher`, the type of service
/// bindings and of the `ASSETS` binding (`env.ASSETS.fetch(request)`).
public protocol Fetcher: Sendable {
    /// Handles `request` and returns the response.
    func fetch(_ request: Request) async throws -> Response
}
