import EdgeRuntime
import Synchronization

/// `ctx.waitUntil` work still running after its response went out, so shutdown can let it finish
/// (within the grace period) before the Durable Objects and databases close under it.
final class PendingWork: Sendable {
    private let state = Mutex<(contexts: [Int: ExecutionContext], nextID: Int)>(([:], 0))

    /// Keeps `ctx` until its `waitUntil` work has settled.
    func track(_ ctx: ExecutionContext) {
        guard ctx.pendingCount > 0 else { return }
        let id: Int = state.withLock { state in
            defer { state.nextID += 1 }
            state.contexts[state.nextID] = ctx
            return state.nextID
        }
        Task {
            await ctx.settled()
            self.state.withLock { _ = $0.contexts.removeValue(forKey: id) }
        }
    }

    /// Waits until the tracked work has settled or `deadline` passes, then cancels what is left.
    func settle(until deadline: ContinuousClock.Instant) async {
        while ContinuousClock.now < deadline, !state.withLock({ $0.contexts.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        state.withLock { Array($0.contexts.values) }.forEach { $0.cancelAll() }
    }
}
