import EdgeD1
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import Foundation

/// The emulator's controls, for tests: forced eviction and reset, inspection, the virtual
/// clock, the D1 databases and scheduled events. They act in-process in both modes (the HTTP
/// routes under `/cdn-cgi/edge/` are reachable with ``execute(_:_:headers:body:)`` too).
extension TestClient {
    /// Every Durable Object binding with its objects.
    public func list() -> [NamespaceInfo] {
        emulator.listDurableObjects()
    }

    /// The objects `target` names in `binding`, with their lifecycle state.
    public func inspect(_ binding: String, _ target: ObjectTarget) throws -> [ObjectInfo] {
        try emulator.durableObjects.inspect(binding: binding, target: target)
    }

    /// Forcibly evicts objects; returns the ids that were in memory.
    @discardableResult
    public func evict(_ binding: String, _ target: ObjectTarget = .all, webSockets: WebSocketDisposition = .hibernate) async throws -> [DurableObjectId] {
        try await emulator.evict(binding: binding, target: target, webSockets: webSockets)
    }

    /// Resets objects as a code update does; returns the ids reset.
    @discardableResult
    public func reset(_ binding: String, _ target: ObjectTarget = .all) async throws -> [DurableObjectId] {
        try await emulator.reset(binding: binding, target: target)
    }

    /// The namespace bound as `binding`, as vitest's `env.ROOM` gives it, for stubs to pass to
    /// ``runInDurableObject(_:_:)`` (a binding that is missing or of another class stops the test).
    public func namespace<Object: DurableObject>(_ binding: String, as type: Object.Type = Object.self) -> DurableObjectNamespace<Object> {
        guard let namespace = emulator.durableObjects.namespaces()[binding] as? DurableObjectNamespace<Object> else {
            preconditionFailure("No Durable Object binding \(binding) of class \(Object.self); bindings: \(emulator.durableObjects.bindings.map(\.binding))")
        }
        return namespace
    }

    /// vitest's `runInDurableObject(stub, (instance, state) => ...)`: runs `body` inside the
    /// object, through its input gate, as one event; errors come back as `body` threw them.
    public func runInDurableObject<Object: DurableObject, T: Sendable>(
        _ stub: DurableObjectStub<Object>,
        _ body: nonisolated(nonsending) @escaping @Sendable (Object, DurableObjectState) async throws -> T
    ) async throws -> T {
        try await emulator.durableObjects.runInDurableObject(stub, body)
    }

    /// Waits until the Durable Objects have settled (an event that is still ending sets its idle
    /// timer only then), moves the virtual clock forward, running every timer (idle eviction,
    /// alarms) that comes due, then waits until they have settled again.
    public func advance(by duration: Duration) async {
        guard let clock else { preconditionFailure("advance(by:) needs the emulator to run on a VirtualClock") }
        await emulator.durableObjects.settled()
        await clock.advance(by: duration)
        await emulator.durableObjects.settled()
    }

    /// The D1 database bound as `binding`.
    public func d1(_ binding: String) -> D1Database {
        guard let database = emulator.d1(binding) else {
            preconditionFailure("No D1 database is bound as \(binding); bindings: \(emulator.databases.keys.sorted())")
        }
        return database
    }

    /// Runs the worker's `scheduled` handler for `cron`.
    public func scheduled(cron: String, scheduledTime: Date? = nil) async -> ScheduledOutcome {
        await emulator.scheduled(cron: cron, scheduledTime: scheduledTime)
    }
}
