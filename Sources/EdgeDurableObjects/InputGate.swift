import DequeModule
import Synchronization

// The input gate of one Durable Object (after workerd's `src/workerd/io/io-gate.h`).
//
// JavaScript runs one piece of an object's code at a time: an event runs until it awaits, and
// only then can another event start or resume. workerd adds an *input gate* on top: while it is
// locked, no new event is delivered except to whoever holds the lock. `blockConcurrencyWhile`
// holds it for the duration of its callback, so an object can load its state, or run a
// read-modify-write across awaits, without any other request observing the middle.
//
// A Swift actor already runs one piece of code at a time and interleaves only at awaits, like
// the JavaScript object. What it lacks is order and the lock, because a task calling into an
// actor may overtake another that called first, and an actor method cannot shut the door. So
// every event passes through this gate in three steps:
//
//  1. `enqueue()` takes a ticket, in the order events arrive (synchronously, before any await).
//  2. `admit(ticket)` waits until the ticket is first in line, no event is between admission and
//     delivery, the gate is not locked, and no eviction has paused it. One event at a time is
//     then "admitting": it may construct the instance (so a constructor runs once, however many
//     events arrive together) and it hops onto the object's actor.
//  3. `entered(ticket)` is called *on the actor's executor*, before the handler starts. It lets
//     the next ticket through. That next event can reach the actor only after this one has
//     started on it, so the actor sees events in ticket order; the handler then runs until its
//     first await, exactly as in JavaScript. An event that finds the gate locked at this point
//     (a lock taken after it was admitted) waits there without running.
//
// `exclusively(generation:)` is the lock: `blockConcurrencyWhile` and `storage.transaction` run
// inside it. It is taken at once when free, waits otherwise, and is re-entrant for the task that
// holds it (a task-local records the holder), up to workerd's 64 nested levels. While it is held,
// no event is admitted or enters the object. Unlike workerd, events that already started and are
// suspended at an await are not held back when they resume: Swift offers no hook for that.
//
// Each instance of the object is a *generation*. When an instance is dropped (evicted, reset),
// the gate moves to the next generation: locks and waiters of the old one are released, so a
// stale instance can neither hold the gate nor take it again.

/// The input gate of one Durable Object: events enter one at a time, in order, and
/// `blockConcurrencyWhile` locks out everything else.
final class InputGate: Sendable {
    /// A place in line, taken when an event arrives.
    struct Ticket: Sendable, Hashable {
        fileprivate let number: Int
    }

    /// The lock the current task holds, for nested `blockConcurrencyWhile` calls.
    struct Holder: Sendable {
        let gate: ObjectIdentifier
        let token: Int
        let depth: Int
    }

    /// workerd's limit on nested `blockConcurrencyWhile` calls.
    static let maxNesting = 64

    @TaskLocal static var holder: Holder?

    private enum Blocked {
        /// An event that entered while the gate was locked.
        case enter(CheckedContinuation<Bool, Never>)
        /// A `blockConcurrencyWhile` waiting for the lock, with the token it will hold.
        case lock(Int, CheckedContinuation<Bool, Never>)
    }

    private struct State {
        var generation = 0
        var line = Deque<(number: Int, continuation: CheckedContinuation<Void, Never>?)>()
        var nextNumber = 0
        var admitting: Int?
        var lockToken: Int?
        var nextToken = 0
        var blocked = Deque<Blocked>()
        var paused = 0

        var canAdmit: Bool { admitting == nil && lockToken == nil && paused == 0 }

        /// Admits the first in line if it is waiting and nothing stands in the way.
        mutating func nextAdmission() -> CheckedContinuation<Void, Never>? {
            guard canAdmit, let first = line.first, let continuation = first.continuation else { return nil }
            line.removeFirst()
            admitting = first.number
            return continuation
        }
    }

    private let state = Mutex(State())

    /// Events waiting to be admitted (for inspection).
    var queued: Int { state.withLock { $0.line.count } }

    // MARK: Admission

    /// Takes a place in line.
    func enqueue() -> Ticket {
        state.withLock { state in
            let number = state.nextNumber
            state.nextNumber += 1
            state.line.append((number, nil))
            return Ticket(number: number)
        }
    }

    /// Waits until `ticket` may be delivered.
    func admit(_ ticket: Ticket) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now: Bool = state.withLock { state in
                guard let index = state.line.firstIndex(where: { $0.number == ticket.number }) else { return true }
                state.line[index].continuation = continuation
                guard index == 0, state.canAdmit else { return false }
                state.line.removeFirst()
                state.admitting = ticket.number
                return true
            }
            if now { continuation.resume() }
        }
    }

    /// The admitted event has reached the object (or gave up): the next one may come. Calling it
    /// again for the same ticket does nothing.
    func entered(_ ticket: Ticket) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.admitting == ticket.number else { return nil }
            state.admitting = nil
            return state.nextAdmission()
        }
        next?.resume()
    }

    /// Waits, on the caller's executor, while another holder has the gate locked. Returns
    /// `false` when the instance of `generation` was dropped meanwhile.
    nonisolated(nonsending) func waitWhileLocked(generation: Int) async -> Bool {
        let immediate: Bool? = state.withLock { state in
            guard state.generation == generation else { return false }
            return state.lockToken == nil ? true : nil
        }
        if let immediate { return immediate }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let now: Bool? = state.withLock { state in
                guard state.generation == generation else { return false }
                guard state.lockToken != nil else { return true }
                state.blocked.append(.enter(continuation))
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    // MARK: The lock

    /// Runs `body` holding the gate exclusively (see the opening comment). Nested calls from the
    /// holding task join its lock. `onThrow` runs, still holding it, when `body` throws.
    nonisolated(nonsending) func exclusively<T>(
        generation: Int,
        onThrow: (any Error) -> Void = { _ in },
        _ body: nonisolated(nonsending) () async throws -> T
    ) async throws -> T {
        if let holder = Self.holder, holder.gate == ObjectIdentifier(self), holds(holder.token) {
            guard holder.depth < Self.maxNesting else { throw DurableObjectError.nestedTooDeeply }
            let nested = Holder(gate: holder.gate, token: holder.token, depth: holder.depth + 1)
            return try await Self.$holder.withValue(nested) { try await body() }
        }
        let token = try await lock(generation: generation)
        return try await run(holding: token, onThrow: onThrow, body)
    }

    /// Runs `body` holding a lock already taken with ``tryLock(generation:)`` or
    /// ``lock(generation:)``, then releases it.
    nonisolated(nonsending) func run<T>(
        holding token: Int, onThrow: (any Error) -> Void = { _ in },
        _ body: nonisolated(nonsending) () async throws -> T
    ) async throws -> T {
        let holder = Holder(gate: ObjectIdentifier(self), token: token, depth: 1)
        do {
            let value = try await Self.$holder.withValue(holder) { try await body() }
            unlock(token)
            return value
        } catch {
            onThrow(error)
            unlock(token)
            throw error
        }
    }

    /// Takes the lock now if it is free (a constructor's `blockConcurrencyWhile` must hold the
    /// gate before the event that constructed the object enters).
    func tryLock(generation: Int) -> Int? {
        state.withLock { state in
            guard state.generation == generation, state.lockToken == nil else { return nil }
            let token = state.nextToken
            state.nextToken += 1
            state.lockToken = token
            return token
        }
    }

    /// Takes the lock, waiting for the current holder to release it.
    nonisolated(nonsending) func lock(generation: Int) async throws(DurableObjectError) -> Int {
        if let token = tryLock(generation: generation) { return token }
        let token = state.withLock { state in
            defer { state.nextToken += 1 }
            return state.nextToken
        }
        let granted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let now: Bool? = state.withLock { state in
                guard state.generation == generation else { return false }
                if state.lockToken == nil {
                    state.lockToken = token
                    return true
                }
                state.blocked.append(.lock(token, continuation))
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
        guard granted else { throw .instanceInactive }
        return token
    }

    /// Releases the lock `token` holds (nothing if it no longer does).
    func unlock(_ token: Int) {
        let (waiters, admission) = state.withLock { state -> ([(CheckedContinuation<Bool, Never>, Bool)], CheckedContinuation<Void, Never>?) in
            guard state.lockToken == token else { return ([], nil) }
            state.lockToken = nil
            var waiters: [(CheckedContinuation<Bool, Never>, Bool)] = []
            while !state.blocked.isEmpty, state.lockToken == nil {
                switch state.blocked.removeFirst() {
                case .enter(let continuation):
                    waiters.append((continuation, true))
                case .lock(let next, let continuation):
                    state.lockToken = next
                    waiters.append((continuation, true))
                }
            }
            return (waiters, state.nextAdmission())
        }
        waiters.forEach { $0.0.resume(returning: $0.1) }
        admission?.resume()
    }

    private func holds(_ token: Int) -> Bool {
        state.withLock { $0.lockToken == token }
    }

    // MARK: Eviction and generations

    /// Stops admitting events (an eviction is waiting for those in flight).
    func pause() {
        state.withLock { $0.paused += 1 }
    }

    /// Admits events again.
    func resume() {
        let admission = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.paused -= 1
            return state.nextAdmission()
        }
        admission?.resume()
    }

    /// Moves to the instance `generation`: the old instance's lock and waiters are released
    /// (waiters learn that their instance is gone). Never moves back: a teardown finishing after
    /// the next instance was constructed (an event admitted between the two) finds the gate
    /// already past it, and must not make the new instance's storage look stale.
    func advance(to generation: Int) {
        let (waiters, admission) = state.withLock { state -> ([CheckedContinuation<Bool, Never>], CheckedContinuation<Void, Never>?) in
            guard generation > state.generation else { return ([], nil) }
            state.generation = generation
            state.lockToken = nil
            let waiters = state.blocked.map { blocked in
                switch blocked {
                case .enter(let continuation), .lock(_, let continuation): continuation
                }
            }
            state.blocked = []
            return (waiters, state.nextAdmission())
        }
        waiters.forEach { $0.resume(returning: false) }
        admission?.resume()
    }
}
