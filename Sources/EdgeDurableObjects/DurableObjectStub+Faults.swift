import EdgeRuntime

// Stub calls under a fault plan. Production's texts, with the flags workerd sets:
//
// | kind | when | error |
// |---|---|---|
// | `stub-network` | before the call reaches the object, or after it ran (half each, by the seed) | `Error: Network connection lost.`, `retryable` (workerd turns a DISCONNECTED exception into it, `src/workerd/jsg/util.c++`; "The connection dropped, and the runtime cannot tell whether the Durable Object received the request": Cloudflare's "Automatic retries" page) |
// | `stub-overloaded` | before the call reaches the object | one of Cloudflare's four `Durable Object is overloaded. ...` texts, `overloaded` (never retry: "Error handling" page) |
// | `slow-io` | before the call | none; the call waits `slowIODelay` first |
//
// The call is also an await of the calling code: when that code runs in a Durable Object, the
// plan may evict or reset the caller there (`FaultPlan.atObjectAwait`).

extension DurableObjectStub {
    /// Delivers an event through the container, with the plan's stub faults when there is one.
    func deliver<R: Sendable>(_ container: ActorContainer, _ body: @escaping EventBody<R>) async throws -> R {
        guard let faults = namespace.context.host.faults else { return try await container.dispatch(body) }
        let label = container.label
        faults.atObjectAwait()
        await faults.slowIO(at: .stubCall, "stub call to \(label)")
        if let roll = faults.fires(.stubOverloaded, at: .stubCall) {
            let error = DurableObjectError.overloaded[roll.pick(DurableObjectError.overloaded.count)]
            faults.record(roll, "\(label): \(error.message)")
            throw error
        }
        guard let roll = faults.fires(.stubNetwork, at: .stubCall) else { return try await container.dispatch(body) }
        if roll.pick(2) == 0 {
            faults.record(roll, "\(label): \(DurableObjectError.networkLost.message) (before the call reached the object)")
            throw DurableObjectError.networkLost
        }
        let result = try await container.dispatch(body)
        // The answer is lost with the connection: whatever it held open goes too.
        ActorContainer.discard(result, reason: DurableObjectError.networkLost.message)
        faults.record(roll, "\(label): \(DurableObjectError.networkLost.message) (after the object handled the call)")
        throw DurableObjectError.networkLost
    }
}

extension DurableObjectError {
    /// A stub call whose connection dropped: `retryable`. workerd's text for every DISCONNECTED
    /// exception (`src/workerd/jsg/util.c++`, as `NetworkError` in EdgeRuntime).
    package static let networkLost = DurableObjectError("Error", "Network connection lost.", retryable: true)

    /// Cloudflare's overload errors, `overloaded` set (Durable Objects "Troubleshooting" page,
    /// developers.cloudflare.com/durable-objects/observability/troubleshooting/).
    package static let overloaded: [DurableObjectError] = [
        "Durable Object is overloaded. Too many requests queued.",
        "Durable Object is overloaded. Too much data queued.",
        "Durable Object is overloaded. Requests queued for too long.",
        "Durable Object is overloaded. Too many requests for the same object within a 10 second window.",
    ].map { DurableObjectError("Error", $0, overloaded: true) }
}
