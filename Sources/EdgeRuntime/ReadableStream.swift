import NIOCore
import Synchronization

/// A body: bytes that arrive over time, read once. Mirrors the Streams API's `ReadableStream`
/// as used for `Request.body` and `Response.body`.
///
/// Three sources: fixed bytes, a pipe fed by a ``WritableStream`` (see ``TransformStream``), or any
/// `AsyncSequence` of `ByteBuffer` (pulled lazily, so its own backpressure applies). Reading a
/// second time yields ``StreamError/alreadyUsed``. ``cancel(reason:)`` tells the writer that nobody
/// is reading any more (the server calls it when the client goes away).
public final class ReadableStream: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    public typealias Failure = any Error

    enum Source: @unchecked Sendable {
        case bytes(ByteBuffer)
        case pipe(Pipe)
        case sequence(AnyByteSequence)
    }

    let source: Source
    private let used = Mutex(false)

    /// An empty body.
    public static var empty: ReadableStream { ReadableStream(ByteBuffer()) }

    /// A body of fixed bytes.
    public init(_ bytes: ByteBuffer) { source = .bytes(bytes) }
    /// A body of UTF-8 text.
    public convenience init(_ text: String) { self.init(ByteBuffer(string: text)) }
    /// A body of bytes.
    public convenience init(_ bytes: [UInt8]) { self.init(ByteBuffer(bytes: bytes)) }
    /// A body pulled from an async sequence of buffers.
    public init<S: AsyncSequence & Sendable>(_ sequence: S) where S.Element == ByteBuffer {
        source = .sequence(AnyByteSequence(sequence))
    }
    init(pipe: Pipe) { source = .pipe(pipe) }

    /// The length when known up front (fixed bytes), for `Content-Length`.
    package var knownLength: Int? {
        if case .bytes(let buffer) = source { return buffer.readableBytes }
        return nil
    }

    /// `stream.cancel(reason)`: the reader gives up; a writer's next write fails with
    /// ``StreamError/canceled(_:)`` and its cancel handlers run.
    public func cancel(reason: String = "") {
        if case .pipe(let pipe) = source { pipe.cancel(reason: reason) }
    }

    /// Runs `handler` once when the stream ends for any reason: fully read, aborted or canceled.
    /// Fixed and sequence bodies call it when the reader finishes.
    package func onTermination(_ handler: @escaping @Sendable () -> Void) {
        if case .pipe(let pipe) = source { pipe.onTermination(handler) }
    }

    /// Whether ``onTermination(_:)`` will tell when the stream ends (a body being written).
    package var reportsTermination: Bool {
        if case .pipe = source { return true }
        return false
    }

    /// Marks the body read; `false` when it already was.
    func markUsed() -> Bool {
        used.withLock { used in
            defer { used = true }
            return !used
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        guard markUsed() else { return AsyncIterator(state: .failed(StreamError.alreadyUsed)) }
        switch source {
        case .bytes(let buffer): return AsyncIterator(state: .bytes(buffer))
        case .pipe(let pipe): return AsyncIterator(state: .pipe(pipe))
        case .sequence(let sequence): return AsyncIterator(state: .sequence(sequence.makeIterator()))
        }
    }

    /// Iterates the body's chunks.
    public struct AsyncIterator: AsyncIteratorProtocol {
        enum State {
            case bytes(ByteBuffer)
            case pipe(Pipe)
            case sequence(AnyByteSequence.Iterator)
            case failed(any Error)
            case done
        }
        var state: State

        public mutating func next() async throws -> ByteBuffer? {
            switch state {
            case .bytes(let buffer):
                state = .done
                return buffer.readableBytes > 0 ? buffer : nil
            case .pipe(let pipe):
                if let chunk = try await pipe.read() { return chunk }
                state = .done
                return nil
            case .sequence(var iterator):
                let chunk = try await iterator.next()
                state = chunk == nil ? .done : .sequence(iterator)
                return chunk
            case .failed(let error):
                state = .done
                throw error
            case .done:
                return nil
            }
        }
    }
}

extension ReadableStream {
    /// Reads the whole body into one buffer, failing with ``StreamError/tooLarge(limit:)`` as soon
    /// as more than `limit` bytes arrive (so an oversized body is never held whole).
    public func collect(upTo limit: Int) async throws -> ByteBuffer {
        var result = ByteBuffer()
        for try await var chunk in self {
            guard result.readableBytes + chunk.readableBytes <= limit else {
                cancel(reason: "body too large")
                throw StreamError.tooLarge(limit: limit)
            }
            result.writeBuffer(&chunk)
        }
        return result
    }
}

/// Type erasure for a sendable async sequence of buffers.
struct AnyByteSequence: @unchecked Sendable {
    struct Iterator {
        let nextChunk: () async throws -> ByteBuffer?
        mutating func next() async throws -> ByteBuffer? { try await nextChunk() }
    }
    let makeIterator: @Sendable () -> Iterator

    init<S: AsyncSequence & Sendable>(_ sequence: S) where S.Element == ByteBuffer {
        makeIterator = {
            let box = IteratorBox(sequence.makeAsyncIterator())
            return Iterator(nextChunk: { try await box.next() })
        }
    }

    private final class IteratorBox<I: AsyncIteratorProtocol>: @unchecked Sendable where I.Element == ByteBuffer {
        var iterator: I
        init(_ iterator: I) { self.iterator = iterator }
        func next() async throws -> ByteBuffer? { try await iterator.next() }
    }
}
