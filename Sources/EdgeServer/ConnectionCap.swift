import Foundation
import Logging
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `[dev] max_connections`: how many connections may be open at once. Past the cap a new
/// connection is answered 503 with `Connection: close` (``ConnectionRefusal``) while those open
/// carry on; the first refusal is logged, once per server.
///
/// Accepting and answering, rather than leaving connections in the listen backlog as nginx and
/// HummingbirdCore's `MaximumAvailableConnections` do, tells the client at once what happened
/// instead of leaving it to hang; the cap sits well below the open-file limit so that there are
/// files left to do it with.
final class ConnectionCap: Sendable {
    /// The cap.
    let limit: Int
    private let open = Atomic<Int>(0)
    private let logged = Atomic<Bool>(false)
    private let logger: Logger

    /// The cap for `configured` (`nil`: half the open-file limit); warns when a configured cap is
    /// above the file limit, where `accept` would fail before the cap is reached.
    init(configured: Int?, logger: Logger) {
        self.logger = logger
        let files = Self.openFileLimit()
        if let configured {
            limit = configured
            if let files, configured >= files {
                logger.warning("[dev] max_connections is \(configured), but this process may open only \(files) files (ulimit -n): connections past the file limit fail before the cap answers them. Raise the limit, or lower max_connections.")
            }
        } else {
            limit = files.map { max(1, $0 / 2) } ?? Int(Int32.max)
        }
    }

    /// Counts `channel` in until it closes; `false` (and nothing counted) when `limit`
    /// connections are open.
    func admit(_ channel: any Channel) -> Bool {
        guard open.wrappingAdd(1, ordering: .relaxed).newValue <= limit else {
            open.wrappingSubtract(1, ordering: .relaxed)
            if !logged.exchange(true, ordering: .relaxed) {
                logger.warning("\(limit) connections are open, the limit ([dev] max_connections, --max-connections): new connections are answered 503 until some close. Those open carry on.")
            }
            return false
        }
        channel.closeFuture.whenComplete { _ in self.open.wrappingSubtract(1, ordering: .relaxed) }
        return true
    }

    /// The process's soft limit of open files (`ulimit -n`); `nil` when there is none.
    static func openFileLimit() -> Int? {
        var limits = rlimit()
        // RLIM_INFINITY (all bits set on Linux) does not import as a Swift constant; no real
        // limit is anywhere near Int32.max.
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0, limits.rlim_cur < rlim_t(Int32.max) else { return nil }
        return Int(limits.rlim_cur)
    }
}

/// Answers a connection past ``ConnectionCap`` and closes it: 503 with `Connection: close` at once
/// (before the request arrives, so no request is read at all), then a half-close and a short
/// linger before the full close, so that a request already on its way does not turn the close
/// into a reset that would discard the 503 on the client's side (nginx's lingering close).
final class ConnectionRefusal: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The failure of a refused connection's upgrade result (nothing to handle).
    struct Refused: Error {}

    /// How long a refused connection waits for the client to close before closing itself.
    static let linger = TimeAmount.seconds(1)

    private let limit: Int
    private var answered = false

    init(limit: Int) {
        self.limit = limit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context)
        context.fireChannelActive()
    }

    /// Whatever the client sends is dropped.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func answer(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        let body = "Service Unavailable: the server has \(limit) connections open, its limit. Try again when some have closed.\n"
        let response = "HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: \(body.utf8.count)\r\n\r\n\(body)"
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in
            channel.close(mode: .output, promise: nil)
        }
        channel.eventLoop.scheduleTask(in: Self.linger) { channel.close(promise: nil) }
    }
}
