@testable import CounterFire
import EdgeConfig
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Logging
import Synchronization
import Testing

/// Issue 17: clients that never finish a request, or never leave, are closed by the server within
/// `[dev] header_timeout` and `keep_alive_timeout`, while the server keeps answering and its
/// WebSocket and SSE clients, which keep their own liveness, are left alone.
@Suite struct StuckConnectionTests {
    /// Short times, so the test takes seconds.
    static let limits = ConnectionLimits(
        headerTimeout: .seconds(2), bodyTimeout: .seconds(2), keepAliveTimeout: .seconds(2), maxConnections: 10_000)

    @Test(
        "2 000 half-open heads and 500 idle keep-alives are closed by the server, /v1/health answers throughout, the sockets are released, a WebSocket and an SSE stream live on",
        .enabled(if: OpenFiles.available)
    )
    func halfOpenHeadsAndIdleKeepAlivesAreClosed() async throws {
        try await withCounterFire(limits: Self.limits) { client in
            let port = try #require(client.server?.port)
            // The long-lived clients, idle for longer than every timeout by the end.
            let socket = try await client.webSocket(kdsPath)
            var socketBoard = KitchenBoard()
            try socketBoard.apply(json: try #require(try await socket.receiveText()))
            let events = try await client.events(kdsPath)
            var eventIterator = events.makeAsyncIterator()
            var streamBoard = KitchenBoard()
            let snapshot = try #require(try await eventIterator.next())
            #expect(snapshot.event == "snapshot")
            try streamBoard.apply(json: snapshot.data)
            #expect(try await client.execute(.get, "/v1/health").status == .ok)
            let baselineEntries = try OpenFiles.socketEntries(onPort: port)
            // The listening socket and both ends of the WebSocket's and the stream's connections.
            #expect(baselineEntries.filter { $0.hasSuffix(" listen") }.count == 1, "\(baselineEntries)")
            #expect(baselineEntries.filter { $0.hasSuffix(" connected") }.count >= 4, "\(baselineEntries)")
            let baselineSockets = baselineEntries.count
            let baselineFiles = OpenFiles.count

            let halfHeads = try await WireProbe.open(2_000, port: port) { probe in
                try await probe.send("GET /v1/health HTTP/1.1\r\nHost: x\r\n")
            }
            let sent = Mutex<[ObjectIdentifier: ContinuousClock.Instant]>([:])
            let keepAlives = try await WireProbe.open(500, port: port) { probe in
                sent.withLock { $0[ObjectIdentifier(probe)] = ContinuousClock.now }
                try await probe.send("GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try await probe.waitForResponse()
            }
            let peakFiles = OpenFiles.count
            let probes = halfHeads + keepAlives

            // The server answers while they are open, and closes every one of them.
            var answeredUnderLoad = 0
            let deadline = ContinuousClock.now + .seconds(120)
            while probes.contains(where: { !$0.isClosed }) {
                guard ContinuousClock.now < deadline else {
                    throw TestFailure("\(probes.filter { !$0.isClosed }.count) of \(probes.count) connections still open")
                }
                let health = try await client.execute(.get, "/v1/health")
                #expect(health.status == .ok)
                if health.status == .ok, probes.contains(where: { !$0.isClosed }) { answeredUnderLoad += 1 }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(answeredUnderLoad > 0)

            // A half head: 408 with Connection: close, and not before header_timeout.
            for probe in halfHeads {
                let responses = probe.responses
                #expect(responses.count == 1 && responses[0].status == 408, "\(responses)")
                #expect(responses.first?.header("connection") == "close")
                #expect(try #require(probe.closedAt) - probe.opened >= .seconds(2))
            }
            // An idle keep-alive: its one 200, nothing more, closed not before keep_alive_timeout.
            for probe in keepAlives {
                let responses = probe.responses
                #expect(responses.map(\.status) == [200], "\(responses)")
                let sentAt = try #require(sent.withLock { $0[ObjectIdentifier(probe)] })
                #expect(try #require(probe.closedAt) - sentAt >= .seconds(2))
            }
            let latest = probes.compactMap { probe in probe.closedAt.map { $0 - probe.opened } }.max() ?? .zero
            print("StuckConnectionTests: \(probes.count) connections closed by the server, the last \(latest) after it opened; \(answeredUnderLoad) health checks answered meanwhile; files open: \(baselineFiles) before, \(peakFiles) at the peak")

            // Every socket of those connections is released, on both ends.
            do {
                try await waitUntil(timeout: .seconds(60)) { ((try? OpenFiles.sockets(onPort: port)) ?? .max) <= baselineSockets }
            } catch {
                throw TestFailure(
                    "sockets on port \(port) not back to the \(baselineSockets) before the probes (\(baselineEntries)) within 60 s: \((try? OpenFiles.socketEntries(onPort: port)) ?? ["/proc unreadable"])")
            }

            // The WebSocket and the event stream, idle all along, are open and get the next event.
            let order = try await client.createOrder()
            try await readKitchen(socket, into: &socketBoard) { $0.tickets[order.order.id] != nil }
            try await readKitchen(&eventIterator, into: &streamBoard) { $0.tickets[order.order.id] != nil }
            events.cancel()
            _ = try await socket.close()
        }
    }
}

/// CounterFire on the repository's config, live, with `limits` as its `[dev]` connection limits.
func withCounterFire<T>(limits: ConnectionLimits, logger: Logger = quietLogger, _ body: (TestClient) async throws -> T) async throws -> T {
    var config = try WranglerConfig.load(from: repositoryRoot.appendingPathComponent("wrangler-like.toml")).config
    config.dev.connections = limits
    return try await Emulator.test(.live, config: config, module: CounterFireWorker.module, logger: logger, body)
}
