import NIOCore
import NIOPosix

/// Lean kitchen-display clients for thousands of connections: raw bytes on a NIO channel, no
/// JSON decoding. Each message's cursor is read from its first bytes (the hub encodes with
/// sorted keys, so every KDS message starts `{"cursor":N,`), and its arrival time is taken when
/// the whole message has been read.
enum KitchenClient {
    enum Transport: String, Sendable {
        case webSocket = "WebSocket"
        case serverSentEvents = "SSE"
    }

    static func path(after: Int?) -> String {
        "/v1/kds/stream?restaurant=demo&key=demo-kitchen-key" + (after.map { "&after=\($0)" } ?? "")
    }

    static func request(_ transport: Transport, port: Int, after: Int?) -> ByteBuffer {
        switch transport {
        case .webSocket:
            HTTPWire.request("GET", path(after: after), port: port, headers: [
                ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
            ])
        case .serverSentEvents:
            HTTPWire.request("GET", path(after: after), port: port, headers: [("Accept", "text/event-stream")])
        }
    }

    /// Opens one client; its messages are recorded on `board` as client `index`.
    static func connect(
        _ transport: Transport, group: any EventLoopGroup, port: Int, after: Int? = nil, board: ArrivalBoard, index: Int
    ) async throws -> any Channel {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    switch transport {
                    case .webSocket:
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WebSocketReader(board: board, index: index)))
                    case .serverSentEvents:
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(EventStreamReader(board: board, index: index)))
                    }
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(request(transport, port: port, after: after)).get()
        return channel
    }

    /// Opens `count` clients, at most `parallel` handshakes at a time, and waits until each has
    /// its first message. Returns the channels in index order.
    static func connectMany(
        _ transport: Transport, count: Int, startingAt first: Int = 0, group: any EventLoopGroup, port: Int,
        board: ArrivalBoard, parallel: Int = 64, timeout: Double = 120
    ) async throws -> [any Channel] {
        let greetedBefore = board.greeted
        var channels: [any Channel] = []
        channels.reserveCapacity(count)
        var next = first
        let end = first + count
        while next < end {
            let batch = next..<min(next + parallel, end)
            let opened = try await withThrowingTaskGroup(of: (Int, any Channel).self) { tasks in
                for index in batch {
                    let loop = group.next()
                    tasks.addTask { (index, try await connect(transport, group: loop, port: port, board: board, index: index)) }
                }
                var opened: [(Int, any Channel)] = []
                for try await pair in tasks { opened.append(pair) }
                return opened.sorted { $0.0 < $1.0 }.map(\.1)
            }
            channels += opened
            let target = greetedBefore + (batch.upperBound - first)
            guard await board.wait(timeout: timeout, until: { $0.greeted >= target }) else {
                throw BenchError("only \(board.greeted - greetedBefore) of \(batch.upperBound - first) \(transport.rawValue) clients got their first message")
            }
            next = batch.upperBound
        }
        return channels
    }

    static func close(_ channels: [any Channel]) async {
        for channel in channels { channel.close(promise: nil) }
        for channel in channels { try? await channel.closeFuture.get() }
    }
}

/// Reads the 101, then WebSocket frames (unmasked, from the server).
private final class WebSocketReader: ByteToMessageDecoder {
    typealias InboundOut = Never
    private let board: ArrivalBoard
    private let index: Int
    private var upgraded = false

    init(board: ArrivalBoard, index: Int) {
        self.board = board
        self.index = index
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if !upgraded {
            let head: (Int, Int)? = buffer.withUnsafeReadableBytes { raw in
                HTTPWire.parse(raw).map { ($0.status, $0.headLength) }
            }
            guard let (status, length) = head else { return .needMoreData }
            guard status == 101 else {
                // Refused (a 5xx when the hub was reset as the socket connected): the client
                // closes and reconnects, as a page does, instead of waiting on a dead connection.
                buffer.moveReaderIndex(to: buffer.writerIndex)
                context.close(promise: nil)
                return .needMoreData
            }
            buffer.moveReaderIndex(forwardBy: length)
            upgraded = true
            return .continue
        }
        let frame: (opcode: UInt8, headerLength: Int, payloadLength: Int)? = buffer.withUnsafeReadableBytes { raw in
            guard raw.count >= 2 else { return nil }
            let opcode = raw[0] & 0x0F
            var length = Int(raw[1] & 0x7F)
            var header = 2
            if length == 126 {
                guard raw.count >= 4 else { return nil }
                length = Int(raw[2]) << 8 | Int(raw[3])
                header = 4
            } else if length == 127 {
                guard raw.count >= 10 else { return nil }
                length = (2..<10).reduce(0) { $0 << 8 | Int(raw[$1]) }
                header = 10
            }
            guard raw.count >= header + length else { return nil }
            return (opcode, header, length)
        }
        guard let frame else { return .needMoreData }
        let now = monotonicNanos()
        if frame.opcode == 1 {
            let cursor = buffer.withUnsafeReadableBytes { raw in
                KitchenMessage.cursor(UnsafeRawBufferPointer(rebasing: raw[frame.headerLength..<(frame.headerLength + frame.payloadLength)]))
            }
            if let cursor { board.record(client: index, cursor: cursor, at: now) }
        } else if frame.opcode == 8 {
            board.closed(client: index)
            context.close(promise: nil)
        }
        buffer.moveReaderIndex(forwardBy: frame.headerLength + frame.payloadLength)
        return .continue
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        .needMoreData
    }
}

/// Reads the 200, then the `text/event-stream` body line by line: `event:` and `id:` lines,
/// dispatched at the blank line. Chunk-size lines of the chunked framing are not SSE fields and
/// are skipped like any unknown line (each event is written as one chunk).
private final class EventStreamReader: ByteToMessageDecoder {
    typealias InboundOut = Never
    private let board: ArrivalBoard
    private let index: Int
    private var started = false
    private var isKitchenEvent = false
    private var id: Int?

    init(board: ArrivalBoard, index: Int) {
        self.board = board
        self.index = index
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if !started {
            let head: (Int, Int)? = buffer.withUnsafeReadableBytes { raw in
                HTTPWire.parse(raw).map { ($0.status, $0.headLength) }
            }
            guard let (status, length) = head else { return .needMoreData }
            guard status == 200 else {
                buffer.moveReaderIndex(to: buffer.writerIndex)
                context.close(promise: nil)  // refused: reconnect, as for a WebSocket
                return .needMoreData
            }
            buffer.moveReaderIndex(forwardBy: length)
            started = true
            return .continue
        }
        let consumed: Int = buffer.withUnsafeReadableBytes { raw in
            var lineStart = 0
            var position = 0
            while position < raw.count {
                if raw[position] == 10 {
                    line(UnsafeRawBufferPointer(rebasing: raw[lineStart..<position]))
                    lineStart = position + 1
                }
                position += 1
            }
            return lineStart
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        return .needMoreData
    }

    private func line(_ bytes: UnsafeRawBufferPointer) {
        if bytes.isEmpty {
            if isKitchenEvent, let id { board.record(client: index, cursor: id, at: monotonicNanos()) }
            isKitchenEvent = false
            id = nil
            return
        }
        // "event: order" / "event: snapshot" / "id: 12"
        if bytes.count >= 7, bytes[0] == 101, bytes[1] == 118, bytes[5] == 58 {
            isKitchenEvent = bytes.count >= 9 && (bytes[7] == 111 || bytes[7] == 115)  // order, snapshot
        } else if bytes.count >= 4, bytes[0] == 105, bytes[1] == 100, bytes[2] == 58 {
            var value = 0
            for byte in bytes[4...] where byte >= 48 && byte <= 57 { value = value * 10 + Int(byte - 48) }
            id = value
        }
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        board.closed(client: index)
        return .needMoreData
    }
}

enum KitchenMessage {
    /// The cursor of a KDS message: the number after its leading `{"cursor":`.
    static func cursor(_ payload: UnsafeRawBufferPointer) -> Int? {
        let prefix: [UInt8] = Array(#"{"cursor":"#.utf8)
        guard payload.count > prefix.count else { return nil }
        for (offset, byte) in prefix.enumerated() where payload[offset] != byte { return nil }
        var value = 0
        var position = prefix.count
        while position < payload.count, payload[position] >= 48, payload[position] <= 57 {
            value = value * 10 + Int(payload[position] - 48)
            position += 1
        }
        return value
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
