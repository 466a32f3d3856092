import EdgeRuntime

// Forced eviction and reset injected by a fault plan (`FaultPlan` in EdgeRuntime), at two points:
//
// | point | asked | an eviction (`evict-hibernate`, `evict-close`) | a reset (`reset`) |
// |---|---|---|---|
// | an event reaches the object (`start`) | before the event takes its place in line | the gate pauses at once, so this event and later ones wait; the instance goes once the events in flight end | events in flight fail with "Durable Object reset because its code was updated."; this event constructs a new instance |
// | object code awaits D1, a stub or `fetch` (its `IoContext`) | between two awaits of a request | the same: the request goes on, the instance goes when it ends | the request fails at once (its caller gets the reset error), its code goes on as a stale instance whose storage throws |
//
// Both are the operations of the control surface (`evict`, `reset`), logged with
// "(injected fault)" and recorded in the plan.

extension ActorContainer {
    /// An event is about to reach this object: evict or reset it first, if the plan says so.
    func injectAtEvent(_ faults: FaultPlan) {
        if let roll = faults.firstFiring([.reset, .evictClose, .evictHibernate], at: .objectEvent) {
            apply(roll, faults)
        }
    }

    /// A fault drawn at an await of the instance `generation` (still the live one).
    func interrupt(_ roll: FaultPlan.Roll, generation: Int) {
        guard isCurrent(generation), let faults = context.host.faults else { return }
        apply(roll, faults)
    }

    private func apply(_ roll: FaultPlan.Roll, _ faults: FaultPlan) {
        switch roll.kind {
        case .reset:
            if reset(.codeUpdated, log: "reset (code update, injected fault)") {
                faults.record(roll, "\(label): \(DurableObjectError.codeUpdated.message)")
            }
        case .evictHibernate, .evictClose:
            let webSockets: WebSocketDisposition = roll.kind == .evictClose ? .close : .hibernate
            guard state.withLock({ $0.instance != nil && !$0.shutDown }) else { return }
            gate.pause()
            faults.record(roll, "\(label): evicted (websockets: \(webSockets.rawValue))")
            let activity = context.host.activity
            activity.begin()
            Task {
                do {
                    _ = try await evictPaused(webSockets: webSockets, by: "(injected fault)")
                } catch {
                    logger.warning("\(label): injected eviction gave up: \(error)")
                }
                activity.end()
            }
        default:
            break
        }
    }
}
