import Synchronization

/// `ctx`, mirroring the Workers `ExecutionContext`.
///
/// `waitUntil` keeps work running after the response is returned; like `Promise.allSettled`, one
/// failure does not cancel the rest (failures go to the error handler the host installed, which
/// logs them). The host awaits ``settled()`` before it lets go of the invocation (and a Durable
/// Object counts pending `waitUntil` work as activity that keeps it alive).
public final class ExecutionContext: Sendable {
    private struct State {
        var pending: [Int: Task<Void, Never>] = [:]
        var nextID = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let onError: @Sendable (any Error) -> Void

    /// Creates a context; `onError` receives failures of `waitUntil` work.
    public init(onError: @escaping @Sendable (any Error) -> Void = { _ in }) {
        self.onError = onError
    }

    /// `ctx.waitUntil(promise)`: runs `work` and keeps the invocation alive until it ends.
    public func waitUntil(_ work: @escaping @Sendable () async throws -> Void) {
        let onError = self.onError
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.pending[id] = Task {
                do { try await work() } catch { onError(error) }
                self.finished(id)
            }
        }
    }

    /// The number of `waitUntil` tasks still running.
    package var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Waits until every `waitUntil` task (including ones added while waiting) has ended.
    public func settled() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                if state.pending.isEmpty { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Cancels every pending `waitUntil` task (used when the host gives up on the invocation).
    package func cancelAll() {
        let tasks = state.withLock { Array($0.pending.values) }
        tasks.forEach { $0.cancel() }
    }

    private func finished(_ id: Int) {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.pending[id] = nil
            guard state.pending.isEmpty else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }
}
