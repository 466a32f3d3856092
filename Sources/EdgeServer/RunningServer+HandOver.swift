import EdgeConfig
import Foundation
import Logging
import NIOCore

extension RunningServer {
    /// Serves on a listening socket bound by another process (`edge dev`'s supervisor), as
    /// ``start(host:port:logger:limits:handler:)`` serves on an address it binds.
    static func start(
        listeningOn socket: ListeningSocket, logger: Logger, limits: ConnectionLimits = ConnectionLimits(), handler: @escaping RequestHandler
    ) async throws -> RunningServer {
        let registry = ConnectionRegistry()
        let channel = WorkerChannel(handler: handler, registry: registry, logger: logger, limits: limits)
        let acceptor = try await InheritedSocketAcceptor.accept(on: socket, setup: channel, registry: registry, logger: logger)
        let running = Task { _ = try? await acceptor.run() }
        return RunningServer(host: socket.host, port: socket.port, server: acceptor, registry: registry, running: running, logger: logger)
    }

    /// Hands the listening socket over to the next build: stops accepting (the socket stays open
    /// in the supervisor, so new connections wait in its backlog) and lets every connection end
    /// without failing a request (`Connection+HandOver.swift`): requests in flight are answered
    /// with `Connection: close`, idle connections close after `idleClose`, event streams end,
    /// WebSockets close with 1012. What is still open after `gracePeriod` is ended as a shutdown
    /// ends it. Returns when every connection is closed.
    func handOver(idleClose: Duration = .milliseconds(500), gracePeriod: Duration) async {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else {
            await running.value
            return
        }
        guard let acceptor = server as? InheritedSocketAcceptor else {
            // Only a server on an inherited socket has someone to hand over to.
            stopped.withLock { $0 = false }
            await shutdown(gracePeriod: gracePeriod)
            return
        }
        await acceptor.stopAccepting()
        let deadline = ContinuousClock.now + gracePeriod
        while !registry.all.isEmpty, ContinuousClock.now < deadline {
            for connection in registry.all { connection.handOverStep(idleClose: idleClose) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let remaining = registry.all
        if !remaining.isEmpty {
            logger.debug("Ending \(remaining.count) connection(s) still open after the hand-over's grace period")
            for connection in remaining { connection.end(force: true) }
            try? await Task.sleep(for: .milliseconds(100))
            for connection in registry.all { connection.channel.close(promise: nil) }
        }
        await running.value
    }
}
