import Synchronization

/// A result settled once and awaited by any number of tasks: the one-shot promise the host
/// modules share (an event's outcome in the Durable Object host, the port a starting server
/// bound, a test client's reply).
///
/// The first ``resolve(_:)`` settles it; later ones do nothing. ``value`` returns at once when it
/// is settled and otherwise suspends until it is. A waiter cancelled meanwhile keeps waiting (as
/// `EventLoopFuture.get()` does): whoever resolves it must, and every caller does.
package final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Value, any Error>])
        case settled(Result<Value, any Error>)
    }

    private let state = Mutex(State.waiting([]))

    package init() {}

    /// Settles the result; returns whether this call settled it (`false` when it already was).
    @discardableResult
    package func resolve(_ result: Result<Value, any Error>) -> Bool {
        let waiters: [CheckedContinuation<Value, any Error>]? = state.withLock { state in
            guard case .waiting(let waiters) = state else { return nil }
            state = .settled(result)
            return waiters
        }
        waiters?.forEach { $0.resume(with: result) }
        return waiters != nil
    }

    /// Waits for the result.
    package var value: Value {
        get async throws {
            let early: Result<Value, any Error>? = state.withLock { state in
                if case .settled(let result) = state { result } else { nil }
            }
            if let early { return try early.get() }
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
                let settled: Result<Value, any Error>? = state.withLock { state in
                    switch state {
                    case .waiting(var waiters):
                        state = .waiting([])  // `waiters` is then the array's only owner: no copy
                        waiters.append(continuation)
                        state = .waiting(waiters)
                        return nil
                    case .settled(let result):
                        return result
                    }
                }
                if let settled { continuation.resume(with: settled) }
            }
        }
    }
}
