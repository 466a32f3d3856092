import Synchronization

/// The task running an event or `waitUntil` work, so a reset can cancel it (cooperatively: the
/// stale code notices through `Task.isCancelled` and through its storage, which throws).
final class TaskHandle: Sendable {
    private let state = Mutex<(task: Task<Void, Never>?, cancelled: Bool)>((nil, false))

    /// Records the task (cancelling it at once if ``cancel()`` came first).
    func set(_ task: Task<Void, Never>) {
        let cancelNow = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        if cancelNow { task.cancel() }
    }

    /// Cancels the task.
    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}

/// Counts work in progress across a runtime (events, `waitUntil` work), so tests can wait until
/// everything they started has finished (``DurableObjectRuntime/settled()``).
final class ActivityTracker: Sendable {
    private let state = Mutex<(count: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    func begin() {
        state.withLock { $0.count += 1 }
    }

    func end() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    func settled() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                if state.count == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}

/// The event a task is handling, so that calls which cannot throw in Swift but throw in
/// JavaScript (`acceptWebSocket` with bad tags, an oversized auto-response) fail the event
/// instead: its caller receives workerd's error once the handler returns.
final class EventContext: Sendable {
    @TaskLocal static var current: EventContext?

    private let failure = Mutex<DurableObjectError?>(nil)

    /// Records the first misuse.
    func record(_ error: DurableObjectError) {
        failure.withLock { failure in
            if failure == nil { failure = error }
        }
    }

    /// The misuse recorded, if any.
    var recorded: DurableObjectError? { failure.withLock { $0 } }
}
