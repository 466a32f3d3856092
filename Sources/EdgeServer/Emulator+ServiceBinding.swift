import EdgeRuntime

// How a worker is invoked through a service binding of another worker of its session. Each call
// is an invocation of the target worker as a request is: its own `ExecutionContext` (`waitUntil`
// work is kept alive and awaited at shutdown), the target's clock and logger, its timers closed
// when the invocation ends. Unlike a request from a socket, an error thrown by the target is not
// turned into a 500: workerd tunnels worker-to-worker exceptions back to the caller
// (`tunnelExceptions`, src/workerd/io/worker-entrypoint.c++), so it arrives as a `RemoteError`.

extension Emulator {
    /// The worker named `name` in this emulator's session (`edge dev -c A -c B`,
    /// `Emulator.test(_:workers:)`); this emulator for its own name; `nil` otherwise.
    public func worker(_ name: String) -> Emulator? {
        if name == config.name { return self }
        return session.emulator(named: name)
    }

    /// `env.SVC.fetch(request)` to this worker's default export: `[assets]` first, as a
    /// service binding to a worker with assets is routed in production, then the worker's `fetch`.
    func serviceFetch(_ request: Request) async throws -> Response {
        if let response = assets?.response(for: request) {
            return response
        }
        let logger = self.logger
        return try await serviceInvocation(label: "\(request.method.rawValue) \(RequestLog.loggedPath(of: request.url))") { ctx in
            try await worker.fetch(request, ctx: ctx).validated(logger: logger)
        }
    }

    /// Runs `body` as one invocation of this worker labelled `label` (console lines carry
    /// `<worker> <label>`); errors cross back as `RemoteError`.
    func serviceInvocation<R: Sendable>(label: String, _ body: (ExecutionContext) async throws -> R) async throws -> R {
        let logger = self.logger
        let ctx = ExecutionContext { error in logger.error("Uncaught (in waitUntil) \(error)") }
        let io = invocationContext(label: "\(config.name) \(label)")
        do {
            let value = try await IoContext.$current.withValue(io) { try await body(ctx) }
            pendingWork.track(ctx)
            // A response's timers live until its body is sent (a WebSocket's for as long as it is open).
            end(io, of: value as? Response ?? Response(status: .noContent), ctx: ctx)
            return value
        } catch {
            pendingWork.track(ctx)
            end(io, of: Response(status: .noContent), ctx: ctx)
            throw RemoteError.crossing(error)
        }
    }
}
