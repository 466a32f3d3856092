import Foundation

// The control surface: what `/cdn-cgi/edge/durable-objects`, `edge do ...` and EdgeTesting
// call. Forced eviction and reset are Miniflare's `unsafeEvictDurableObject` and vitest's
// `evictDurableObject` / `abortAllDurableObjects`, plus what no emulator offers: a reset that
// behaves as a production code update, and inspection of each object's lifecycle state.

extension DurableObjectRuntime {
    /// Every binding with its objects: those used since the runtime started and those that only
    /// exist on disk.
    package func list() -> [NamespaceInfo] {
        bindings.compactMap { binding, className in
            guard let namespace = namespacesByClass[className] else { return nil }
            return NamespaceInfo(binding: binding, className: className, objects: objects(of: namespace))
        }
    }

    /// The objects `target` names in `binding` (one for a name or an id, all for `.all`).
    package func inspect(binding: String, target: ObjectTarget) throws -> [ObjectInfo] {
        let namespace = try namespace(binding: binding)
        switch target {
        case .all:
            return objects(of: namespace)
        case .name, .id:
            let id = try self.id(target, in: namespace)
            return [namespace.existingContainer(id.hex)?.info() ?? inactive(id, alarm: namespace.context.alarms.get(id))]
        }
    }

    /// Evicts the objects `target` names, as production evicts an idle object but at once:
    /// waits (up to `evictionTimeout`) for their events in flight, admitting none meanwhile,
    /// then drops each instance. Storage is kept; the next event constructs a new instance.
    /// Plain WebSockets close as dropped (1006); hibernatable ones are kept open (`.hibernate`)
    /// or closed the same way (`.close`).
    ///
    /// - Returns: the ids of the objects that were in memory (empty when none was).
    @discardableResult
    package func evict(binding: String, target: ObjectTarget, webSockets: WebSocketDisposition = .hibernate) async throws
        -> [DurableObjectId]
    {
        let containers = try containers(binding: binding, target: target)
        return try await withThrowingTaskGroup(of: DurableObjectId?.self) { group in
            for container in containers {
                group.addTask { try await container.evict(webSockets: webSockets) ? container.id : nil }
            }
            return try await group.reduce(into: []) { ids, id in if let id { ids.append(id) } }
                .sorted { $0.hex < $1.hex }
        }
    }

    /// Resets the objects `target` names as a code update does in production: events in flight
    /// fail with "Durable Object reset because its code was updated." (`durableObjectReset`),
    /// every WebSocket, hibernatable ones included, is closed as dropped (1006), the instance
    /// becomes stale (its storage throws). Storage is kept.
    ///
    /// - Returns: the ids of the objects that had an instance, sockets or events to reset.
    @discardableResult
    package func reset(binding: String, target: ObjectTarget) async throws -> [DurableObjectId] {
        let containers = try containers(binding: binding, target: target)
        return containers
            .filter { $0.reset(.codeUpdated, log: "reset (code update)") }
            .map(\.id)
            .sorted { $0.hex < $1.hex }
    }

    /// vitest's `runInDurableObject(stub, (instance, state) => ...)`: runs `body` inside the
    /// object, through its input gate, as one event. Errors are rethrown as `body` threw them.
    package func runInDurableObject<Object: DurableObject, T: Sendable>(
        _ stub: DurableObjectStub<Object>,
        _ body: nonisolated(nonsending) @escaping @Sendable (Object, DurableObjectState) async throws -> T
    ) async throws -> T {
        try await stub.container().dispatch(errors: .original) { instance in
            guard let object = instance.object as? Object else {
                fatalError("the namespace of \(Object.self) constructed a \(type(of: instance.object))")
            }
            return try await body(object, instance.state)
        }
    }

    /// `runInDurableObject` by binding and id, for callers that do not know the class.
    package func runInDurableObject<T: Sendable>(
        binding: String, id: DurableObjectId,
        _ body: nonisolated(nonsending) @escaping @Sendable (any DurableObject, DurableObjectState) async throws -> T
    ) async throws -> T {
        let namespace = try namespace(binding: binding)
        guard namespace.ids.owns(id) else { throw DurableObjectError.idNotInNamespace }
        return try await namespace.container(for: id).dispatch(errors: .original) { instance in
            try await body(instance.object, instance.state)
        }
    }

    // MARK: Helpers

    private func objects(of namespace: ActorNamespace) -> [ObjectInfo] {
        let live = namespace.allContainers.filter(\.hasHistory).map { $0.info() }
        let liveIDs = Set(live.map(\.id.hex))
        let names = (try? namespace.context.metadata.names()) ?? [:]
        let onDisk = namespace.idsOnDisk().filter { !liveIDs.contains($0) }.map { hex in
            let id = DurableObjectId(hex: hex, name: names[hex])
            return inactive(id, alarm: namespace.context.alarms.get(id))
        }
        return (live + onDisk).sorted { ($0.name ?? "", $0.id.hex) < ($1.name ?? "", $1.id.hex) }
    }

    private func inactive(_ id: DurableObjectId, alarm: Date?) -> ObjectInfo {
        ObjectInfo(
            id: id, state: .inactive, sockets: 0, hibernatableSockets: 0, constructions: 0, inFlight: 0, queued: 0, alarm: alarm)
    }

    private func id(_ target: ObjectTarget, in namespace: ActorNamespace) throws -> DurableObjectId {
        switch target {
        case .name(let name): return namespace.ids.idFromName(name)
        case .id(let hex): return try namespace.ids.idFromString(hex)
        case .all: fatalError("`.all` names no single object")
        }
    }

    private func containers(binding: String, target: ObjectTarget) throws -> [ActorContainer] {
        let namespace = try namespace(binding: binding)
        if case .all = target { return namespace.allContainers }
        let id = try self.id(target, in: namespace)
        return namespace.existingContainer(id.hex).map { [$0] } ?? []
    }
}
