import Synchronization

/// A queue between a producer task and a test waiting for the next element, with a timeout so a
/// test that waits for something that never comes fails instead of hanging.
final class AsyncInbox<Element: Sendable>: Sendable {
    /// What a wait ended with.
    enum Next: Sendable {
        case element(Element)
        case finished
        case timedOut
    }

    private struct State {
        var buffer: [Element] = []
        var finished = false
        var waiter: (id: Int, continuation: CheckedContinuation<Next, Never>)?
        var nextWaiterID = 0
    }

    private let state = Mutex(State())

    /// Adds an element, handing it to a waiting reader if there is one.
    func push(_ element: Element) {
        let waiter: CheckedContinuation<Next, Never>? = state.withLock { state in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter.continuation
            }
            state.buffer.append(element)
            return nil
        }
        waiter?.resume(returning: .element(element))
    }

    /// No more elements will come.
    func finish() {
        let waiter: CheckedContinuation<Next, Never>? = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        waiter?.resume(returning: .finished)
    }

    /// The next element, waiting up to `timeout`.
    func next(timeout: Duration) async -> Next {
        await withCheckedContinuation { (continuation: CheckedContinuation<Next, Never>) in
            let (immediate, id): (Next?, Int) = state.withLock { state in
                if !state.buffer.isEmpty { return (.element(state.buffer.removeFirst()), 0) }
                if state.finished { return (.finished, 0) }
                state.nextWaiterID += 1
                state.waiter = (state.nextWaiterID, continuation)
                return (nil, state.nextWaiterID)
            }
            if let immediate {
                continuation.resume(returning: immediate)
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                let expired: CheckedContinuation<Next, Never>? = self.state.withLock { state in
                    guard let waiter = state.waiter, waiter.id == id else { return nil }
                    state.waiter = nil
                    return waiter.continuation
                }
                expired?.resume(returning: .timedOut)
            }
        }
    }
}
