import EdgeRuntime
import HTTPTypes

/// A `text/event-stream` response read event by event, as `EventSource` reads it (with
/// ``ServerSentEventParser``). Iterate it once; stop early with ``cancel()`` (the client goes away).
public struct ServerSentEventStream: AsyncSequence, Sendable {
    public typealias Element = ServerSentEvent
    public typealias Failure = any Error

    /// The response the events come in.
    public let response: StreamingResponse

    /// The status.
    public var status: HTTPResponse.Status { response.status }
    /// The headers.
    public var headers: Headers { response.headers }

    /// Goes away, as a closed `EventSource` does.
    public func cancel() { response.cancel() }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: response.chunks.makeAsyncIterator())
    }

    /// Iterates events.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: AsyncThrowingStream<BodyChunk, any Error>.AsyncIterator
        var parser = ServerSentEventParser()
        var ready: [ServerSentEvent] = []

        public mutating func next() async throws -> ServerSentEvent? {
            while ready.isEmpty {
                guard let chunk = try await chunks.next() else { return nil }
                ready = parser.feed(chunk.bytes.readableBytesView)
            }
            return ready.removeFirst()
        }
    }
}
