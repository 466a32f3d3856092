/// The worker on the other side of a service binding, as the host implements it: what a
/// ``Service`` or an untyped service ``Fetcher`` sends its calls to. Handler code never sees it.
package protocol ServiceTarget: Sendable {
    /// Delivers `request` to `entrypoint`'s `fetch` (`nil`: the worker's default export, behind
    /// its `[assets]`). An error thrown by the other worker arrives as a ``RemoteError``.
    func fetch(_ request: Request, entrypoint: String?) async throws -> Response

    /// Runs `body` on a new instance of `entrypoint` (its own `ExecutionContext`, inside the
    /// other worker's invocation context). An error thrown there arrives as a ``RemoteError``.
    func invoke<R: Sendable>(entrypoint: String, _ body: @escaping @Sendable (any Sendable) async throws -> R) async throws -> R
}

/// A service binding to a worker's default export (`export default { fetch }`): an untyped
/// ``Fetcher`` (`env.API.fetch(request)`), as workers-types declares a service binding `Fetcher`.
package struct ServiceFetcher: Fetcher {
    let target: any ServiceTarget

    package init(target: any ServiceTarget) {
        self.target = target
    }

    package func fetch(_ request: Request) async throws -> Response {
        try await target.fetch(request, entrypoint: nil)
    }
}
