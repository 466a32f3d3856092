@testable import CounterFire
import EdgeRuntime
import EdgeTesting
import Foundation
import NIOCore
import Testing

/// Frames that break RFC 6455 and messages the KDS does not expect, sent to the kitchen socket
/// over a real connection: each ends that connection with the right close code (or is ignored),
/// and the server keeps serving everyone else.
@Suite struct WebSocketAbuseTests {
    typealias Frame = RawWebSocket.Frame

    /// Opens a raw kitchen socket, reads the snapshot, sends `bytes`, then a clean Close (1000)
    /// in case the server let the bad frame pass; returns the first Close frame the server sent.
    static func sendAndClose(port: Int, _ bytes: [UInt8]) async throws -> Frame? {
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
                do {
                    try await outbound.write(ByteBuffer(bytes: bytes))
                    try await Task.sleep(for: .milliseconds(20))
                    try await outbound.write(ByteBuffer(bytes: RawWebSocket.frame(opcode: 8, [0x03, 0xE8])))
                } catch {
                    // The server may already have closed the connection.
                }
                return try await readFrames(&iterator, leftover: buffer)
            }
        }
    }

    static let protocolViolations: [(name: String, frame: [UInt8], code: UInt16)] = [
        ("reserved bits", RawWebSocket.frame(opcode: 1, Array("hi".utf8), rsv: 4), 1002),
        ("invalid UTF-8 text", RawWebSocket.frame(opcode: 1, [0xFF, 0xFE, 0xFD]), 1007),
        ("truncated UTF-8 text", RawWebSocket.frame(opcode: 1, [0x68, 0xC3]), 1007),
        ("continuation without a start", RawWebSocket.frame(opcode: 0, Array("x".utf8)), 1002),
        ("a new message inside a message", RawWebSocket.frame(opcode: 1, Array("a".utf8), fin: false) + RawWebSocket.frame(opcode: 1, Array("b".utf8)), 1002),
        ("ping of 200 bytes", RawWebSocket.frame(opcode: 9, Array(repeating: 0x61, count: 200)), 1002),
        ("fragmented ping", RawWebSocket.frame(opcode: 9, Array("x".utf8), fin: false), 1002),
        ("announced length 2^63-1", RawWebSocket.frame(opcode: 2, [], announcedLength: UInt64(Int64.max)), 1009),
        ("announced length 33 MiB", RawWebSocket.frame(opcode: 2, [], announcedLength: 33 * 1024 * 1024), 1009),
    ]

    @Test("malformed frames close that connection with 1002, 1007 or 1009; the server stays up and the log unchanged")
    func malformedFrames() async throws {
        try await withCounterFire(.live) { client in
            let port = try #require(client.server?.port)
            try await client.createOrder()
            let before = try await client.log()
            let bystander = try await client.webSocket(kdsPath)
            var board = KitchenBoard()
            try await readKitchen(bystander, into: &board) { $0.cursor == 1 }
            for violation in Self.protocolViolations {
                let close = try await Self.sendAndClose(port: port, violation.frame)
                #expect(close?.closeCode == violation.code, "\(violation.name): \(close.map { "\($0.closeCode.map(String.init) ?? "-") \($0.closeReason)" } ?? "no Close frame")")
                #expect(close.map { !$0.closeReason.isEmpty } == true, "\(violation.name) says why")
            }
            // Frames a strict server would refuse too. The test's own Close (1000) follows each
            // frame, so a Close of 1000 means the frame was passed over; any other code is the
            // server's answer to the frame itself.
            for (name, frame, code) in [
                ("unmasked", RawWebSocket.frame(opcode: 1, Array("hi".utf8), masked: false), UInt16(1000)),
                ("reserved opcode 3", RawWebSocket.frame(opcode: 3, Array("x".utf8)), 1000),
                ("close code 999", RawWebSocket.frame(opcode: 8, [0x03, 0xE7, 0x78]), 1002),
                ("close with one byte", RawWebSocket.frame(opcode: 8, [0x03]), 1002),
                ("close reason not UTF-8", RawWebSocket.frame(opcode: 8, [0x03, 0xE8, 0xFF]), 1007),
            ] {
                let close = try await Self.sendAndClose(port: port, frame)
                #expect(close?.closeCode == code, "\(name): \(close.map { "\($0.closeCode.map(String.init) ?? "no code") \($0.closeReason)" } ?? "no Close frame")")
            }
            // Everyone else is still served: the bystander gets the next event, HTTP answers.
            let order = try await client.createOrder("After the abuse")
            try await readKitchen(bystander, into: &board) { $0.cursor == 2 }
            #expect(board.tickets[order.order.id] != nil)
            #expect(try await client.execute(.get, "/v1/health").status == .ok)
            let log = try await client.log()
            #expect(Array(log.prefix(before.count)) == before)
            #expect(log.count == before.count + 1)
            _ = try await bystander.close()
        }
    }

    @Test(arguments: TestMode.allCases)
    func unexpectedMessagesToTheKitchenSocketAreIgnored(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            // 500 messages and a 1 MiB one through a debug build, beside the rest of the suite
            // (a 32 MiB message, kill -9 bursts) on two cores: the pong can take a while.
            var client = client
            client.timeout = .seconds(60)
            let socket = try await client.webSocket(kdsPath)
            var board = KitchenBoard()
            try board.apply(json: try #require(try await socket.receiveText()))
            let messages: [WebSocketMessage] = [
                .text(#"{"type":"subscribe","after":"x"}"#), .text("{"), .text(""), .text(String(repeating: "[", count: 100_000)),
                .text("DROP TABLE orders;"), .binary(Array(repeating: 0xFF, count: 1024 * 1024)), .binary([]),
                .text(#"{"type":"event","cursor":999,"event":{}}"#),
            ]
            for message in messages { try await socket.send(message) }
            for _ in 0..<500 { try await socket.send("noise") }
            try await socket.send("ping")
            #expect(try await socket.receiveText() == "pong", "the auto-response still answers")
            let order = try await client.createOrder()
            try await readKitchen(socket, into: &board) { $0.cursor == 1 }
            #expect(board.tickets[order.order.id] != nil)
            #expect(try await client.log().count == 1)
            #expect(try await socket.close() == TestWebSocket.Close(code: 1000, reason: ""))
        }
    }

    /// Sends `frames` on a raw kitchen socket (after its snapshot), then "ping"; returns the
    /// server's Close frame, or `nil` when it answered "pong" (the socket is still open).
    static func sendLarge(port: Int, _ frames: [[UInt8]]) async throws -> Frame? {
        try await withTimeout(.seconds(60), "the answer to a large message") {
            try await withRawConnection(port: port) { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                let (status, leftover) = try await upgrade(kdsPath, &iterator, outbound)
                guard status == 101 else { throw TestFailure("upgrade answered \(status.map(String.init) ?? "nothing")") }
                do {
                    for frame in frames { try await outbound.write(ByteBuffer(bytes: frame)) }
                    try await outbound.write(ByteBuffer(bytes: RawWebSocket.frame(opcode: 1, Array("ping".utf8))))
                } catch {
                    // Closed by the server mid-message.
                }
                struct Pong: Error {}
                do {
                    return try await readFrames(&iterator, leftover: leftover) { frame in
                        if frame.opcode == 1, frame.text == "pong" { throw Pong() }
                    }
                } catch is Pong {
                    return nil
                }
            }
        }
    }

    @Test("a message over 32 MiB closes the socket with 1009 \"Message is too large\"; 32 MiB passes")
    func messageSizeLimit() async throws {
        try await withCounterFire(.live) { client in
            let port = try #require(client.server?.port)
            let limit = 32 * 1024 * 1024
            // One frame of 33 MiB, sent whole: refused from its header.
            let whole = try await Self.sendLarge(port: port, [RawWebSocket.frame(opcode: 2, Array(repeating: 0x61, count: limit + 1024 * 1024), zeroMask: true)])
            #expect(whole?.closeCode == 1009)
            #expect(whole?.closeReason == "Message is too large")

            // 33 MiB in two fragments, each under the frame limit: refused by the reassembly.
            let half = Array(repeating: UInt8(ascii: "b"), count: limit / 2 + 512 * 1024)
            let fragmented = try await Self.sendLarge(port: port, [
                RawWebSocket.frame(opcode: 1, half, fin: false, zeroMask: true), RawWebSocket.frame(opcode: 0, half, zeroMask: true),
            ])
            #expect(fragmented?.closeCode == 1009)
            #expect(fragmented?.closeReason == "Message is too large")

            // Exactly 32 MiB is allowed: the socket stays open and the auto-response answers.
            let largest = try await Self.sendLarge(port: port, [RawWebSocket.frame(opcode: 2, Array(repeating: 0x62, count: limit), zeroMask: true)])
            #expect(largest == nil, "32 MiB passes: \(largest.map { "closed \($0.closeCode.map(String.init) ?? "-") \($0.closeReason)" } ?? "")")
            #expect(try await client.execute(.get, "/v1/health").status == .ok)
        }
    }
}
