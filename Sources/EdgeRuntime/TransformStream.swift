import NIOCore

/// `new TransformStream()`: a writable end and a readable end joined by a queue. Return
/// `readable` as a response body and keep writing to `writable` after the handler returns; the
/// bytes reach the client as they are written, never buffered behind the handler's back.
public struct TransformStream: Sendable {
    /// The end to return as a body.
    public let readable: ReadableStream
    /// The end to write to.
    public let writable: WritableStream

    /// Creates a stream pair.
    /// - Parameters:
    ///   - highWaterMark: bytes queued before ``WritableStream/write(_:)`` starts to wait.
    ///   - maxBufferedBytes: bytes queued before ``WritableStream/enqueue(_:)`` fails.
    public init(highWaterMark: Int = 64 * 1024, maxBufferedBytes: Int = 1024 * 1024) {
        let pipe = Pipe(highWaterMark: highWaterMark, maxBufferedBytes: maxBufferedBytes)
        readable = ReadableStream(pipe: pipe)
        writable = WritableStream(pipe: pipe)
    }
}

/// The writing end of a ``TransformStream``, like a `WritableStreamDefaultWriter`.
public struct WritableStream: Sendable {
    let pipe: Pipe

    /// Writes a chunk, waiting while the reader is behind by more than the high-water mark.
    /// Throws ``StreamError/canceled(_:)`` once the reader went away.
    public func write(_ chunk: ByteBuffer) async throws { try await pipe.write(chunk) }
    /// Writes UTF-8 text.
    public func write(_ text: String) async throws { try await pipe.write(ByteBuffer(string: text)) }
    /// Queues a chunk without waiting; throws ``StreamError/bufferFull(limit:)`` when the reader is
    /// more than `maxBufferedBytes` behind, or ``StreamError/canceled(_:)`` once it went away.
    public func enqueue(_ chunk: ByteBuffer) throws { try pipe.enqueue(chunk) }
    /// Ends the stream normally.
    public func close() { pipe.close() }
    /// Ends the stream with an error: the reader fails (the server cuts the response).
    public func abort(_ reason: any Error) { pipe.abort(reason) }
    /// Bytes written and not yet read.
    public var bufferedBytes: Int { pipe.bufferedBytes }
    /// Whether the reader went away.
    public var isCanceled: Bool { pipe.isCanceled }
    /// Whether the stream has ended for any reason.
    public var isClosed: Bool { pipe.isClosed }
    /// Runs `handler` once when the reader cancels (for a response: the client disconnected).
    public func onCancel(_ handler: @escaping @Sendable (String) -> Void) { pipe.onCancel(handler) }
}
