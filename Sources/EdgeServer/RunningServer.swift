import EdgeConfig
import EdgeRuntime
import Foundation
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A listening HTTP/1.1 server handing every request to one handler: what `Emulator.start`
/// returns.
///
/// Built on HummingbirdCore's `Server` with ``WorkerChannel`` as its child channel. Shutdown is
/// graceful: stop accepting, close WebSockets with 1001 "Going Away" and end event streams at
/// once, let other requests in flight finish for up to a grace period, then end what is left.
public final class RunningServer: Sendable {
    /// The address the server listens on.
    public let host: String
    /// The bound port (the real one when 0 was asked for).
    public let port: Int

    let server: any ConnectionAcceptor
    let registry: ConnectionRegistry
    let running: Task<Void, Never>
    let logger: Logger
    let stopped = Mutex(false)

    /// `http://host:port`, as the ready line prints it.
    public var url: String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    init(host: String, port: Int, server: any ConnectionAcceptor, registry: ConnectionRegistry, running: Task<Void, Never>, logger: Logger) {
        self.host = host
        self.port = port
        self.server = server
        self.registry = registry
        self.running = running
        self.logger = logger
    }

    /// Binds `host:port` (0 picks a free port) and serves until ``shutdown(gracePeriod:)``, with
    /// `limits`' timeouts and cap on every connection.
    /// - Throws: ``ServerError/addressInUse(host:port:)`` when the port is taken.
    static func start(
        host: String, port: Int, logger: Logger, limits: ConnectionLimits = ConnectionLimits(), handler: @escaping RequestHandler
    ) async throws -> RunningServer {
        let registry = ConnectionRegistry()
        let channel = WorkerChannel(handler: handler, registry: registry, logger: logger, limits: limits)
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .notice)  // HummingbirdCore's own start line is ours to print
        let bound = OneShot<Int>()  // the port bound, or why it could not be
        let server = Server(
            childChannelSetup: channel,
            configuration: ServerConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in bound.resolve(.success(channel.localAddress?.port ?? port)) },
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: serverLogger
        )
        let running = Task {
            do {
                try await server.run()
            } catch {
                bound.resolve(.failure(Self.describe(error, host: host, port: port)))
            }
        }
        let boundPort = try await bound.value
        return RunningServer(host: host, port: boundPort, server: server, registry: registry, running: running, logger: logger)
    }

    /// Stops the server: no new connections; WebSockets get 1001 "Going Away" and event streams
    /// end at once; other requests in flight may finish within `gracePeriod`, after which their
    /// streams are ended and their connections closed. Returns when every connection is closed.
    /// Calling it again waits for the first call's work.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else {
            await running.value
            return
        }
        for connection in registry.all { connection.end(force: false) }
        let quiescing = Task { [server] in try? await server.shutdownGracefully() }
        let deadline = ContinuousClock.now + gracePeriod
        while !registry.all.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let remaining = registry.all
        if !remaining.isEmpty {
            logger.debug("Ending \(remaining.count) connection(s) still open after the grace period")
            for connection in remaining { connection.end(force: true) }
            try? await Task.sleep(for: .milliseconds(100))
            for connection in registry.all { connection.channel.close(promise: nil) }
        }
        await quiescing.value
        await running.value
    }

    /// Maps a bind failure to the error users see.
    private static func describe(_ error: any Error, host: String, port: Int) -> any Error {
        guard let ioError = error as? IOError else { return error }
        if ioError.errnoCode == EADDRINUSE { return ServerError.addressInUse(host: host, port: port) }
        return ServerError.bindFailed(host: host, port: port, reason: "\(ioError)")
    }
}
