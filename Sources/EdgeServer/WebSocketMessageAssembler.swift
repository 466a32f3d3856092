import EdgeRuntime
import NIOCore
import NIOWebSocket

/// Reassembles data frames into messages (RFC 6455 §5.4): a text or binary frame starts a
/// message, continuation frames extend it, the frame with FIN ends it. Control frames may come in
/// between and are not seen here.
///
/// A message larger than `maxMessageSize` (workerd: 32 MiB) ends the connection with 1009; a
/// continuation without a start, or a new start inside a message, with 1002; text that is not
/// UTF-8 with 1007.
struct WebSocketMessageAssembler {
    /// What a frame completed.
    enum Outcome: Equatable {
        /// The frame was part of a message that is not complete yet.
        case incomplete
        /// A whole message.
        case message(WebSocketMessage)
        /// The connection must close with `code` and `reason`.
        case fail(code: UInt16, reason: String)
    }

    static let tooLarge = Outcome.fail(code: WebSocketCloseCode.messageTooBig, reason: "Message is too large")

    let maxMessageSize: Int
    private var opcode: WebSocketOpcode?
    private var bytes: [UInt8] = []

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Feeds one data frame (text, binary or continuation), its payload already unmasked.
    mutating func receive(opcode frameOpcode: WebSocketOpcode, fin: Bool, payload: ByteBuffer) -> Outcome {
        switch (frameOpcode, opcode) {
        case (.continuation, nil):
            return .fail(code: 1002, reason: "Received a continuation frame outside a message")
        case (.continuation, _):
            break
        case (_, .some):
            return .fail(code: 1002, reason: "Received a new message before the previous one ended")
        case (_, nil):
            opcode = frameOpcode
        }
        guard bytes.count + payload.readableBytes <= maxMessageSize else {
            reset()
            return Self.tooLarge
        }
        bytes.append(contentsOf: payload.readableBytesView)
        guard fin else { return .incomplete }
        defer { reset() }
        if opcode == .text {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return .fail(code: 1007, reason: "Invalid UTF-8 in a text message")
            }
            return .message(.text(text))
        }
        return .message(.binary(bytes))
    }

    private mutating func reset() {
        opcode = nil
        bytes = []
    }
}
