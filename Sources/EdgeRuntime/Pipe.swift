import DequeModule
import NIOCore
import Synchronization

/// The shared state behind a ``TransformStream``: a queue of chunks between one writer and one
/// reader, with a high-water mark for backpressure.
///
/// The writer's `write` waits while more than `highWaterMark` bytes are queued; `enqueue` never
/// waits and instead fails once `maxBufferedBytes` would be exceeded (for fan-out to many readers,
/// where one slow reader must not hold up the rest). The reader's `cancel` fails later writes and
/// runs the cancel handlers, which is how a handler learns that its client went away.
final class Pipe: Sendable {
    struct State {
        var chunks = Deque<ByteBuffer>()
        var bufferedBytes = 0
        var finished = false
        var failure: (any Error)?
        var canceledReason: String?
        var reader: CheckedContinuation<ByteBuffer?, any Error>?
        var writers: [CheckedContinuation<Void, any Error>] = []
        var cancelHandlers: [@Sendable (String) -> Void] = []
        var terminationHandlers: [@Sendable () -> Void] = []
        var terminated = false
        /// A polling reader's ready handler, and whether its last poll found nothing.
        var wake: (@Sendable () -> Void)?
        var armed = false

        mutating func takeWake() -> (@Sendable () -> Void)? {
            guard armed else { return nil }
            armed = false
            return wake
        }
    }

    let highWaterMark: Int
    let maxBufferedBytes: Int
    private let state = Mutex(State())

    init(highWaterMark: Int, maxBufferedBytes: Int) {
        self.highWaterMark = highWaterMark
        self.maxBufferedBytes = maxBufferedBytes
    }

    var bufferedBytes: Int { state.withLock { $0.bufferedBytes } }
    /// Writers waiting for the reader to bring the queue under the high-water mark (for tests).
    var waitingWriters: Int { state.withLock { $0.writers.count } }
    var isCanceled: Bool { state.withLock { $0.canceledReason != nil } }
    var isClosed: Bool { state.withLock { $0.finished || $0.failure != nil || $0.canceledReason != nil } }

    // MARK: writer side

    func write(_ chunk: ByteBuffer) async throws {
        try push(chunk, limit: nil)
        guard state.withLock({ $0.bufferedBytes > highWaterMark }) else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let resumeNow: Result<Void, any Error>? = state.withLock { state in
                if let reason = state.canceledReason { return .failure(StreamError.canceled(reason)) }
                if state.bufferedBytes <= highWaterMark { return .success(()) }
                state.writers.append(continuation)
                return nil
            }
            if let resumeNow { continuation.resume(with: resumeNow) }
        }
    }

    func enqueue(_ chunk: ByteBuffer) throws {
        try push(chunk, limit: maxBufferedBytes)
    }

    private func push(_ chunk: ByteBuffer, limit: Int?) throws {
        guard chunk.readableBytes > 0 else { return }
        let (reader, wake) = try state.withLock { state -> (CheckedContinuation<ByteBuffer?, any Error>?, (@Sendable () -> Void)?) in
            if let reason = state.canceledReason { throw StreamError.canceled(reason) }
            if state.finished || state.failure != nil { throw StreamError.aborted("write after close") }
            if let limit, state.bufferedBytes + chunk.readableBytes > limit {
                throw StreamError.bufferFull(limit: limit)
            }
            if let reader = state.reader {
                state.reader = nil
                return (reader, nil)
            }
            state.chunks.append(chunk)
            state.bufferedBytes += chunk.readableBytes
            return (nil, state.takeWake())
        }
        reader?.resume(returning: chunk)
        wake?()
    }

    func close() {
        finish(with: nil)
    }

    func abort(_ error: any Error) {
        finish(with: error)
    }

    private func finish(with error: (any Error)?) {
        let (reader, handlers, wake): (CheckedContinuation<ByteBuffer?, any Error>?, [@Sendable () -> Void], (@Sendable () -> Void)?) = state.withLock { state in
            guard !state.finished, state.failure == nil, state.canceledReason == nil else { return (nil, [], nil) }
            if let error { state.failure = error } else { state.finished = true }
            guard let reader = state.reader else { return (nil, [], state.takeWake()) }
            state.reader = nil
            return (reader, Self.takeTermination(&state), nil)
        }
        if let reader {
            if let error { reader.resume(throwing: error) } else { reader.resume(returning: nil) }
        }
        handlers.forEach { $0() }
        wake?()
    }

    /// Runs `handler` when the reader cancels (at once if it has). A stream already read to its
    /// end or failure cannot be cancelled any more: the handler is not kept.
    func onCancel(_ handler: @escaping @Sendable (String) -> Void) {
        let reason: String? = state.withLock { state in
            if let reason = state.canceledReason { return reason }
            if !state.terminated { state.cancelHandlers.append(handler) }
            return nil
        }
        if let reason { handler(reason) }
    }

    func onTermination(_ handler: @escaping @Sendable () -> Void) {
        let now: Bool = state.withLock { state in
            if state.terminated { return true }
            state.terminationHandlers.append(handler)
            return false
        }
        if now { handler() }
    }

    // MARK: reader side

    func read() async throws -> ByteBuffer? {
        // What is already here is returned without suspending (a task switch per chunk).
        if let result = take(orWait: nil) { return try result.get() }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ByteBuffer?, any Error>) in
            if let result = take(orWait: continuation) { continuation.resume(with: result) }
        }
    }

    /// The next chunk, the end (`nil`) or the failure; or, with nothing yet, `nil` after
    /// registering `continuation` (if any) as the waiting reader.
    private func take(orWait continuation: CheckedContinuation<ByteBuffer?, any Error>?) -> Result<ByteBuffer?, any Error>? {
        let (result, writers, handlers): (Result<ByteBuffer?, any Error>?, [CheckedContinuation<Void, any Error>], [@Sendable () -> Void]) = state.withLock { state in
            if let chunk = state.chunks.popFirst() {
                state.bufferedBytes -= chunk.readableBytes
                var writers: [CheckedContinuation<Void, any Error>] = []
                if state.bufferedBytes <= highWaterMark {
                    writers = state.writers
                    state.writers = []
                }
                return (.success(chunk), writers, [])
            }
            if let reason = state.canceledReason { return (.failure(StreamError.canceled(reason)), [], []) }
            if let failure = state.failure { return (.failure(failure), [], Self.takeTermination(&state)) }
            if state.finished { return (.success(nil), [], Self.takeTermination(&state)) }
            if let continuation { state.reader = continuation } else { state.armed = state.wake != nil }
            return (nil, [], [])
        }
        writers.forEach { $0.resume() }
        handlers.forEach { $0() }
        return result
    }

    // MARK: polling reader

    /// Makes this a polled pipe: `wake` runs (once, outside the lock) when a chunk, the end or
    /// a failure arrives after ``poll()`` found nothing.
    func setWake(_ wake: @escaping @Sendable () -> Void) {
        state.withLock { $0.wake = wake }
    }

    /// The next chunk, the end (`.success(nil)`) or the failure; `nil` when nothing is here yet,
    /// which arms the wake handler.
    func poll() -> Result<ByteBuffer?, any Error>? {
        take(orWait: nil)
    }

    /// The polling reader is done: the wake handler is released.
    func stopPolling() {
        state.withLock { state in
            state.wake = nil
            state.armed = false
        }
    }

    func cancel(reason: String) {
        let (reader, writers, cancelHandlers, termination) = state.withLock { state -> (CheckedContinuation<ByteBuffer?, any Error>?, [CheckedContinuation<Void, any Error>], [@Sendable (String) -> Void], [@Sendable () -> Void]) in
            guard state.canceledReason == nil else { return (nil, [], [], []) }
            state.canceledReason = reason
            state.chunks = []
            state.bufferedBytes = 0
            let reader = state.reader
            state.reader = nil
            let writers = state.writers
            state.writers = []
            let handlers = state.cancelHandlers
            state.cancelHandlers = []
            return (reader, writers, handlers, Self.takeTermination(&state) + (state.takeWake().map { [$0] } ?? []))
        }
        reader?.resume(throwing: StreamError.canceled(reason))
        writers.forEach { $0.resume(throwing: StreamError.canceled(reason)) }
        cancelHandlers.forEach { $0(reason) }
        termination.forEach { $0() }
    }

    /// The stream is over for its reader: the termination handlers to run. The cancel handlers
    /// go too, as nothing can cancel the stream now: one that holds its object (a subscriber
    /// list's clean-up, say) would otherwise keep the object and the stream alive together.
    private static func takeTermination(_ state: inout State) -> [@Sendable () -> Void] {
        guard !state.terminated else { return [] }
        state.terminated = true
        state.cancelHandlers = []
        let handlers = state.terminationHandlers
        state.terminationHandlers = []
        return handlers
    }
}
