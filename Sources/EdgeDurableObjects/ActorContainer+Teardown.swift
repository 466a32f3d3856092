import EdgeRuntime
import Foundation

// How an instance leaves memory. The idle timer, a forced eviction, a reset (code update,
// `ctx.abort()`, a throw inside `blockConcurrencyWhile`) and shutdown all end in
// `takeInstance`, which detaches everything of the instance under the lock, then `perform`,
// which closes it outside the lock:
//
// | cause              | in-flight events          | storage of the stale instance | plain WebSockets | hibernatable WebSockets        |
// |--------------------|---------------------------|-------------------------------|------------------|--------------------------------|
// | idle timer         | none (it is idle)         | "Connection closed: ..."      | 1006             | kept (hibernated)              |
// | evict, hibernate   | waited for (30 s)         | "Connection closed: ..."      | 1006             | kept (hibernated)              |
// | evict, close       | waited for (30 s)         | "Connection closed: ..."      | 1006             | 1006                           |
// | reset / abort      | fail with the reset error | the reset error               | 1006             | 1006                           |
// | shutdown           | fail ("has shut down")    | "has shut down"               | 1001 Going Away  | 1001 Going Away                |
//
// 1006 (abnormal closure, `wasClean` false) is what a client sees when a connection is dropped
// without a Close frame: what workerd's clients see when an actor is evicted or reset with its
// sockets, and what the reference recommends. Streaming responses still open are cancelled.

extension ActorContainer {
    /// Why an instance is removed.
    enum Cause {
        case idle
        case evict(WebSocketDisposition)
        case reset(DurableObjectError)
        case shutdown
    }

    /// Everything detached from a removed instance, to close outside the lock.
    struct Removal {
        let label: String
        let file: SQLiteFile?
        /// The instance's context: its `setTimeout` / `setInterval` timers end with it.
        let io: IoContext?
        let generation: Int
        let storageError: DurableObjectError
        let failed: [InFlight]
        let failure: DurableObjectError?
        /// Evictions waiting for the failed events.
        let drained: [OneShot<Void>]
        let tasks: [TaskHandle]
        let plainSockets: [WebSocket]
        let streams: [ReadableStream]
        let hostedSockets: [WebSocket]
        let cause: Cause
        let log: String?
    }

    /// Detaches the instance and what it holds (call holding the lock).
    func takeInstance(_ state: inout State, _ cause: Cause, log: String?) -> Removal {
        let file = state.instance?.file
        let io = state.instance?.io
        state.instance = nil
        state.generation += 1
        let closesHosted: Bool
        let storageError: DurableObjectError
        let failure: DurableObjectError?
        switch cause {
        case .idle, .evict(.hibernate):
            (closesHosted, storageError, failure) = (false, .instanceInactive, nil)
        case .evict(.close):
            (closesHosted, storageError, failure) = (true, .instanceInactive, nil)
        case .reset(let error):
            (closesHosted, storageError, failure) = (true, error, error)
        case .shutdown:
            (closesHosted, storageError, failure) = (true, .shutDown, .shutDown)
        }
        let failed = failure == nil ? [] : Array(state.events.values)
        var drained: [OneShot<Void>] = []
        if failure != nil {
            state.events = [:]
            drained = state.drainWaiters
            state.drainWaiters = []
        }
        let hosted = closesHosted ? state.hosted.values.sorted { $0.order < $1.order }.map(\.socket) : []
        if closesHosted {
            state.hosted = [:]
            state.socketLists = [:]
            state.autoResponse = nil
            state.lifecycle.hibernatableSocketsChanged(to: 0)
        }
        let removal = Removal(
            label: state.id.label(className: context.className), file: file, io: io, generation: state.generation,
            storageError: storageError, failed: failed, failure: failure, drained: drained,
            tasks: Array(state.waitUntil.values), plainSockets: Array(state.plainSockets.values),
            streams: Array(state.streams.values), hostedSockets: hosted, cause: cause, log: log)
        state.waitUntil = [:]
        state.plainSockets = [:]
        state.streams = [:]
        state.idleTimer?.work.cancel()
        state.idleTimer = nil
        state.lifecycle.dropped()
        return removal
    }

    /// Closes what `takeInstance` detached: storage first, so stale code cannot write.
    func perform(_ removal: Removal) {
        removal.file?.close(because: removal.storageError)
        gate.advance(to: removal.generation)
        if let failure = removal.failure {
            for event in removal.failed {
                event.fail(failure)
                event.task.cancel()
            }
        }
        removal.drained.forEach { $0.resolve(.success(())) }
        removal.tasks.forEach { $0.cancel() }
        removal.io?.closeTimers()
        let reason: String
        switch removal.cause {
        case .reset: reason = DurableObjectError.socketResetReason
        default: reason = "WebSocket disconnected without sending Close frame."
        }
        for socket in removal.plainSockets + removal.hostedSockets {
            if case .shutdown = removal.cause {
                socket.close(code: WebSocketCloseCode.goingAway, reason: "Going Away")
            } else {
                socket.abort(reason: reason)
            }
        }
        removal.streams.forEach { $0.cancel(reason: "the Durable Object that was writing this body is no longer active") }
        if let log = removal.log { logger.info("\(removal.label): \(log)") }
    }

    // MARK: Forced operations

    /// Evicts the instance, if one is running: waits (up to `evictionTimeout`) for the events in
    /// flight, admitting no new ones meanwhile, then removes it. Returns whether it did.
    func evict(webSockets: WebSocketDisposition) async throws -> Bool {
        guard state.withLock({ $0.instance != nil }) else { return false }
        gate.pause()
        return try await evictPaused(webSockets: webSockets, by: "by request")
    }

    /// The rest of an eviction once the gate is paused (resumed here): an injected eviction
    /// pauses at once, so the event that asked for it queues behind it, and finishes in a task.
    func evictPaused(webSockets: WebSocketDisposition, by cause: String) async throws -> Bool {
        defer { gate.resume() }
        try await drain()
        let removal: Removal? = state.withLock { state in
            guard state.instance != nil else { return nil }
            let kept = state.hosted.count
            let plain = state.plainSockets.count
            var details: [String] = []
            if kept > 0 {
                let sockets = kept == 1 ? "1 socket" : "\(kept) sockets"
                details.append(webSockets == .hibernate ? "\(sockets) kept" : "\(sockets) closed")
            }
            if plain > 0 { details.append(plain == 1 ? "1 WebSocket closed" : "\(plain) WebSockets closed") }
            let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
            let verb = webSockets == .hibernate && kept > 0 ? "hibernated" : "evicted"
            return takeInstance(&state, .evict(webSockets), log: "\(verb) \(cause)\(suffix)")
        }
        guard let removal else { return false }
        perform(removal)
        return true
    }

    /// Waits until no event is in flight, or fails after `evictionTimeout`.
    private func drain() async throws {
        let waiter = OneShot<Void>()
        let idle = state.withLock { state in
            if state.events.isEmpty { return true }
            state.drainWaiters.append(waiter)
            return false
        }
        if idle { return }
        let timeout = clock.schedule(at: clock.now + context.host.settings.evictionTimeout) {
            waiter.resolve(.failure(DurableObjectError.evictionTimedOut))
        }
        defer { timeout.cancel() }
        try await waiter.value
    }

    /// Resets the object: in-flight events fail with `error`, every WebSocket (hibernatable ones
    /// included) is closed, the instance becomes stale; storage is kept. Returns whether there
    /// was anything to reset.
    @discardableResult
    func reset(_ error: DurableObjectError, log: String) -> Bool {
        let removal: Removal? = state.withLock { state in
            guard state.instance != nil || !state.hosted.isEmpty || !state.events.isEmpty else { return nil }
            let sockets = state.hosted.count + state.plainSockets.count
            let events = state.events.count
            var details: [String] = []
            if events > 0 { details.append(events == 1 ? "1 event failed" : "\(events) events failed") }
            if sockets > 0 { details.append(sockets == 1 ? "1 socket closed" : "\(sockets) sockets closed") }
            let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
            return takeInstance(&state, .reset(error), log: log + suffix)
        }
        guard let removal else { return false }
        perform(removal)
        return true
    }

    /// Resets the instance `generation` (if it is still the current one): `ctx.abort()`, or a
    /// throw inside `blockConcurrencyWhile`.
    func reset(generation: Int, _ error: DurableObjectError, log: String) {
        guard isCurrent(generation) else { return }
        reset(error, log: log)
    }

    /// Removes the instance and closes every socket with 1001 Going Away.
    func shutdown() {
        let removal: Removal = state.withLock { state in
            state.shutDown = true
            return takeInstance(&state, .shutdown, log: nil)
        }
        perform(removal)
    }
}
