import Foundation
import Synchronization

/// `AbortSignal`: tells a `fetch` to give up. Made by an ``AbortController`` or by
/// ``timeout(milliseconds:)`` (`AbortSignal.timeout(ms)`); passed as `RequestInit.signal`.
///
/// An aborted `fetch` throws the signal's ``reason``: a ``DOMException`` `AbortError` `The
/// operation was aborted` from `controller.abort()`, a `TimeoutError` `The operation was aborted
/// due to timeout` from a timeout (workerd's texts, `src/workerd/api/basics.c++`).
public final class AbortSignal: Sendable {
    private struct State {
        var reason: (any Error)?
        var waiters: [UUID: CheckedContinuation<any Error, Never>] = [:]
    }
    private let state = Mutex(State())

    init() {}

    /// `AbortSignal.abort(reason)`: a signal aborted already.
    public static func abort(_ reason: (any Error)? = nil) -> AbortSignal {
        let signal = AbortSignal()
        signal.fire(reason ?? abortError)
        return signal
    }

    /// `AbortSignal.timeout(ms)`: a signal that aborts with a `TimeoutError` after `milliseconds`.
    ///
    /// The delay is a `setTimeout` of the running code, as in workerd (`src/workerd/api/basics.c++`,
    /// `AbortSignal::timeout` calls `setTimeoutInternal`): it runs on the emulator's clock and ends
    /// with the invocation, like every timer of a handler. Under `edge dev` that clock is the wall
    /// clock, as in production. Under `Emulator.test` it is the test's `VirtualClock`, so a test
    /// fires the timeout with `client.advance(by:)` instead of waiting for it (and a timeout the
    /// test never advances to never fires, as a `setTimeout` would not); outside any handler it
    /// is the wall clock.
    public static func timeout(milliseconds: Int) -> AbortSignal {
        let signal = AbortSignal()
        // The timer holds the signal until it fires or its invocation ends, as workerd's does.
        setTimeout({
            // workerd, src/workerd/api/basics.c++ (AbortSignal::timeout).
            signal.fire(DOMException("The operation was aborted due to timeout", name: "TimeoutError"))
        }, Double(max(0, milliseconds)))
        return signal
    }

    /// `signal.aborted`.
    public var aborted: Bool { state.withLock { $0.reason != nil } }
    /// `signal.reason`: why it aborted, `nil` while it has not.
    public var reason: (any Error)? { state.withLock { $0.reason } }

    /// `signal.throwIfAborted()`.
    public func throwIfAborted() throws {
        if let reason { throw reason }
    }

    /// workerd's reason for `abort()` without one (`src/workerd/api/basics.c++`).
    static let abortError = DOMException("The operation was aborted", name: "AbortError")

    func fire(_ reason: any Error) {
        let waiters = state.withLock { state -> [CheckedContinuation<any Error, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// Waits until the signal aborts and returns the reason; returns at once when the calling
    /// task is cancelled (with `CancellationError`).
    func aborting() async -> any Error {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: CheckedContinuation<any Error, Never>) in
                let reason = state.withLock { state -> (any Error)? in
                    if let reason = state.reason { return reason }
                    if Task.isCancelled { return CancellationError() }
                    state.waiters[id] = waiter
                    return nil
                }
                if let reason { waiter.resume(returning: reason) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: CancellationError())
        }
    }
}

/// `AbortController`: `controller.signal` goes into `fetch(url, { signal })`, `controller.abort()`
/// makes that `fetch` throw.
public final class AbortController: Sendable {
    /// `controller.signal`.
    public let signal = AbortSignal()

    /// `new AbortController()`.
    public init() {}

    /// `controller.abort(reason)`: aborts the signal with `reason`, or workerd's `AbortError`.
    public func abort(_ reason: (any Error)? = nil) {
        signal.fire(reason ?? AbortSignal.abortError)
    }
}
