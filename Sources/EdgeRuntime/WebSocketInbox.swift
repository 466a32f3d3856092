import DequeModule
import Synchronization

/// The events one end of a `WebSocketPair` has received, in order, for its one reader.
///
/// `AsyncStream` would do, but its `next()` suspends the reader even when an event is already
/// waiting, and resumes it as a new job: a task switch per message. A server writing a replay
/// of 10 000 queued messages spent most of its time in those switches (5 µs a message). Here a
/// waiting event is returned at once; only an empty inbox suspends its reader.
///
/// As with `AsyncStream`: events yielded after `finish()` are dropped, events yielded before it
/// are still read, and cancelling the reading task ends the sequence (what is left is dropped).
///
/// A reader that is not a task (a network connection's event loop) polls instead: ``poll()``
/// returns what is waiting, and when it finds the inbox empty it arms the `wake` handler given
/// to ``setWake(_:)``, which the next event (or the end) calls once, outside the lock.
final class WebSocketInbox: Sendable {
    enum Poll: Equatable {
        case event(WebSocketEvent)
        case finished
        case empty
    }

    private struct State {
        var buffer = Deque<WebSocketEvent>()
        var finished = false
        var waiter: CheckedContinuation<WebSocketEvent?, Never>?
        var wake: (@Sendable () -> Void)?
        var armed = false

        /// The wake handler, if armed, disarmed.
        mutating func takeWake() -> (@Sendable () -> Void)? {
            guard armed else { return nil }
            armed = false
            return wake
        }

        mutating func poll() -> Poll {
            if let event = buffer.popFirst() { return .event(event) }
            return finished ? .finished : .empty
        }
    }

    private let state = Mutex(State())

    /// Adds an event, handing it to the reader if it is waiting. Returns `false` when the inbox
    /// is finished (the event is dropped).
    @discardableResult
    func yield(_ event: WebSocketEvent) -> Bool {
        let (accepted, waiter, wake) = state.withLock { state -> (Bool, CheckedContinuation<WebSocketEvent?, Never>?, (@Sendable () -> Void)?) in
            guard !state.finished else { return (false, nil, nil) }
            if let waiter = state.waiter {
                // A reader waits only on an empty inbox.
                state.waiter = nil
                return (true, waiter, nil)
            }
            state.buffer.append(event)
            return (true, nil, state.takeWake())
        }
        waiter?.resume(returning: event)
        wake?()
        return accepted
    }

    /// No more events will come; those already here are still read.
    func finish() {
        let (waiter, wake) = state.withLock { state -> (CheckedContinuation<WebSocketEvent?, Never>?, (@Sendable () -> Void)?) in
            state.finished = true
            defer { state.waiter = nil }
            return (state.waiter, state.takeWake())
        }
        waiter?.resume(returning: nil)
        wake?()
    }

    // MARK: polling

    /// Makes this a polled inbox: `wake` is called when an event arrives after ``poll()`` found
    /// the inbox empty, or when it ends. Set it before the first poll.
    /// Whether a reader is suspended in ``next()`` (for tests).
    var hasWaitingReader: Bool { state.withLock { $0.waiter != nil } }

    func setWake(_ wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.wake = wake }
    }

    /// The next event, `.finished`, or `.empty`, which arms the wake handler.
    func poll() -> Poll {
        state.withLock { state in
            let poll = state.poll()
            if case .empty = poll { state.armed = state.wake != nil }
            return poll
        }
    }

    /// The polling reader stops: what is queued is dropped, later events too, and the wake
    /// handler is released.
    func stopPolling() {
        state.withLock { state in
            state.finished = true
            state.buffer = []
            state.wake = nil
            state.armed = false
        }
    }

    /// The next event, or `nil` once the inbox is finished and read (or the reader cancelled).
    nonisolated(nonsending) func next() async -> WebSocketEvent? {
        switch state.withLock({ $0.poll() }) {
        case .event(let event): return event
        case .finished: return nil
        case .empty: break
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WebSocketEvent?, Never>) in
                let poll = state.withLock { state -> Poll in
                    let poll = state.poll()
                    if case .empty = poll {
                        // A second reader at once (a handler reading `events` twice, or beside its
                        // listeners) gets the end of the events, not the other reader's.
                        guard state.waiter == nil else { return .finished }
                        state.waiter = continuation
                    }
                    return poll
                }
                switch poll {
                case .event(let event): continuation.resume(returning: event)
                case .finished: continuation.resume(returning: nil)
                case .empty: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<WebSocketEvent?, Never>? in
                state.finished = true
                state.buffer = []
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
