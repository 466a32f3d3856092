import EdgeRuntime
import Foundation
import HTTPTypes
import NIOCore

/// A whole response, as a test reads it: status, headers and the body's bytes.
public struct TestResponse: Sendable {
    /// The status.
    public let status: HTTPResponse.Status
    /// The headers (for a live request, as they came off the wire).
    public let headers: Headers
    /// The body's bytes.
    public let body: [UInt8]

    /// Creates a response.
    public init(status: HTTPResponse.Status, headers: Headers, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body decoded from JSON.
    public func json<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body))
    }

    /// The body parsed as any JSON value (`[String: Any]`, `[Any]`, `String`, numbers, ...).
    public func jsonObject() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    }
}

/// One piece of a streamed body and when the client read it.
public struct BodyChunk: Sendable {
    /// The bytes.
    public let bytes: ByteBuffer
    /// When the client received them.
    public let arrival: ContinuousClock.Instant

    /// The bytes as UTF-8 text.
    public var text: String { String(buffer: bytes) }
}

/// A response whose body is read as it arrives: the head at once, then ``chunks`` with their
/// arrival times. Stopping early (``cancel()``, or ending the iteration) drops the connection, as
/// a client that goes away does; for an in-process request it cancels the body stream.
public struct StreamingResponse: Sendable {
    /// The status.
    public let status: HTTPResponse.Status
    /// The headers.
    public let headers: Headers
    /// The body's chunks as they arrive; iterate once.
    public let chunks: AsyncThrowingStream<BodyChunk, any Error>
    private let onCancel: @Sendable () -> Void

    init(status: HTTPResponse.Status, headers: Headers, chunks: AsyncThrowingStream<BodyChunk, any Error>, onCancel: @escaping @Sendable () -> Void) {
        self.status = status
        self.headers = headers
        self.chunks = chunks
        self.onCancel = onCancel
    }

    /// Goes away: closes the connection (live) or cancels the body (in-process).
    public func cancel() {
        onCancel()
    }

    /// Reads the rest of the body into a ``TestResponse``.
    public func collect() async throws -> TestResponse {
        var body: [UInt8] = []
        for try await chunk in chunks {
            body.append(contentsOf: chunk.bytes.readableBytesView)
        }
        return TestResponse(status: status, headers: headers, body: body)
    }
}

/// Failures of the test clients.
public struct TestClientError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case timedOut(String)
        case upgradeRefused(TestResponse)
        case connectionClosed(String)
    }

    private let kind: Kind

    static func timedOut(_ what: String) -> TestClientError { TestClientError(kind: .timedOut(what)) }
    static func upgradeRefused(_ response: TestResponse) -> TestClientError { TestClientError(kind: .upgradeRefused(response)) }
    static func connectionClosed(_ what: String) -> TestClientError { TestClientError(kind: .connectionClosed(what)) }

    /// The response of a refused WebSocket upgrade.
    public var refusedResponse: TestResponse? {
        if case .upgradeRefused(let response) = kind { return response }
        return nil
    }

    public var description: String {
        switch kind {
        case .timedOut(let what): "Timed out waiting for \(what)."
        case .upgradeRefused(let response): "The server refused the WebSocket upgrade: \(response.status.code) \(response.text)"
        case .connectionClosed(let what): "The connection closed \(what)."
        }
    }
}
