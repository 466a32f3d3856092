/// A service binding to a named entrypoint of another worker: workers-types' `Service<T>`
/// (`[[services]] binding = "ADMIN", service = "api", entrypoint = "Admin"`).
///
/// ```swift
/// struct Env: WorkerEnv {
///     let ADMIN: Service<Admin>
///     init(bindings: Bindings) throws { ADMIN = try bindings.get("ADMIN") }
/// }
/// let sum = try await env.ADMIN.call { $0.add(1, 2) }       // await env.ADMIN.add(1, 2)
/// let response = try await env.ADMIN.fetch(request)         // await env.ADMIN.fetch(request)
/// ```
///
/// Nothing crosses a network: the other worker runs in the same process. Each call constructs a
/// new `Admin` with its own `ExecutionContext`, as workerd does. An error thrown on the other side
/// arrives as a ``RemoteError`` with the error's name and message kept (Cloudflare's "Error
/// handling" for RPC: exceptions propagate to the caller). A binding to a worker's default export
/// (`export default { fetch }`, no `entrypoint`) is a plain `Fetcher`: declare it `any Fetcher`.
public struct Service<Entrypoint: WorkerEntrypoint>: Fetcher {
    let target: any ServiceTarget
    let entrypoint: String?

    init(target: any ServiceTarget, entrypoint: String?) {
        self.target = target
        self.entrypoint = entrypoint
    }

    /// `env.SVC.fetch(request)`: the entrypoint's `fetch`.
    public func fetch(_ request: Request) async throws -> Response {
        try await target.fetch(request, entrypoint: entrypoint)
    }

    /// JavaScript RPC (`await env.SVC.method(args)`): runs `body` on a new instance of the
    /// entrypoint, inside the other worker.
    ///
    /// ```swift
    /// let total = try await env.ADMIN.call { try await $0.total(for: "demo") }
    /// ```
    public func call<R: Sendable>(_ body: @escaping @Sendable (Entrypoint) async throws -> R) async throws -> R {
        try await target.invoke(entrypoint: entrypoint ?? Entrypoint.entrypointName) { instance in
            guard let typed = instance as? Entrypoint else {
                throw RemoteError("TypeError", "The service binding's entrypoint is a \(type(of: instance)), not a \(Entrypoint.self).", remote: false)
            }
            return try await body(typed)
        }
    }
}
