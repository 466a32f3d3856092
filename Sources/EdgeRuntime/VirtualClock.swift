import Foundation
import Synchronization

/// A clock that moves only when a test advances it.
///
/// Timers (``schedule(at:_:)``, and the `sleep(until:)` of tasks waiting on it) come due only
/// inside ``advance(by:)`` / ``advance(to:)``, which runs them one at a time in deadline order
/// (equal deadlines in the order they were set), setting ``now`` to each deadline first, and
/// awaits each one's work before the next. Work that sets a timer that is due before the target
/// runs in the same call. So after `await clock.advance(by: .seconds(10))` every idle eviction,
/// alarm and retry due within those 10 s has run to completion, in order, deterministically.
///
/// Call `advance` from one task at a time. Work that waits for something only the test can do
/// (a request held open by the test) makes `advance` wait for it too.
public final class VirtualClock: EdgeClock {
    private struct Timer {
        let id: Int
        let deadline: Date
        let work: @Sendable () async -> Void
    }

    private struct State {
        var now: Date
        var timers: [Timer] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    /// Creates a clock reading `now` (by default 2026-01-01T00:00:00Z, so runs are repeatable).
    public init(now: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        state = Mutex(State(now: now))
    }

    /// The virtual time.
    public var now: Date { state.withLock { $0.now } }

    /// The earliest deadline of a pending timer.
    public var nextDeadline: Date? { state.withLock { $0.timers.map(\.deadline).min() } }

    /// How many timers are pending.
    public var pendingTimers: Int { state.withLock { $0.timers.count } }

    /// Registers `work` to run when an `advance` reaches `deadline`.
    public func schedule(at deadline: Date, _ work: @escaping @Sendable () async -> Void) -> ScheduledWork {
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.timers.append(Timer(id: id, deadline: deadline, work: work))
            return id
        }
        return ScheduledWork { [weak self] in
            self?.state.withLock { $0.timers.removeAll { $0.id == id } }
        }
    }

    /// Suspends until an `advance` reaches `deadline`.
    public func sleep(until deadline: Date) async throws {
        let waiter = SleepWaiter()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                waiter.start(continuation) { self.schedule(at: deadline) { waiter.finish(.success(())) } }
            }
        } onCancel: {
            waiter.finish(.failure(CancellationError()))
        }
    }

    /// Moves the clock forward by `duration`, running every timer that comes due.
    public func advance(by duration: Duration) async {
        await advance(to: now + duration)
    }

    /// Moves the clock to `target` (never backwards), running every timer due by then.
    public func advance(to target: Date) async {
        while let timer = takeTimer(dueBy: target) {
            await timer.work()
        }
        state.withLock { $0.now = max($0.now, target) }
    }

    private func takeTimer(dueBy target: Date) -> Timer? {
        state.withLock { state in
            let due = state.timers.enumerated().filter { $0.element.deadline <= target }
            guard let next = due.min(by: { ($0.element.deadline, $0.element.id) < ($1.element.deadline, $1.element.id) })
            else { return nil }
            state.timers.remove(at: next.offset)
            state.now = max(state.now, next.element.deadline)
            return next.element
        }
    }
}

/// One `sleep(until:)` on a ``VirtualClock``: finished once, by its timer or by cancellation.
private final class SleepWaiter: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Void, any Error>?
        var result: Result<Void, any Error>?
        var timer: ScheduledWork?
    }

    private let state = Mutex(State())

    /// Keeps the continuation and sets the timer, unless the sleep was already cancelled.
    func start(_ continuation: CheckedContinuation<Void, any Error>, timer makeTimer: () -> ScheduledWork) {
        let early: Result<Void, any Error>? = state.withLock { state in
            if let result = state.result { return result }
            state.continuation = continuation
            return nil
        }
        if let early {
            continuation.resume(with: early)
            return
        }
        let timer = makeTimer()
        let finished = state.withLock { state in
            if state.result != nil { return true }
            state.timer = timer
            return false
        }
        if finished { timer.cancel() }
    }

    func finish(_ result: Result<Void, any Error>) {
        let (continuation, timer): (CheckedContinuation<Void, any Error>?, ScheduledWork?) = state.withLock { state in
            guard state.result == nil else { return (nil, nil) }
            state.result = result
            defer { (state.continuation, state.timer) = (nil, nil) }
            return (state.continuation, state.timer)
        }
        timer?.cancel()
        continuation?.resume(with: result)
    }
}
