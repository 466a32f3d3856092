/// A WebSocket data message: text or binary.
public enum WebSocketMessage: Sendable, Equatable {
    /// A text frame's payload.
    case text(String)
    /// A binary frame's payload.
    case binary([UInt8])

    /// Payload size in bytes.
    public var byteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .binary(let bytes): bytes.count
        }
    }

    /// The text payload, or `nil` for binary.
    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}

/// What one end of a WebSocket receives: the `message`, `close` and `error` events.
public enum WebSocketEvent: Sendable, Equatable {
    /// The `message` event.
    case message(WebSocketMessage)
    /// The `close` event, with `code`, `reason` and `wasClean`.
    case close(code: UInt16, reason: String, wasClean: Bool)
    /// The `error` event.
    case error(String)
}

/// Close codes with a name (RFC 6455 and workerd's use of them).
public enum WebSocketCloseCode {
    /// 1000: normal closure.
    public static let normal: UInt16 = 1000
    /// 1001: going away (server shutdown).
    public static let goingAway: UInt16 = 1001
    /// 1006: closed without a Close frame (never sent on the wire).
    public static let abnormal: UInt16 = 1006
    /// 1009: a message was too large.
    public static let messageTooBig: UInt16 = 1009
    /// 1011: internal error.
    public static let internalError: UInt16 = 1011
}
