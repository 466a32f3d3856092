/// A named entrypoint of a worker, the Swift twin of `class Admin extends WorkerEntrypoint`:
/// other workers reach it through a service binding with `entrypoint = "Admin"`, by `fetch` and by
/// RPC (``Service/call(_:)``).
///
/// ```swift
/// struct Admin: WorkerEntrypoint {
///     let ctx: ExecutionContext
///     let env: Env
///     init(ctx: ExecutionContext, env: Env) { self.ctx = ctx; self.env = env }
///
///     func add(_ a: Int, _ b: Int) -> Int { a + b }                  // an RPC method
///     func fetch(_ request: Request) async throws -> Response { ... } // optional
/// }
/// // registered with the worker: WorkerModule(ApiWorker(), entrypoints: [Admin.self], ...)
/// ```
///
/// As in workerd, each call (a `fetch` or an RPC call) gets a new instance with its own
/// `ExecutionContext`; the `Env` is built once, at start, from the worker's bindings.
public protocol WorkerEntrypoint: Sendable {
    /// The entrypoint's `Env`, built once at start from its worker's bindings (usually the
    /// worker's own `Env` type).
    associatedtype Env: WorkerEnv

    /// `constructor(ctx, env)`.
    init(ctx: ExecutionContext, env: Env)

    /// The entrypoint's `fetch(request)`; by default workerd's `Handler does not export a fetch()
    /// function.`
    func fetch(_ request: Request) async throws -> Response

    /// The name a service binding's `entrypoint` field uses: the type's name by default, as the
    /// exported class's name is in JavaScript.
    static var entrypointName: String { get }
}

extension WorkerEntrypoint {
    public static var entrypointName: String { String(describing: Self.self) }

    public func fetch(_ request: Request) async throws -> Response {
        throw RemoteError.noFetchHandler
    }
}

/// A registered entrypoint type: `WorkerModule(worker, entrypoints: [Admin.self])`.
public typealias WorkerEntrypointClass = any WorkerEntrypoint.Type

extension WorkerEntrypoint {
    /// Builds the `Env` from `bindings` once and returns what makes an instance per call
    /// (the host's side of a named entrypoint; throws the `BindingError` of a missing binding).
    package static func factory(bindings: Bindings) throws -> @Sendable (ExecutionContext) -> any Sendable {
        let env = try Env(bindings: bindings)
        return { ctx in Self(ctx: ctx, env: env) }
    }

    /// A typed binding to this entrypoint, for `Env`s that declare `Service<Self>`.
    package static func service(_ target: any ServiceTarget, entrypoint: String?) -> any Sendable {
        Service<Self>(target: target, entrypoint: entrypoint)
    }
}
