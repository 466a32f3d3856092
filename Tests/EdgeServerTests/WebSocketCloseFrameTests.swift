import NIOCore
import Testing

@testable import EdgeServer

/// Close frames stay within RFC 6455's 125 bytes (§5.5) and their reasons within UTF-8.
@Suite struct WebSocketCloseFrameTests {
    static func payload(_ code: UInt16, _ reason: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(code)
        buffer.writeBytes(reason)
        return buffer
    }

    @Test func aReasonIsCutAtACharacterBoundaryWithinTheLimit() {
        let cases: [(reason: String, kept: String)] = [
            (String(repeating: "a", count: 123), String(repeating: "a", count: 123)),
            (String(repeating: "a", count: 124), String(repeating: "a", count: 123)),
            (String(repeating: "a", count: 122) + "é", String(repeating: "a", count: 122)),  // 2 bytes across 123
            (String(repeating: "a", count: 121) + "€", String(repeating: "a", count: 121)),  // 3 bytes across
            (String(repeating: "a", count: 120) + "😀", String(repeating: "a", count: 120)),  // 4 bytes across
            (String(repeating: "é", count: 61) + "a", String(repeating: "é", count: 61) + "a"),  // exactly 123
            (String(repeating: "é", count: 100), String(repeating: "é", count: 61)),
        ]
        for (reason, kept) in cases {
            let payload = WebSocketBridge.closePayload(code: 4000, reason: reason)
            #expect(payload.readableBytes <= 125)
            #expect(Array(payload.readableBytesView) == Array(Self.payload(4000, Array(kept.utf8)).readableBytesView))
        }
        #expect(WebSocketBridge.closePayload(code: 1005, reason: "x").readableBytes == 0)
        #expect(WebSocketBridge.closePayload(code: 1006, reason: "x").readableBytes == 0)
    }

    @Test func aClientsCloseIsReadOrRefused() {
        #expect(WebSocketBridge.parseClose(ByteBuffer()) == .close(code: 1005, reason: ""))
        #expect(WebSocketBridge.parseClose(Self.payload(1000, [])) == .close(code: 1000, reason: ""))
        #expect(WebSocketBridge.parseClose(Self.payload(4000, Array("bye é".utf8))) == .close(code: 4000, reason: "bye é"))
        #expect(WebSocketBridge.parseClose(ByteBuffer(bytes: [0x03])) == .fail(code: 1002, reason: "Close frame with a one-byte payload"))
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] {
            #expect(WebSocketBridge.parseClose(Self.payload(code, [])) == .fail(code: 1002, reason: "Close frame with an invalid code \(code)"))
        }
        for code: UInt16 in [1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999] {
            #expect(WebSocketBridge.parseClose(Self.payload(code, [])) == .close(code: code, reason: ""))
        }
        let invalid = Array(repeating: UInt8(ascii: "a"), count: 121) + [0xC3, 0x28]
        #expect(WebSocketBridge.parseClose(Self.payload(4000, invalid)) == .fail(code: 1007, reason: "Invalid UTF-8 in a close reason"))
        #expect(WebSocketBridge.parseClose(Self.payload(4000, [0xFF])) == .fail(code: 1007, reason: "Invalid UTF-8 in a close reason"))
    }
}
