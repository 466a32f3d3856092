import EdgeRuntime
import Foundation

/// The body of an event: runs on the object's executor, given the live instance.
typealias EventBody<R> = nonisolated(nonsending) @Sendable (ActorContainer.Instance) async throws -> R

extension ActorContainer {
    /// How an event's errors reach its caller.
    enum Errors {
        /// As across a stub: a `DurableObjectError` with `remote` set.
        case crossingStub
        /// As thrown (`runInDurableObject`, like vitest's helper).
        case original
    }

    /// Delivers one event through the input gate (constructing the instance if needed) and
    /// returns its result. A reset fails it at once, even while its handler still runs.
    func dispatch<R: Sendable>(errors: Errors = .crossingStub, _ body: @escaping EventBody<R>) async throws -> R {
        let outcome = OneShot<R>()
        try start(outcome, errors: errors, body)
        return try await outcome.value
    }

    /// Delivers an event nobody waits for (WebSocket events); a failure is logged. With
    /// `generation`, the event is for that instance only: dropped if it is no longer live when
    /// the event's turn comes (instead of constructing a new one).
    func post(_ handler: String, generation: Int? = nil, _ body: @escaping EventBody<Void>) {
        let outcome = OneShot<Void>()
        do {
            try start(outcome, errors: .crossingStub, generation: generation, body)
        } catch {
            return
        }
        let logger = self.logger
        let label = self.label
        Task {
            do {
                try await outcome.value
            } catch let error as DurableObjectError where error.underlying is InstanceGone {
                return
            } catch {
                logger.error("\(label): \(handler) threw: \(error)")
            }
        }
    }

    private func start<R: Sendable>(
        _ outcome: OneShot<R>, errors: Errors, generation: Int? = nil, _ body: @escaping EventBody<R>
    ) throws {
        guard state.withLock({ !$0.shutDown }) else { throw DurableObjectError.shutDown }
        if let faults = context.host.faults { injectAtEvent(faults) }
        let ticket = gate.enqueue()
        let activity = context.host.activity
        activity.begin()
        let handle = TaskHandle()
        handle.set(Task {
            // An event is never part of the `blockConcurrencyWhile` of the task that sent it.
            await InputGate.$holder.withValue(nil) { await self.run(ticket, outcome, handle, errors, generation, body) }
            activity.end()
        })
    }

    private func run<R: Sendable>(
        _ ticket: InputGate.Ticket, _ outcome: OneShot<R>, _ handle: TaskHandle, _ errors: Errors,
        _ generation: Int?, _ body: @escaping EventBody<R>
    ) async {
        await gate.admit(ticket)
        let fail: @Sendable (DurableObjectError) -> Void = { outcome.resolve(.failure($0)) }
        let eventID: Int
        let instance: Instance
        do {
            (eventID, instance) = try begin(fail: fail, task: handle, requiring: generation)
        } catch {
            gate.entered(ticket)
            outcome.resolve(.failure(DurableObjectError.hostError(error)))
            return
        }
        let event = EventContext()
        let result = await deliver(to: instance, ticket) {
            try await EventContext.$current.withValue(event) {
                try await WebSocketListenerHosting.$current.withValue(listenerHost(instance.generation)) {
                    try await IoContext.$current.withValue(instance.io) { try await body(instance) }
                }
            }
        }
        gate.entered(ticket)
        // The event ends (re-arming the idle timer) before its caller resumes, so a caller that
        // then advances a virtual clock finds the timer already set.
        end(eventID)
        switch result {
        case .success(let value):
            if let misuse = event.recorded {
                outcome.resolve(.failure(errors == .original ? misuse : DurableObjectError.crossingStub(misuse)))
                Self.discard(value, reason: misuse.message)
            } else if !outcome.resolve(.success(value)) {
                // The event already failed (a reset): its caller has the error, and the response
                // the stale instance went on to return reaches nobody.
                Self.discard(value, reason: "The call failed before its response was returned.")
            }
        case .failure(let failure as HandlerFailure):
            outcome.resolve(.failure(errors == .original ? failure.error : DurableObjectError.crossingStub(failure.error)))
        case .failure(let error):
            outcome.resolve(.failure(DurableObjectError.hostError(error)))
        }
    }

    /// Registers an admitted event, constructing the instance if there is none (unless the event
    /// requires the instance `required`, which must still be live).
    private func begin(
        fail: @escaping @Sendable (DurableObjectError) -> Void, task: TaskHandle, requiring required: Int?
    ) throws -> (Int, Instance) {
        let now = clock.now
        let ready: (Int, Instance?, Int) = try state.withLock { state in
            if state.shutDown { throw DurableObjectError.shutDown }
            if let required, state.instance?.generation != required { throw InstanceGone() }
            let eventID = state.takeToken()
            if let instance = state.instance {
                state.events[eventID] = InFlight(generation: instance.generation, fail: fail, task: task)
                apply(state.lifecycle.began(.event, at: now), to: &state)
                return (eventID, instance, instance.generation)
            }
            state.generation += 1
            state.events[eventID] = InFlight(generation: state.generation, fail: fail, task: task)
            return (eventID, nil, state.generation)
        }
        let (eventID, existing, generation) = ready
        if let existing { return (eventID, existing) }
        do {
            let instance = try construct(generation: generation)
            do {
                try install(instance)
            } catch {
                instance.file.close(because: error)
                throw error
            }
            return (eventID, instance)
        } catch {
            end(eventID)
            throw error
        }
    }

    /// Ends an event (nothing if a reset already failed it).
    func end(_ eventID: Int) {
        let now = clock.now
        let drained: [OneShot<Void>] = state.withLock { state in
            guard let event = state.events.removeValue(forKey: eventID) else { return [] }
            if state.instance?.generation == event.generation {
                apply(state.lifecycle.ended(.event, at: now), to: &state)
            }
            guard state.events.isEmpty else { return [] }
            defer { state.drainWaiters = [] }
            return state.drainWaiters
        }
        drained.forEach { $0.resolve(.success(())) }
    }

    // MARK: Delivery

    /// Runs `operation` on the object's actor (when it is one), after telling the gate that the
    /// event has entered; see `InputGate` for why that order matters.
    private func deliver<R: Sendable>(
        to instance: Instance, _ ticket: InputGate.Ticket, _ operation: nonisolated(nonsending) @Sendable () async throws -> R
    ) async -> Result<R, any Error> {
        if let actor = instance.object as? any Actor {
            return await Self.deliver(on: actor, gate, ticket, instance.generation, operation)
        }
        return await Self.enter(gate, ticket, instance.generation, operation)
    }

    private static func deliver<R: Sendable>(
        on actor: isolated any Actor, _ gate: InputGate, _ ticket: InputGate.Ticket, _ generation: Int,
        _ operation: nonisolated(nonsending) @Sendable () async throws -> R
    ) async -> Result<R, any Error> {
        await enter(gate, ticket, generation, operation)
    }

    nonisolated(nonsending) private static func enter<R: Sendable>(
        _ gate: InputGate, _ ticket: InputGate.Ticket, _ generation: Int,
        _ operation: nonisolated(nonsending) @Sendable () async throws -> R
    ) async -> Result<R, any Error> {
        gate.entered(ticket)
        guard await gate.waitWhileLocked(generation: generation) else {
            return .failure(DurableObjectError.instanceInactive)
        }
        do {
            return .success(try await operation())
        } catch {
            return .failure(HandlerFailure(error: error))
        }
    }

    /// Lets go of a result its caller never receives. A response's body is cancelled and its
    /// WebSocket aborted, as when the connection that carried it drops: otherwise a stream the
    /// object still writes to (and whose cancel handler holds the object) lives on unread.
    static func discard(_ value: some Sendable, reason: String) {
        guard let response = value as? Response else { return }
        response.webSocket?.abort()
        response.body.cancel(reason: reason)
    }

    // MARK: Responses that keep the object alive

    /// Tracks what a response returned by `fetch` keeps open: a plain WebSocket (until it
    /// closes) and a streaming body (until it is read to the end or cancelled).
    func adopt(_ response: Response, generation: Int) {
        let now = clock.now
        if let client = response.webSocket, let server = client.peer {
            let key = ObjectIdentifier(server)
            let tracked = state.withLock { state in
                guard state.generation == generation, state.instance != nil, state.hosted[key] == nil,
                    state.plainSockets[key] == nil
                else { return false }
                state.plainSockets[key] = server
                apply(state.lifecycle.began(.plainSocket, at: now), to: &state)
                return true
            }
            if tracked {
                server.observeMessages { [weak self] in self?.plainSocketReceived(generation: generation) }
                server.onClose { [weak self] in self?.plainSocketClosed(key, generation: generation) }
            }
        }
        if response.body.knownLength == nil {
            let body = response.body
            let token: Int? = state.withLock { state in
                guard state.generation == generation, state.instance != nil else { return nil }
                let token = state.takeToken()
                state.streams[token] = body
                apply(state.lifecycle.began(.stream, at: now), to: &state)
                return token
            }
            if let token { body.onTermination { [weak self] in self?.streamEnded(token, generation: generation) } }
        }
    }

    private func plainSocketClosed(_ key: ObjectIdentifier, generation: Int) {
        let now = clock.now
        state.withLock { state in
            guard state.generation == generation, state.plainSockets.removeValue(forKey: key) != nil else { return }
            apply(state.lifecycle.ended(.plainSocket, at: now), to: &state)
        }
    }

    private func streamEnded(_ token: Int, generation: Int) {
        let now = clock.now
        state.withLock { state in
            guard state.generation == generation, state.streams.removeValue(forKey: token) != nil else { return }
            apply(state.lifecycle.ended(.stream, at: now), to: &state)
        }
    }

    // MARK: waitUntil

    /// `ctx.waitUntil(work)` of the instance `generation`: keeps it in memory until the work
    /// settles. A stale instance's work runs, untracked.
    func waitUntil(generation: Int, _ work: @escaping @Sendable () async throws -> Void) {
        let now = clock.now
        let handle = TaskHandle()
        let token: Int? = state.withLock { state in
            guard state.generation == generation, !state.shutDown else { return nil }
            let token = state.takeToken()
            state.waitUntil[token] = handle
            apply(state.lifecycle.began(.waitUntil, at: now), to: &state)
            return token
        }
        let activity = context.host.activity
        let logger = self.logger
        let label = self.label
        activity.begin()
        handle.set(Task {
            do { try await work() } catch { logger.error("\(label): waitUntil work threw: \(error)") }
            if let token { self.waitUntilEnded(token, generation: generation) }
            activity.end()
        })
    }

    private func waitUntilEnded(_ token: Int, generation: Int) {
        let now = clock.now
        state.withLock { state in
            guard state.generation == generation, state.waitUntil.removeValue(forKey: token) != nil else { return }
            apply(state.lifecycle.ended(.waitUntil, at: now), to: &state)
        }
    }

    // MARK: Alarms

    /// Runs the object's `alarm()` as an event, for the ``AlarmScheduler``.
    func runAlarm(_ info: AlarmInfo) async -> AlarmScheduler.Outcome {
        do {
            try await dispatch { try await $0.object.alarm(info) }
            return .succeeded
        } catch let error as DurableObjectError {
            if error.underlying is AlarmHandlerMissing {
                logger.warning("\(label): Attempted to run a scheduled alarm without a handler")
                return .noHandler
            }
            logger.warning("\(label): alarm() threw: \(error)")
            return .failed(countsAgainstLimit: error.remote)
        } catch {
            return .failed(countsAgainstLimit: true)
        }
    }
}

/// An event for one instance found another (or none) live: it is dropped.
struct InstanceGone: Error {}

/// An error thrown by object code (as opposed to one raised by the host).
struct HandlerFailure: Error {
    let error: any Error
}
