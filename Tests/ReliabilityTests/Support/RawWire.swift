import EdgeRuntime
import Foundation
import NIOCore
import NIOPosix

// Byte-level clients for what the friendly test clients cannot send: a Content-Length that the
// body never reaches, header blocks of 200 KB, WebSocket frames that break the protocol, a
// consumer that stops reading. All on NIO (no threads of their own), over 127.0.0.1.

typealias RawInbound = NIOAsyncChannelInboundStream<ByteBuffer>
typealias RawOutbound = NIOAsyncChannelOutboundWriter<ByteBuffer>

/// Connects to `host:port` and runs `body` with the raw byte streams; the connection is closed
/// afterwards. `receiveBuffer` sets `SO_RCVBUF` (small values make a consumer that stops reading
/// fill up the server's side quickly).
func withRawConnection<T: Sendable>(
    host: String = "127.0.0.1", port: Int, receiveBuffer: Int? = nil,
    _ body: (RawInbound, RawOutbound) async throws -> T
) async throws -> T {
    var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    if let receiveBuffer {
        bootstrap = bootstrap.channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBuffer))
    }
    let channel = try await bootstrap.connect(host: host, port: port) { channel in
        channel.eventLoop.makeCompletedFuture {
            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                wrappingChannelSynchronously: channel,
                configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }
    return try await channel.executeThenClose { inbound, outbound in
        try await body(inbound, outbound)
    }
}

/// An HTTP/1.1 response as read off the wire, or how the connection ended without one.
struct RawResponse: Sendable, CustomStringConvertible {
    var status: Int?
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// The connection ended (EOF or reset) before a whole response arrived.
    var endedEarly = false
    /// Nothing more came within the timeout.
    var timedOut = false
    var error: String?

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    var description: String {
        "status \(status.map(String.init) ?? "none")\(endedEarly ? " (connection ended early)" : "")\(timedOut ? " (timed out)" : "")\(error.map { " error: \($0)" } ?? ""): \(text.prefix(300))"
    }
}

/// Incremental HTTP/1.1 response reader: the head, then a body framed by Content-Length,
/// chunked transfer coding, or the end of the connection.
struct ResponseReader {
    private var buffer: [UInt8] = []
    private(set) var response = RawResponse()
    private(set) var headDone = false
    private(set) var complete = false
    private var contentLength: Int?
    private var chunked = false
    /// Body bytes decoded so far that the caller has not taken (for streams).
    private(set) var pendingBody: [UInt8] = []

    mutating func feed(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if !headDone { parseHead() }
        if headDone { parseBody() }
    }

    mutating func takeBody() -> [UInt8] {
        defer { pendingBody = [] }
        return pendingBody
    }

    private mutating func parseHead() {
        guard let end = find([13, 10, 13, 10], in: buffer) else { return }
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        response.status = statusLine.count > 1 ? Int(statusLine[1]) : nil
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            response.headers.append((name, value))
        }
        contentLength = response.header("content-length").flatMap(Int.init)
        chunked = response.header("transfer-encoding")?.lowercased().contains("chunked") ?? false
        let status = response.status ?? 0
        if !chunked, contentLength == nil, status == 101 || status == 204 || status == 304 || (100..<200).contains(status) {
            contentLength = 0
        }
        headDone = true
    }

    private mutating func parseBody() {
        if chunked {
            while let lineEnd = find([13, 10], in: buffer) {
                let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                    complete = true
                    return
                }
                guard buffer.count >= lineEnd + 2 + size + 2 else { return }
                let chunk = buffer[(lineEnd + 2)..<(lineEnd + 2 + size)]
                response.body.append(contentsOf: chunk)
                pendingBody.append(contentsOf: chunk)
                buffer.removeFirst(lineEnd + 2 + size + 2)
                if size == 0 {
                    complete = true
                    return
                }
            }
        } else if let contentLength {
            let take = min(contentLength - response.body.count, buffer.count)
            response.body.append(contentsOf: buffer[..<take])
            pendingBody.append(contentsOf: buffer[..<take])
            buffer.removeFirst(take)
            if response.body.count == contentLength { complete = true }
        } else {
            response.body.append(contentsOf: buffer)
            pendingBody.append(contentsOf: buffer)
            buffer = []
        }
    }

    /// A reader for the next response on the same connection, keeping what has come of it.
    func next() -> ResponseReader {
        var reader = ResponseReader()
        reader.feed(buffer)
        return reader
    }

    /// The connection ended: a response framed by the end of the connection is complete.
    mutating func finish() {
        if headDone, !chunked, contentLength == nil { complete = true }
        if !complete { response.endedEarly = true }
    }
}

func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if Array(haystack[start..<(start + needle.count)]) == needle { return start }
    }
    return nil
}

/// Reads one response (errors and the end of the connection are recorded in it).
func readResponse(_ iterator: inout RawInbound.AsyncIterator) async -> RawResponse {
    var reader = ResponseReader()
    do {
        while let chunk = try await iterator.next() {
            reader.feed(chunk.readableBytesView)
            if reader.complete { return reader.response }
        }
        reader.finish()
        return reader.response
    } catch {
        reader.finish()
        var response = reader.response
        response.error = "\(error)"
        return response
    }
}

/// Sends `bytes` on a new connection and reads one response, failing after `timeout`. A server
/// that closes before reading everything may make the write fail: that is not an error here,
/// the response (or its absence) is what counts.
func rawExchange(port: Int, _ bytes: [UInt8], timeout: Duration = .seconds(15)) async throws -> RawResponse {
    try await withTimeout(timeout, "a response") {
        try await withRawConnection(port: port) { inbound, outbound in
            var written = 0
            do {
                while written < bytes.count {
                    let piece = min(64 * 1024, bytes.count - written)
                    try await outbound.write(ByteBuffer(bytes: bytes[written..<(written + piece)]))
                    written += piece
                }
            } catch {
                // The server closed its side; read what it said.
            }
            var iterator = inbound.makeAsyncIterator()
            return await readResponse(&iterator)
        }
    }
}

/// Sends `bytes` on a new connection and reads up to `count` responses from it, in order; a
/// response that never came is one that `endedEarly` or `timedOut`.
func rawExchanges(port: Int, _ bytes: [UInt8], count: Int, timeout: Duration = .seconds(15)) async throws -> [RawResponse] {
    try await withTimeout(timeout, "\(count) responses") {
        try await withRawConnection(port: port) { inbound, outbound in
            do {
                try await outbound.write(ByteBuffer(bytes: bytes))
            } catch {
                // The server closed its side; read what it said.
            }
            var iterator = inbound.makeAsyncIterator()
            var reader = ResponseReader()
            var responses: [RawResponse] = []
            do {
                while responses.count < count, let chunk = try await iterator.next() {
                    reader.feed(chunk.readableBytesView)
                    while reader.complete, responses.count < count {
                        responses.append(reader.response)
                        reader = reader.next()
                    }
                }
            } catch {
                // A reset after the last response: what came is what counts.
            }
            if responses.count < count {
                reader.finish()
                responses.append(reader.response)
            }
            return responses
        }
    }
}

/// The bytes of an HTTP/1.1 request.
func rawRequest(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [], contentLength: Int? = nil) -> [UInt8] {
    var head = "\(method) \(path) HTTP/1.1\r\nhost: 127.0.0.1\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if !body.isEmpty || contentLength != nil { head += "content-length: \(contentLength ?? body.count)\r\n" }
    head += "\r\n"
    return Array(head.utf8) + body
}

// MARK: WebSocket frames by hand

enum RawWebSocket {
    /// The upgrade request for `path`.
    static func upgradeRequest(_ path: String) -> [UInt8] {
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        return rawRequest("GET", path, headers: [
            ("upgrade", "websocket"), ("connection", "Upgrade"), ("sec-websocket-key", key), ("sec-websocket-version", "13"),
        ])
    }

    /// A frame as a client writes it (masked unless told otherwise).
    /// `zeroMask` masks with the key 0 (valid, and free for payloads of many MiB).
    static func frame(opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = true, rsv: UInt8 = 0, announcedLength: UInt64? = nil, zeroMask: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
        let length = announcedLength ?? UInt64(payload.count)
        let maskBit: UInt8 = masked ? 0x80 : 0
        if length < 126 {
            bytes.append(maskBit | UInt8(length))
        } else if length <= 0xFFFF {
            bytes.append(maskBit | 126)
            bytes += [UInt8(length >> 8), UInt8(length & 0xFF)]
        } else {
            bytes.append(maskBit | 127)
            bytes += (0..<8).reversed().map { UInt8((length >> (UInt64($0) * 8)) & 0xFF) }
        }
        guard masked else { return bytes + payload }
        if zeroMask { return bytes + [0, 0, 0, 0] + payload }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return bytes
    }

    /// A server frame (unmasked) read off the wire.
    struct Frame {
        let fin: Bool
        let opcode: UInt8
        let payload: [UInt8]

        var closeCode: UInt16? {
            guard opcode == 8, payload.count >= 2 else { return nil }
            return UInt16(payload[0]) << 8 | UInt16(payload[1])
        }
        var closeReason: String { String(decoding: payload.dropFirst(2), as: UTF8.self) }
        var text: String { String(decoding: payload, as: UTF8.self) }
    }

    /// Splits server frames off the front of `buffer`.
    static func frames(from buffer: inout [UInt8]) -> [Frame] {
        var frames: [Frame] = []
        while buffer.count >= 2 {
            let fin = buffer[0] & 0x80 != 0
            let opcode = buffer[0] & 0x0F
            var length = UInt64(buffer[1] & 0x7F)
            var offset = 2
            if length == 126 {
                guard buffer.count >= 4 else { break }
                length = UInt64(buffer[2]) << 8 | UInt64(buffer[3])
                offset = 4
            } else if length == 127 {
                guard buffer.count >= 10 else { break }
                length = buffer[2..<10].reduce(0) { $0 << 8 | UInt64($1) }
                offset = 10
            }
            guard buffer.count >= offset + Int(length) else { break }
            frames.append(Frame(fin: fin, opcode: opcode, payload: Array(buffer[offset..<(offset + Int(length))])))
            buffer.removeFirst(offset + Int(length))
        }
        return frames
    }
}

/// Reads server frames from an upgraded connection until a Close frame or the end of the
/// connection; hands each data frame to `onMessage`. Returns the Close frame, if one came.
func readFrames(
    _ iterator: inout RawInbound.AsyncIterator, leftover: [UInt8] = [],
    onMessage: (RawWebSocket.Frame) throws -> Void = { _ in }
) async throws -> RawWebSocket.Frame? {
    var buffer = leftover
    while true {
        for frame in RawWebSocket.frames(from: &buffer) {
            if frame.opcode == 8 { return frame }
            if frame.opcode == 1 || frame.opcode == 2 || frame.opcode == 0 { try onMessage(frame) }
        }
        let chunk: ByteBuffer?
        do {
            chunk = try await iterator.next()
        } catch {
            return nil
        }
        guard let chunk else { return nil }
        buffer.append(contentsOf: chunk.readableBytesView)
    }
}

/// Upgrades a raw connection: sends the request and reads up to the end of the 101 head.
/// Returns the status code and the bytes that followed the head (frames already sent).
func upgrade(_ path: String, _ iterator: inout RawInbound.AsyncIterator, _ outbound: RawOutbound) async throws -> (status: Int?, leftover: [UInt8]) {
    try await outbound.write(ByteBuffer(bytes: RawWebSocket.upgradeRequest(path)))
    var buffer: [UInt8] = []
    while find([13, 10, 13, 10], in: buffer) == nil {
        guard let chunk = try await iterator.next() else { throw TestFailure("connection ended during the upgrade") }
        buffer.append(contentsOf: chunk.readableBytesView)
    }
    let end = find([13, 10, 13, 10], in: buffer)!
    let statusLine = String(decoding: buffer[..<end], as: UTF8.self).split(separator: "\r\n").first ?? ""
    let parts = statusLine.split(separator: " ")
    return (parts.count > 1 ? Int(parts[1]) : nil, Array(buffer[(end + 4)...]))
}
