/// Errors raised by body streams, with workerd's texts where it has one.
public struct StreamError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case alreadyUsed
        case canceled(String)
        case aborted(String)
        case bufferFull(Int)
        case tooLarge(Int)
    }

    private let kind: Kind

    /// A body read a second time.
    public static let alreadyUsed = StreamError(kind: .alreadyUsed)
    /// The reader went away (for a response body: the client disconnected).
    public static func canceled(_ reason: String = "") -> StreamError { StreamError(kind: .canceled(reason)) }
    /// The writer aborted the stream.
    public static func aborted(_ reason: String) -> StreamError { StreamError(kind: .aborted(reason)) }
    /// A non-blocking write found more than `limit` bytes waiting for a slow reader.
    public static func bufferFull(limit: Int) -> StreamError { StreamError(kind: .bufferFull(limit)) }
    /// A body was longer than the caller allowed.
    public static func tooLarge(limit: Int) -> StreamError { StreamError(kind: .tooLarge(limit)) }

    /// Whether this is `canceled` (the reader is gone).
    public var isCanceled: Bool { if case .canceled = kind { true } else { false } }
    /// Whether this is `tooLarge`.
    public var isTooLarge: Bool { if case .tooLarge = kind { true } else { false } }
    /// Whether this is `bufferFull`.
    public var isBufferFull: Bool { if case .bufferFull = kind { true } else { false } }

    public var description: String {
        switch kind {
        case .alreadyUsed:
            "TypeError: Body has already been used. It can only be used once. Use tee() first if you need to read it twice."
        case .canceled(let reason):
            reason.isEmpty ? "The stream was canceled by its reader." : "The stream was canceled by its reader: \(reason)"
        case .aborted(let reason):
            "The stream was aborted by its writer: \(reason)"
        case .bufferFull(let limit):
            "The reader is too slow: more than \(limit) bytes are waiting to be read."
        case .tooLarge(let limit):
            "The body is larger than \(limit) bytes."
        }
    }
}
