import EdgeRuntime
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// Joins an upgraded connection to the client end of the worker's `WebSocketPair`.
///
/// ```
///  network frames ──► reassembled messages ──► client end.send ──► worker's server end (events)
///  network frames ◄── client end.events ◄──────────────────────── worker's server end.send
/// ```
/// Close codes and reasons pass through both ways. A Close frame from the client closes the client
/// end with its code, so the worker sees `.close(code:reason:wasClean: true)`; the pair's
/// auto-reply comes back through the client end's events and is sent as the answering Close frame,
/// after which the TCP connection ends. A close started by the worker (or by shutdown, 1001) is
/// sent as a Close frame, and the connection ends when the client answers or after
/// ``closeTimeout`` (counted from the close, so a client that stopped reading, with messages
/// still queued ahead of the Close frame, is dropped and its queue freed). A connection lost without a Close frame aborts the client end: the worker sees
/// 1006 with `wasClean: false`. Pings are answered; the server pings every ``pingInterval``.
struct WebSocketBridge {
    /// workerd's limit on a received message.
    static let maxMessageSize = 32 * 1024 * 1024
    /// How often the server pings an open connection.
    static let pingInterval: Duration = .seconds(20)
    /// How long the server waits for the client's Close frame after sending its own.
    static let closeTimeout: TimeAmount = .seconds(5)

    let channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>
    let socket: WebSocket
    /// The worker -> network half, on the connection's event loop.
    let sender: WebSocketSender.Handle
    let logger: Logger

    /// Which Close frames have passed, shared by the two directions.
    final class Handshake: Sendable {
        private let state = Mutex((sent: false, received: false))

        /// Records a sent Close frame; returns whether the client's had already arrived.
        func markSent() -> (first: Bool, received: Bool) {
            state.withLock { state in
                defer { state.sent = true }
                return (!state.sent, state.received)
            }
        }

        /// Records the client's Close frame; returns whether ours was already sent.
        func markReceived() -> Bool {
            state.withLock { state in
                state.received = true
                return state.sent
            }
        }

        var received: Bool { state.withLock { $0.received } }
    }

    /// Runs until the connection is closed.
    func run() async {
        let handshake = sender.handshake
        // Once the client end is closed, the connection ends within `closeTimeout`, also when our
        // Close frame cannot be written: a client that stopped reading has the worker's backlog
        // queued ahead of it, which would otherwise stay in memory for as long as it holds on.
        let network = channel.channel
        socket.onClose {
            network.eventLoop.scheduleTask(in: Self.closeTimeout) { network.close(promise: nil) }
        }
        do {
            try await channel.executeThenClose { inbound, outbound in
                sender.start()
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await self.pingPeriodically(outbound) }
                    async let fromNetwork: Void = self.forwardNetwork(inbound, outbound, handshake)
                    async let fromWorker: Void? = try? self.sender.ended.get()
                    _ = await (fromNetwork, fromWorker)
                    group.cancelAll()
                }
            }
        } catch {
            logger.debug("WebSocket connection ended: \(error)")
        }
    }

    // MARK: network -> worker

    private func forwardNetwork(
        _ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>,
        _ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>,
        _ handshake: Handshake
    ) async {
        var assembler = WebSocketMessageAssembler(maxMessageSize: Self.maxMessageSize)
        do {
            for try await frame in inbound {
                switch frame.opcode {
                case .text, .binary, .continuation:
                    guard frame.reservedBits.isEmpty else {
                        socket.close(code: 1002, reason: "Reserved bits set without an extension")
                        continue
                    }
                    switch assembler.receive(opcode: frame.opcode, fin: frame.fin, payload: frame.unmaskedData) {
                    case .incomplete:
                        break
                    case .message(let message):
                        try? socket.send(message)
                    case .fail(let code, let reason):
                        socket.close(code: code, reason: reason)
                    }
                case .ping:
                    try? await outbound.write(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
                case .connectionClose:
                    let close = Self.parseClose(frame.unmaskedData)
                    if handshake.markReceived() {
                        channel.channel.close(promise: nil)
                    } else {
                        switch close {
                        case .close(let code, let reason): socket.close(code: code, reason: reason)
                        case .fail(let code, let reason): socket.close(code: code, reason: reason)
                        }
                    }
                default:
                    break
                }
            }
        } catch let error as NIOWebSocketError {
            logger.debug("WebSocket frame error: \(error)")
            if error == .invalidFrameLength {
                socket.close(code: WebSocketCloseCode.messageTooBig, reason: "Message is too large")
            } else {
                socket.close(code: 1002, reason: "Protocol error")
            }
            return
        } catch {
            logger.debug("WebSocket read failed: \(error)")
        }
        if !handshake.received {
            socket.abort()
        }
    }

    private func pingPeriodically(_ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>) async {
        while true {
            do {
                try await Task.sleep(for: Self.pingInterval)
                try await outbound.write(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(string: "edge")))
            } catch {
                return
            }
        }
    }

    // MARK: close frames

    /// What a client's Close frame asks for.
    enum ClientClose: Equatable {
        /// Close with the client's code and reason (1005, "no status", when it carries none).
        case close(code: UInt16, reason: String)
        /// The frame breaks RFC 6455: answer with `code`, as for a bad data frame.
        case fail(code: UInt16, reason: String)
    }

    /// Reads a Close frame (RFC 6455 §5.5.1): empty, or a two-byte code and a UTF-8 reason. A
    /// one-byte payload, or a code that may not be sent (§7.4: below 1000, 1004-1006, 1015,
    /// 1016-2999 unassigned, 5000 and up), is a protocol error (1002); a reason that is not UTF-8
    /// is answered with 1007, as a text message that is not UTF-8 is.
    static func parseClose(_ payload: ByteBuffer) -> ClientClose {
        var payload = payload
        guard payload.readableBytes > 0 else { return .close(code: 1005, reason: "") }
        guard let code = payload.readInteger(as: UInt16.self) else {
            return .fail(code: 1002, reason: "Close frame with a one-byte payload")
        }
        guard (1000...1003).contains(code) || (1007...1014).contains(code) || (3000...4999).contains(code) else {
            return .fail(code: 1002, reason: "Close frame with an invalid code \(code)")
        }
        guard let reason = String(validating: payload.readableBytesView, as: UTF8.self) else {
            return .fail(code: 1007, reason: "Invalid UTF-8 in a close reason")
        }
        return .close(code: code, reason: reason)
    }

    /// The longest close reason in bytes: a control frame carries at most 125 bytes (RFC 6455
    /// §5.5), two of which are the code.
    static let maxCloseReasonBytes = 123

    /// The payload of a Close frame; empty for the codes that never go on the wire (1005, 1006).
    /// A longer reason is cut to ``maxCloseReasonBytes`` at a character boundary, so the frame
    /// stays within 125 bytes and its reason stays UTF-8.
    static func closePayload(code: UInt16, reason: String) -> ByteBuffer {
        guard code != 1005, code != WebSocketCloseCode.abnormal else { return ByteBuffer() }
        var buffer = ByteBuffer()
        buffer.writeInteger(code)
        buffer.writeBytes(truncatedReason(reason))
        return buffer
    }

    /// The UTF-8 bytes of `reason`, cut to at most ``maxCloseReasonBytes`` before the first
    /// character that would not fit whole.
    static func truncatedReason(_ reason: String) -> ArraySlice<UInt8> {
        let bytes = Array(reason.utf8)
        guard bytes.count > maxCloseReasonBytes else { return bytes[...] }
        var end = maxCloseReasonBytes
        // A continuation byte (10xxxxxx) at the cut belongs to a character that started before it.
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return bytes[..<end]
    }
}
