import EdgeRuntime
import Foundation

/// `ctx` (`DurableObjectState`): what an instance receives in its constructor: its id, its
/// storage, the input gate (`blockConcurrencyWhile`), `waitUntil`, `abort`, and the WebSocket
/// hibernation API.
///
/// Each instance gets its own state. Once the instance is evicted or reset it is *stale*: its
/// storage throws, and its `waitUntil` work no longer keeps the object alive.
public final class DurableObjectState: Sendable {
    /// `ctx.id`, with `name` when the object was addressed by name (restored for alarms too).
    public let id: DurableObjectId
    /// `ctx.storage`.
    public let storage: DurableObjectStorage
    let container: ActorContainer
    let generation: Int

    init(id: DurableObjectId, storage: DurableObjectStorage, container: ActorContainer, generation: Int) {
        self.id = id
        self.storage = storage
        self.container = container
        self.generation = generation
    }

    /// `ctx.blockConcurrencyWhile(callback)`: runs `body` while no other event is delivered to
    /// the object, and returns its result. Events that arrive meanwhile wait, in order.
    ///
    /// If `body` throws, the object is reset (workerd's broken input gate): events in flight
    /// fail with the error, WebSockets are closed, and the next event constructs a new instance;
    /// the error is rethrown. Calls nest (up to 64 levels) inside `body`.
    nonisolated(nonsending) public func blockConcurrencyWhile<T: Sendable>(
        _ body: nonisolated(nonsending) @Sendable () async throws -> T
    ) async throws -> T {
        try await container.gate.exclusively(generation: generation, onThrow: breakInputGate) { try await body() }
    }

    /// `ctx.blockConcurrencyWhile(callback)` called without awaiting it, as a constructor does:
    /// the gate is locked before this returns (so the event that constructed the object waits
    /// too), and `body` runs in a task. A throw resets the object.
    public func blockConcurrencyWhile(_ body: @escaping @Sendable () async throws -> Void) {
        let gate = container.gate
        let generation = self.generation
        let token = gate.tryLock(generation: generation)
        Task {
            do {
                var held = token
                if held == nil { held = try await gate.lock(generation: generation) }
                guard let held else { return }
                try await gate.run(holding: held, onThrow: self.breakInputGate) { try await body() }
            } catch {
                return
            }
        }
    }

    /// `ctx.waitUntil(promise)`: keeps the object in memory until `work` settles. A failure is
    /// logged.
    public func waitUntil(_ work: @escaping @Sendable () async throws -> Void) {
        container.waitUntil(generation: generation, work)
    }

    /// `ctx.abort(reason)`: resets the object at once. Events in flight fail with `reason` (by
    /// default workerd's "Application called abort() to reset Durable Object."), WebSockets are
    /// closed, and this instance's storage throws from now on. Code after the call still runs
    /// (Swift cannot terminate it), but nothing it does reaches storage or a caller.
    public func abort(reason: String? = nil) {
        let message = reason ?? DurableObjectError.defaultAbortReason
        container.reset(generation: generation, .aborted(message), log: "aborted: \(message)")
    }

    private func breakInputGate(_ error: any Error) {
        container.reset(
            generation: generation, .brokenInputGate(error), log: "reset: blockConcurrencyWhile() threw \(error)")
    }
}
