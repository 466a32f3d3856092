import EdgeRuntime

/// A worker as the host runs it: its default export (type-erased), the named entrypoints and the
/// Durable Object classes it exports, the Swift twin of a Workers module's `export default`,
/// `export class Admin extends WorkerEntrypoint` and `export class OrderHub`.
///
/// ```swift
/// let module = WorkerModule(CounterFireWorker(), durableObjects: [OrderHub.self])
/// let worker = try module.instantiate(bindings: bindings)  // builds the Env once; throws if a binding is missing
/// let response = try await worker.fetch(request, ctx: ExecutionContext())
/// ```
public struct WorkerModule: Sendable {
    /// The exported Durable Object classes.
    package let durableObjects: [DurableObjectClass]
    /// The exported named entrypoints, reached by service bindings with `entrypoint = "<Name>"`.
    package let entrypoints: [WorkerEntrypointClass]
    private let makeInstance: @Sendable (Bindings) throws -> WorkerInstance

    /// Wraps `worker` and the entrypoints and classes it exports.
    public init<W: Worker>(_ worker: W, entrypoints: [WorkerEntrypointClass] = [], durableObjects: [DurableObjectClass] = []) {
        self.durableObjects = durableObjects
        self.entrypoints = entrypoints
        makeInstance = { bindings in
            let env = try W.Env(bindings: bindings)
            return WorkerInstance(
                fetch: { request, ctx in try await worker.fetch(request, env: env, ctx: ctx) },
                scheduled: { controller, ctx in try await worker.scheduled(controller, env: env, ctx: ctx) })
        }
    }

    /// The exported classes by ``DurableObject/className``.
    package var classes: [String: DurableObjectClass] {
        Dictionary(durableObjects.map { ($0.className, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Builds the worker's `Env` from `bindings` (once; a missing binding throws the
    /// `BindingError` that names it) and returns the worker ready to handle events.
    package func instantiate(bindings: Bindings) throws -> WorkerInstance {
        try makeInstance(bindings)
    }
}

/// A worker with its `Env` built: what the server calls for each request and cron event.
package struct WorkerInstance: Sendable {
    private let fetchHandler: @Sendable (Request, ExecutionContext) async throws -> Response
    private let scheduledHandler: @Sendable (ScheduledController, ExecutionContext) async throws -> Void

    init(
        fetch: @escaping @Sendable (Request, ExecutionContext) async throws -> Response,
        scheduled: @escaping @Sendable (ScheduledController, ExecutionContext) async throws -> Void
    ) {
        fetchHandler = fetch
        scheduledHandler = scheduled
    }

    /// The worker's `fetch(request, env, ctx)`.
    package func fetch(_ request: Request, ctx: ExecutionContext) async throws -> Response {
        try await fetchHandler(request, ctx)
    }

    /// The worker's `scheduled(controller, env, ctx)`.
    package func scheduled(_ controller: ScheduledController, ctx: ExecutionContext) async throws {
        try await scheduledHandler(controller, ctx)
    }
}
