import EdgeRuntime

/// A service binding's target: the worker named `worker` in the session's ``WorkerDirectory``.
/// Every call runs in the target worker, in process, as an invocation of its own (see
/// `Emulator+ServiceBinding.swift`).
struct WorkerService: ServiceTarget {
    let directory: WorkerDirectory
    let worker: String

    func fetch(_ request: Request, entrypoint: String?) async throws -> Response {
        let entry = try directory.entry(worker)
        guard let entrypoint else {
            return try await ServiceCallDepth.next { try await entry.emulator.serviceFetch(request) }
        }
        let make = try maker(entry, entrypoint)
        return try await ServiceCallDepth.next {
            try await entry.emulator.serviceInvocation(label: "\(entrypoint).fetch") { ctx in
                guard let instance = make(ctx) as? any WorkerEntrypoint else {
                    throw TypeError("The entrypoint \"\(entrypoint)\" is not a WorkerEntrypoint.")
                }
                return try await instance.fetch(request)
            }
        }
    }

    func invoke<R: Sendable>(entrypoint: String, _ body: @escaping @Sendable (any Sendable) async throws -> R) async throws -> R {
        let entry = try directory.entry(worker)
        let make = try maker(entry, entrypoint)
        return try await ServiceCallDepth.next {
            try await entry.emulator.serviceInvocation(label: entrypoint) { ctx in
                try await body(make(ctx))
            }
        }
    }

    /// The maker of `entrypoint`; the session checked at start that the worker exports it, so a
    /// miss is workerd's runtime text for an entrypoint that is not there (server.c++).
    private func maker(_ entry: WorkerDirectory.Entry, _ entrypoint: String) throws -> @Sendable (ExecutionContext) -> any Sendable {
        guard let make = entry.entrypoints[entrypoint] else {
            throw RemoteError.crossing(TypeError("Worker does not export an entrypoint named \"\(entrypoint)\"."))
        }
        return make
    }
}
