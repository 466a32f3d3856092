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
final class WebSocketInbox: Sendable {
    private enum Poll {
        case event(WebSocketEvent)
        case finished
        case empty
    }

    private struct State {
        var buffer: [WebSocketEvent] = []
        var head = 0
        var finished = false
        var waiter: CheckedContinuation<WebSocketEvent?, Never>?

        mutating func poll() -> Poll {
            if head < buffer.count {
                let event = buffer[head]
                head += 1
                if head == buffer.count {
                    buffer.removeAll(keepingCapacity: buffer.count <= 1_024)
                    head = 0
                }
                return .event(event)
            }
            return finished ? .finished : .empty
        }
    }

    private let state = Mutex(State())

    /// Adds an event, handing it to the reader if it is waiting.
    func yield(_ event: WebSocketEvent) {
        let waiter = state.withLock { state -> CheckedContinuation<WebSocketEvent?, Never>? in
            guard !state.finished else { return nil }
            if let waiter = state.waiter {
                // A reader waits only on an empty inbox.
                state.waiter = nil
                return waiter
            }
            state.buffer.append(event)
            return nil
        }
        waiter?.resume(returning: event)
    }

    /// No more events will come; those already here are still read.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<WebSocketEvent?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
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
                        precondition(state.waiter == nil, "a WebSocket's events are read by one task at a time")
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
                state.head = 0
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
