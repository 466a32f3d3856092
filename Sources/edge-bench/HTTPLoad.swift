import NIOCore
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What a closed-loop HTTP load run measured.
struct LoadResult: Sendable {
    /// Responses with the expected status.
    var completed: Int
    /// Responses with another status, and connections that failed.
    var failed: Int
    var seconds: Double
    /// Per-request latency, send to last byte, in microseconds.
    var latencies: [Double]
    /// CPU time of the whole process (server and clients) during the run, in microseconds.
    var cpu: Double = 0

    /// Process CPU per completed request: the clients' share is the same for both servers, so
    /// the difference between two runs is the difference between the servers.
    var cpuPerRequest: Double { cpu / Double(max(completed, 1)) }

    var perSecond: Double { Double(completed) / seconds }
    var p50: Double { Stats.percentile(latencies, 50) }
    var p99: Double { Stats.percentile(latencies, 99) }
}

/// A closed-loop load generator: `connections` keep-alive HTTP/1.1 connections, each sending the
/// same request again as soon as the previous response has fully arrived, until the deadline.
/// The same generator and request bytes are used against the worker and its baseline, so both
/// see identical clients.
enum HTTPLoad {
    static func run(
        group: any EventLoopGroup, port: Int, request: ByteBuffer, expectedStatus: Int,
        connections: Int, duration: Double
    ) async throws -> LoadResult {
        let start = monotonicNanos()
        let cpuStart = processCPU()
        let deadline = start + UInt64(duration * 1e9)
        var futures: [EventLoopFuture<ConnectionTally>] = []
        for _ in 0..<connections {
            let loop = group.next()
            let done = loop.makePromise(of: ConnectionTally.self)
            let handler = LoadHandler(request: request, expectedStatus: expectedStatus, deadline: deadline, done: done)
            let connect = ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
                }
                .connect(host: "127.0.0.1", port: port)
            connect.whenFailure { done.fail($0) }
            futures.append(done.futureResult)
        }
        var result = LoadResult(completed: 0, failed: 0, seconds: 0, latencies: [])
        for future in futures {
            do {
                let tally = try await future.get()
                result.completed += tally.completed
                result.failed += tally.failed
                result.latencies += tally.latencies
            } catch {
                result.failed += 1
            }
        }
        result.seconds = seconds(from: start, to: monotonicNanos())
        result.cpu = processCPU() - cpuStart
        return result
    }
}

struct ConnectionTally: Sendable {
    var completed = 0
    var failed = 0
    var latencies: [Double] = []
}

private final class LoadHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: ByteBuffer
    private let expectedStatus: Int
    private let deadline: UInt64
    private let done: EventLoopPromise<ConnectionTally>
    private var received: ByteBuffer?
    private var sentAt: UInt64 = 0
    private var tally = ConnectionTally()
    private var finished = false

    init(request: ByteBuffer, expectedStatus: Int, deadline: UInt64, done: EventLoopPromise<ConnectionTally>) {
        self.request = request
        self.expectedStatus = expectedStatus
        self.deadline = deadline
        self.done = done
        tally.latencies.reserveCapacity(16_384)
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
    }

    private func send(context: ChannelHandlerContext) {
        sentAt = monotonicNanos()
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if received == nil {
            received = bytes
        } else {
            received!.writeBuffer(&bytes)
        }
        while let buffer = received, buffer.readableBytes > 0 {
            let length = buffer.withUnsafeReadableBytes { HTTPWire.parse($0).flatMap { response in response.totalLength.map { ($0, response.status) } } }
            guard let (total, status) = length else { return }
            received!.moveReaderIndex(forwardBy: total)
            if received!.readableBytes == 0 { received = nil } else { received!.discardReadBytes() }
            let now = monotonicNanos()
            if status == expectedStatus {
                tally.completed += 1
                tally.latencies.append(Double(now - sentAt) / 1000)
            } else {
                tally.failed += 1
            }
            if now < deadline {
                send(context: context)
            } else {
                finish(context: context)
                return
            }
        }
    }

    private func finish(context: ChannelHandlerContext) {
        guard !finished else { return }
        finished = true
        done.succeed(tally)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished {
            finished = true
            tally.failed += 1
            done.succeed(tally)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// One keep-alive connection for single requests (creating an order, reading a status). As a
/// browser does, it opens a new connection when the server has closed an idle one
/// (`[dev] keep_alive_timeout`).
final class KeepAliveClient: @unchecked Sendable {
    private let group: any EventLoopGroup
    private let port: Int
    private let connection: Mutex<(channel: any Channel, handler: ReplyHandler)>

    private init(group: any EventLoopGroup, port: Int, channel: any Channel, handler: ReplyHandler) {
        self.group = group
        self.port = port
        self.connection = Mutex((channel, handler))
    }

    static func connect(group: any EventLoopGroup, port: Int) async throws -> KeepAliveClient {
        let (channel, handler) = try await open(group: group, port: port)
        return KeepAliveClient(group: group, port: port, channel: channel, handler: handler)
    }

    private static func open(group: any EventLoopGroup, port: Int) async throws -> (any Channel, ReplyHandler) {
        let handler = ReplyHandler()
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return (channel, handler)
    }

    /// Sends `request` and returns the status and body of the response.
    func send(_ request: ByteBuffer) async throws -> (status: Int, body: [UInt8]) {
        var (channel, handler) = connection.withLock { $0 }
        if !channel.isActive {
            (channel, handler) = try await Self.open(group: group, port: port)
            connection.withLock { $0 = (channel, handler) }
        }
        let promise = channel.eventLoop.makePromise(of: (Int, [UInt8]).self)
        channel.eventLoop.execute {
            // Closed in the meantime: fail rather than wait for a reply that cannot come.
            guard channel.isActive else { return promise.fail(ChannelError.ioOnClosedChannel) }
            handler.pending.append(promise)
        }
        channel.writeAndFlush(request, promise: nil)
        let (status, body) = try await promise.futureResult.get()
        return (status, body)
    }

    func close() {
        connection.withLock { $0.channel }.close(promise: nil)
    }
}

private final class ReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    var pending: [EventLoopPromise<(Int, [UInt8])>] = []
    private var received: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if received == nil { received = bytes } else { received!.writeBuffer(&bytes) }
        while let buffer = received, buffer.readableBytes > 0 {
            let parsed: (Int, Int, [UInt8])? = buffer.withUnsafeReadableBytes { raw in
                guard let response = HTTPWire.parse(raw), let total = response.totalLength else { return nil }
                let body = response.bodyRange.map { Array(raw[$0]) } ?? Array(raw[response.headLength..<total])
                return (total, response.status, body)
            }
            guard let (total, status, body) = parsed else { return }
            received!.moveReaderIndex(forwardBy: total)
            if received!.readableBytes == 0 { received = nil }
            if !pending.isEmpty { pending.removeFirst().succeed((status, body)) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let waiting = pending
        pending = []
        waiting.forEach { $0.fail(ChannelError.ioOnClosedChannel) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// User + system CPU time of this process, in microseconds.
func processCPU() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
}
