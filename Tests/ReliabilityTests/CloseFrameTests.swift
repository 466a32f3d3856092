@testable import CounterFire
import EdgeRuntime
import EdgeTesting
import Foundation
import NIOCore
import Testing

/// Bug 2 of issue 12, on the wire: a Close frame carries at most 125 bytes (RFC 6455 §5.5), and
/// a Close reason that is not UTF-8 is answered with 1007, as a text frame that is not UTF-8 is.
@Suite struct CloseFrameTests {
    typealias Frame = RawWebSocket.Frame

    /// Opens a raw kitchen socket, reads the snapshot, sends `close` (a Close frame's payload);
    /// returns the server's Close frame.
    static func answer(port: Int, toClose close: [UInt8]) async throws -> Frame? {
        try await withTimeout(.seconds(15), "the server's Close frame") {
            try await withRawConnection(port: port) { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                let (status, leftover) = try await upgrade(kdsPath, &iterator, outbound)
                guard status == 101 else { throw TestFailure("upgrade answered \(status.map(String.init) ?? "nothing")") }
                var buffer = leftover
                while RawWebSocket.frames(from: &buffer).isEmpty {
                    guard let chunk = try await iterator.next() else { throw TestFailure("no snapshot") }
                    buffer.append(contentsOf: chunk.readableBytesView)
                }
                try await outbound.write(ByteBuffer(bytes: RawWebSocket.frame(opcode: 8, close)))
                return try await readFrames(&iterator, leftover: buffer)
            }
        }
    }

    static let code4000: [UInt8] = [0x0F, 0xA0]

    @Test("a 123-byte Close reason that is not UTF-8 is answered with 1007 in at most 125 bytes")
    func invalidReasonOfMaximumLength() async throws {
        try await withCounterFire(.live) { client in
            let port = try #require(client.server?.port)
            let cases: [(name: String, reason: [UInt8])] = [
                ("a cut two-byte character at the end", Array(repeating: 0x61, count: 121) + [0xC3, 0x28]),
                ("a lone continuation byte", Array(repeating: 0x61, count: 122) + [0x80]),
                ("0xFF in the middle", Array(repeating: 0x61, count: 60) + [0xFF] + Array(repeating: 0x61, count: 62)),
            ]
            for (name, reason) in cases {
                #expect(reason.count == 123)
                let close = try await Self.answer(port: port, toClose: Self.code4000 + reason)
                #expect(close?.closeCode == 1007, "\(name)")
                #expect(close?.closeReason == "Invalid UTF-8 in a close reason", "\(name)")
                #expect((close?.payload.count ?? 126) <= 125, "\(name)")
            }
        }
    }

    @Test("a valid 123-byte reason is echoed whole; a one-byte Close payload is answered with 1002")
    func validReasonAndOneBytePayload() async throws {
        try await withCounterFire(.live) { client in
            let port = try #require(client.server?.port)
            let reason = Array((String(repeating: "é", count: 61) + "a").utf8)
            #expect(reason.count == 123)
            let echoed = try await Self.answer(port: port, toClose: Self.code4000 + reason)
            #expect(echoed?.payload == Self.code4000 + reason)
            let oneByte = try await Self.answer(port: port, toClose: [0x03])
            #expect(oneByte?.closeCode == 1002)
            let empty = try await Self.answer(port: port, toClose: [])
            #expect(empty?.payload == [], "no status (1005) is answered with an empty Close")
        }
    }
}
