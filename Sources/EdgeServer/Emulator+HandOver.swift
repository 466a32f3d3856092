import EdgeDurableObjects
import Foundation

// What `edge dev`'s reload asks of one build of the worker (EdgeCLI's `DevSupervisor.swift` has
// the whole sequence). The new build is assembled with `Options.startsAlarms` off, so it has
// opened its databases and applied new migrations but runs no Durable Object yet; the old build
// hands over (`handOver`), letting every object go; only then does the new one start its alarms
// and accept (`startAlarms`, `start(listeningOn:)`). No object is ever live in both.

extension Emulator {
    /// Serves on a listening socket bound by `edge dev`'s supervisor. Unlike
    /// ``start(host:port:)`` it does not log `Ready on`: a reload is not a start.
    package func start(listeningOn socket: ListeningSocket) async throws -> RunningServer {
        guard state.withLock({ $0.server == nil && !$0.stopped }) else {
            throw ServerError.startup("The emulator is already serving, or has been shut down.")
        }
        let server = try await RunningServer.start(listeningOn: socket, logger: logger, limits: config.dev.connections) { [self] request, peer in
            await self.handle(request, remoteAddress: peer)
        }
        let refused: Bool = state.withLock { state in
            guard state.server == nil, !state.stopped else { return true }
            state.server = server
            return false
        }
        if refused {
            await server.shutdown(gracePeriod: .zero)
            throw ServerError.startup("The emulator is already serving, or has been shut down.")
        }
        return server
    }

    /// Starts the Durable Objects' alarms of an emulator assembled with `startsAlarms` off.
    package func startAlarms() {
        durableObjects.attach(bindings: bindings)
    }

    /// Hands over to the next build, as a code update does in production: the server stops
    /// accepting and its connections end without a failed request
    /// (``RunningServer/handOver(idleClose:gracePeriod:)``), `waitUntil` work may finish, then
    /// every Durable Object is reset (events still in flight fail with "Durable Object reset
    /// because its code was updated.") and the runtime shuts down, so no event reaches an object
    /// here again; the databases close. Storage is kept for the next build. Everything is bounded
    /// by `gracePeriod`.
    package func handOver(gracePeriod: Duration = .seconds(5)) async {
        let (server, first): (RunningServer?, Bool) = state.withLock { state in
            defer { state = (nil, true) }
            return (state.server, !state.stopped)
        }
        guard first else { return }
        let deadline = ContinuousClock.now + gracePeriod
        if let server {
            logger.info("Handing over to the new build")
            await server.handOver(gracePeriod: gracePeriod)
        }
        await pendingWork.settle(until: deadline)
        for namespace in durableObjects.list() {
            _ = try? await durableObjects.reset(binding: namespace.binding, target: .all)
        }
        await durableObjects.shutdown()
        databases.values.forEach { $0.close() }
    }
}
