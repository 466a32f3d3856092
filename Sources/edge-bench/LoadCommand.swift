import ArgumentParser
import NIOPosix

/// `edge-bench load worker|bare|orders|fanout-ws|fanout-sse`: one side of a figure alone, for a
/// profiler (`perf record -g -- edge-bench load worker --seconds 10`). The fan-out targets attach
/// `--connections` kitchen clients (default 1 000 for them), then create orders one at a time,
/// each once every client has the one before, for `--seconds`; `resume` reconnects one kitchen
/// WebSocket over a 10 000-event gap again and again.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load one target alone, for profiling.", shouldDisplay: false)

    @Argument(help: "worker, bare, orders, fanout-ws, fanout-sse or resume")
    var target: String
    @Option var seconds: Double = 5
    @Option var connections: Int?
    @Option var root: String?

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try await BenchServer.start(root: repositoryRoot(root))
        var bare: BareServer?
        let result: LoadResult
        let connections = self.connections ?? (target.hasPrefix("fanout") ? 1_000 : 16)
        switch target {
        case "bare":
            bare = try await BareServer.start(body: Array(#"{"ok":true}"#.utf8))
            result = try await HTTPLoad.run(
                group: group, port: bare!.port, request: HTTPWire.request("GET", "/v1/health", port: bare!.port),
                expectedStatus: 200, connections: connections, duration: seconds)
        case "fanout-ws", "fanout-sse":
            let transport: KitchenClient.Transport = target == "fanout-ws" ? .webSocket : .serverSentEvents
            try await server.catchUpHub()
            let board = ArrivalBoard(clients: connections)
            let clients = try await KitchenClient.connectMany(transport, count: connections, group: group, port: server.port, board: board)
            let poster = try await KeepAliveClient.connect(group: group, port: server.port)
            var events = 0
            let start = monotonicNanos()
            while Double(monotonicNanos() - start) / 1e9 < seconds {
                board.expect(cursor: try await server.lastCursor() + 1, among: 0..<connections)
                _ = try await poster.send(FanOutBench.createOrder(port: server.port))
                guard await board.wait(timeout: 30, until: { $0.reached >= connections }) else { throw BenchError("an event did not reach every client") }
                events += 1
            }
            let elapsed = Double(monotonicNanos() - start) / 1e9
            emit("\(target): \(events) events to \(connections) clients in \(Format.ms(elapsed * 1000)), \(Format.ms(elapsed * 1000 / Double(events))) per event")
            poster.close()
            await KitchenClient.close(clients)
            await server.stop()
            try? await group.shutdownGracefully()
            return
        case "resume":
            // One kitchen WebSocket resuming over a 10 000-event gap, again and again.
            try await Seed.append(events: 10_000, openOnly: false, db: server.db)
            try await server.catchUpHub()
            let last = try await server.lastCursor()
            var times: [Double] = []
            let start = monotonicNanos()
            while Double(monotonicNanos() - start) / 1e9 < seconds {
                let board = ArrivalBoard(clients: 1)
                board.expect(cursor: last, among: 0..<1)
                let began = monotonicNanos()
                let channel = try await KitchenClient.connect(.webSocket, group: group, port: server.port, after: last - 10_000, board: board, index: 0)
                guard await board.wait(timeout: 30, until: { $0.reached >= 1 }) else { throw BenchError("the resume stopped short") }
                times.append(milliseconds(from: began, to: board.reachedAt(0..<1)[0]))
                try? await channel.close()
            }
            emit("resume: \(times.count) resumes over 10 000 events, median \(Format.ms(Stats.median(times)))")
            await server.stop()
            try? await group.shutdownGracefully()
            return
        case "orders":
            result = try await HTTPLoad.run(
                group: group, port: server.port, request: FanOutBench.createOrder(port: server.port),
                expectedStatus: 201, connections: connections, duration: seconds)
        default:
            result = try await HTTPLoad.run(
                group: group, port: server.port, request: HTTPWire.request("GET", "/v1/health", port: server.port),
                expectedStatus: 200, connections: connections, duration: seconds)
        }
        emit("\(target): \(Int(result.perSecond)) req/s, p50 \(Format.us(result.p50)), p99 \(Format.us(result.p99)), CPU \(Format.us(result.cpuPerRequest))/request, failed \(result.failed)")
        bare?.stop()
        await server.stop()
        try? await group.shutdownGracefully()
    }
}
