import DequeModule
import Synchronization

/// One caller at a time, in arrival order, without blocking a thread while waiting.
///
/// A D1 database has one SQLite connection. Holding a `Mutex` around each query made a second
/// caller block its thread, and `Synchronization.Mutex` on Linux is a priority-inheritance futex
/// whose waiters spin in the kernel while the holder runs: under a burst of writes on two cores
/// that spinning took a tenth of the CPU, and a blocked thread is one of only two in Swift's
/// cooperative pool. Here a caller that finds the connection busy suspends instead; the holder
/// hands the connection to the first waiter when it is done.
final class SerialAccess: Sendable {
    private struct State {
        var busy = false
        var waiters = Deque<CheckedContinuation<Void, Never>>()
    }

    private let state = Mutex(State())

    /// Callers suspended waiting for the access (for tests).
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Runs `body` once every earlier caller is done with it.
    nonisolated(nonsending) func run<T, E: Error>(_ body: () throws(E) -> T) async throws(E) -> T {
        await acquire()
        defer { release() }
        return try body()
    }

    /// Waits for the access; pair with ``release()``.
    nonisolated(nonsending) func acquire() async {
        let free = state.withLock { state in
            guard !state.busy else { return false }
            state.busy = true
            return true
        }
        if free { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                guard state.busy else {
                    state.busy = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Hands the access to the first waiter (it stays busy), or frees it.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let next = state.waiters.popFirst() else {
                state.busy = false
                return nil
            }
            return next
        }
        next?.resume()
    }
}
