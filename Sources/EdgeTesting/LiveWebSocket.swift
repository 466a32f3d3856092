import EdgeRuntime
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// The live side of ``TestWebSocket``: a real connection upgraded with NIO's typed WebSocket
/// client upgrader. Frames are masked as a client must; fragmented messages are reassembled;
/// pings are answered; a Close frame from the server is answered and ends the connection.
final class LiveWebSocket: Sendable {
    private enum Upgrade: Sendable {
        case upgraded(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, HTTPResponseHead)
        case refused(NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>)
    }

    static let maxMessageSize = 64 * 1024 * 1024

    private let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
    private let channel: any Channel
    private let closeSent = Mutex(false)

    private init(outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>, channel: any Channel) {
        self.outbound = outbound
        self.channel = channel
    }

    /// Connects and upgrades; a refused upgrade throws ``TestClientError`` with the response.
    static func connect(
        client: LiveHTTPClient,
        path: String,
        headers: Headers,
        timeout: Duration
    ) async throws -> TestWebSocket {
        let head = client.requestHead(.get, path, headers: headers, bodyLength: nil)
        let upgrade = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: client.host, port: client.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(
                        maxFrameSize: maxMessageSize,
                        enableAutomaticErrorHandling: false,
                        upgradePipelineHandler: { channel, response in
                            channel.eventLoop.makeCompletedFuture {
                                .upgraded(try NIOAsyncChannel(wrappingChannelSynchronously: channel), response)
                            }
                        }
                    )
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
                        upgradeRequestHead: head,
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in
                            channel.eventLoop.makeCompletedFuture {
                                .refused(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
                            }
                        }
                    )
                    var pipeline = NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: configuration)
                    // Frames the server sends right behind its 101 arrive in the same read as the
                    // head; NIO's default drops what the HTTP decoder read past the head.
                    pipeline.leftOverBytesStrategy = .forwardBytes
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: pipeline)
                }
            }
        switch try await upgrade.get() {
        case .refused(let channel):
            throw TestClientError.upgradeRefused(try await readRefusal(channel))
        case .upgraded(let asyncChannel, let response):
            let inbox = AsyncInbox<TestWebSocket.Event>()
            let ready = OneShot<LiveWebSocket>()
            Task {
                try? await asyncChannel.executeThenClose { inbound, outbound in
                    let live = LiveWebSocket(outbound: outbound, channel: asyncChannel.channel)
                    ready.resolve(.success(live))
                    await live.read(inbound, into: inbox)
                }
                inbox.finish()
            }
            let live = try await ready.value
            return TestWebSocket(headers: Headers(response.headers), transport: .live(live), inbox: inbox, timeout: timeout)
        }
    }

    private static func readRefusal(_ channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>) async throws -> TestResponse {
        try await channel.executeThenClose { inbound, _ in
            var head: HTTPResponseHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let received): head = received
                case .body(let bytes): body.append(contentsOf: bytes.readableBytesView)
                case .end: break
                }
                if case .end = part { break }
            }
            guard let head else { throw TestClientError.connectionClosed("before the response to the upgrade request") }
            return TestResponse(
                status: .init(code: Int(head.status.code), reasonPhrase: head.status.reasonPhrase),
                headers: Headers(head.headers),
                body: body
            )
        }
    }

    // MARK: sending

    func send(_ message: WebSocketMessage) async throws {
        switch message {
        case .text(let text): try await write(.text, ByteBuffer(string: text))
        case .binary(let bytes): try await write(.binary, ByteBuffer(bytes: bytes))
        }
    }

    /// Writes one frame by hand (for fragmentation and protocol tests).
    func writeFrame(_ opcode: WebSocketOpcode, _ payload: ByteBuffer, fin: Bool, masked: Bool = true) async throws {
        try await outbound.write(WebSocketFrame(fin: fin, opcode: opcode, maskKey: masked ? .random() : nil, data: payload))
    }

    func sendClose(code: UInt16, reason: String) async throws {
        let first = closeSent.withLock { sent in
            defer { sent = true }
            return !sent
        }
        guard first else { return }
        var payload = ByteBuffer()
        payload.writeInteger(code)
        payload.writeString(reason)
        try await write(.connectionClose, payload)
    }

    func abort() {
        channel.close(promise: nil)
    }

    private func write(_ opcode: WebSocketOpcode, _ payload: ByteBuffer) async throws {
        try await outbound.write(WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: payload))
    }

    // MARK: receiving

    private func read(_ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>, into inbox: AsyncInbox<TestWebSocket.Event>) async {
        var opcode: WebSocketOpcode?
        var bytes: [UInt8] = []
        do {
            for try await frame in inbound {
                switch frame.opcode {
                case .text, .binary, .continuation:
                    if frame.opcode != .continuation { opcode = frame.opcode }
                    bytes.append(contentsOf: frame.unmaskedData.readableBytesView)
                    guard frame.fin else { continue }
                    inbox.push(.message(opcode == .text ? .text(String(decoding: bytes, as: UTF8.self)) : .binary(bytes)))
                    bytes = []
                case .ping:
                    try? await write(.pong, frame.unmaskedData)
                case .connectionClose:
                    var payload = frame.unmaskedData
                    let code = payload.readInteger(as: UInt16.self) ?? 1005
                    let reason = payload.readString(length: payload.readableBytes) ?? ""
                    let answered = closeSent.withLock { sent in
                        defer { sent = true }
                        return sent
                    }
                    if !answered { try? await write(.connectionClose, frame.unmaskedData) }
                    inbox.push(.close(TestWebSocket.Close(code: code, reason: reason)))
                    channel.close(promise: nil)
                    return
                default:
                    break
                }
            }
        } catch {
            // The connection failed; reported as 1006 below.
        }
        inbox.push(.close(TestWebSocket.Close(code: WebSocketCloseCode.abnormal, reason: "")))
    }
}
