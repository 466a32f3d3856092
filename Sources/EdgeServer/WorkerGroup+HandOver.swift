// `edge dev`'s reload for a session of several workers (`Emulator+HandOver.swift` for one): the
// primary serves the inherited socket; every worker holds its alarms until the new build serves,
// and every worker lets its Durable Objects go when the old build hands over.

extension WorkerGroup {
    /// Serves the primary worker on a listening socket bound by `edge dev`'s supervisor.
    package func start(listeningOn socket: ListeningSocket) async throws -> RunningServer {
        try await primary.start(listeningOn: socket)
    }

    /// Starts every worker's Durable Object alarms (assembled with `startsAlarms` off).
    package func startAlarms() {
        for worker in workers { worker.startAlarms() }
    }

    /// Hands over to the next build: the primary's server drains, then each worker resets its
    /// Durable Objects as a code update and closes its databases.
    package func handOver(gracePeriod: Duration = .seconds(5)) async {
        for worker in workers { await worker.handOver(gracePeriod: gracePeriod) }
    }
}
