import Foundation
import NIOCore
import NIOPosix
import Synchronization

// Thousands of raw client connections that only record: what the server sent and when it closed
// the connection. No task per connection: one NIO handler each, on the shared event loops.

/// One raw connection to a server on 127.0.0.1.
final class WireProbe: Sendable {
    let channel: any Channel
    /// Taken before connecting, so the server's clock for this connection starts later.
    let opened: ContinuousClock.Instant
    private let recorder: Recorder

    private init(channel: any Channel, opened: ContinuousClock.Instant, recorder: Recorder) {
        self.channel = channel
        self.opened = opened
        self.recorder = recorder
    }

    static func connect(port: Int) async throws -> WireProbe {
        let opened = ContinuousClock.now
        let recorder = Recorder()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(RecordingHandler(recorder)) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return WireProbe(channel: channel, opened: opened, recorder: recorder)
    }

    /// Opens `count` probes, `batch` at a time, running `prepare` on each once it is connected.
    static func open(
        _ count: Int, port: Int, batch: Int = 100, _ prepare: @escaping @Sendable (WireProbe) async throws -> Void = { _ in }
    ) async throws -> [WireProbe] {
        var probes: [WireProbe] = []
        probes.reserveCapacity(count)
        for start in stride(from: 0, to: count, by: batch) {
            try await withThrowingTaskGroup(of: WireProbe.self) { group in
                for _ in start..<min(count, start + batch) {
                    group.addTask {
                        let probe = try await connect(port: port)
                        try await prepare(probe)
                        return probe
                    }
                }
                for try await probe in group { probes.append(probe) }
            }
        }
        return probes
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Everything received so far.
    var received: [UInt8] { recorder.state.withLock { $0.received } }
    /// When the connection ended (the server closed it, or reset it).
    var closedAt: ContinuousClock.Instant? { recorder.state.withLock { $0.closedAt } }
    var isClosed: Bool { closedAt != nil }

    /// The whole responses received so far, in order; a partial one last is left out.
    var responses: [RawResponse] {
        var reader = ResponseReader()
        reader.feed(received)
        var responses: [RawResponse] = []
        while reader.complete {
            responses.append(reader.response)
            reader = reader.next()
        }
        return responses
    }

    /// Waits until one more whole response has come than `count`.
    func waitForResponse(after count: Int = 0, timeout: Duration = .seconds(30)) async throws -> RawResponse {
        let deadline = ContinuousClock.now + timeout
        while true {
            let responses = self.responses
            if responses.count > count { return responses[count] }
            guard !isClosed, ContinuousClock.now < deadline else {
                throw TestFailure("no response \(count + 1) (closed: \(isClosed)): \(String(decoding: received, as: UTF8.self).prefix(200))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func close() {
        channel.close(promise: nil)
    }

    private final class Recorder: Sendable {
        struct State {
            var received: [UInt8] = []
            var closedAt: ContinuousClock.Instant?
        }

        let state = Mutex(State())
    }

    private final class RecordingHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        let recorder: Recorder

        init(_ recorder: Recorder) {
            self.recorder = recorder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            recorder.state.withLock { $0.received.append(contentsOf: buffer.readableBytesView) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            let now = ContinuousClock.now
            recorder.state.withLock { $0.closedAt = now }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)  // a reset: the channel closes and records it
        }
    }
}

/// This process's open files, from /proc (Linux).
enum OpenFiles {
    static let available = FileManager.default.fileExists(atPath: "/proc/self/net/tcp")

    /// How many of this process's file descriptors there are.
    static var count: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// How many of this process's file descriptors are TCP sockets with `port` at one end: the
    /// server's listening socket and both ends of every connection to it. Other tests running
    /// in the same process do not change it, as they change ``count``.
    static func sockets(onPort port: Int) throws -> Int {
        try socketEntries(onPort: port).count
    }

    /// This process's TCP sockets with `port` at either end, as `local->remote listen|connected`.
    /// Each descriptor is asked for its own addresses (getsockname, getpeername): a read of
    /// /proc/net/tcp, which lists the whole namespace, skips entries while other tests open
    /// and close thousands of sockets, and once missed every socket of this test's server.
    static func socketEntries(onPort port: Int) throws -> [String] {
        var entries: [String] = []
        for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            guard let fd = Int32(entry), let local = Self.port(of: fd, peer: false) else { continue }
            let remote = Self.port(of: fd, peer: true)
            guard local == port || remote == port else { continue }
            var listening: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            let isListening = getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening != 0
            entries.append("\(local)->\(remote.map(String.init) ?? "none") \(isListening ? "listen" : "connected")")
        }
        return entries.sorted()
    }

    /// The port of a TCP socket's own (or its peer's) address; `nil` for anything else.
    private static func port(of fd: Int32, peer: Bool) -> Int? {
        var storage = sockaddr_storage()
        var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                peer ? getpeername(fd, address, &size) : getsockname(fd, address, &size)
            }
        }
        guard result == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) } }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) } }
        default:
            return nil
        }
    }
}
