import ArgumentParser
import NIOPosix

/// `edge-bench load worker|bare|orders`: one side of a throughput figure alone, for a profiler
/// (`perf record -g -- edge-bench load worker --seconds 10`).
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load one target alone, for profiling.", shouldDisplay: false)

    @Argument(help: "worker, bare or orders")
    var target: String
    @Option var seconds: Double = 5
    @Option var connections: Int = 16
    @Option var root: String?

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try await BenchServer.start(root: repositoryRoot(root))
        var bare: BareServer?
        let result: LoadResult
        switch target {
        case "bare":
            bare = try await BareServer.start(body: Array(#"{"ok":true}"#.utf8))
            result = try await HTTPLoad.run(
                group: group, port: bare!.port, request: HTTPWire.request("GET", "/v1/health", port: bare!.port),
                expectedStatus: 200, connections: connections, duration: seconds)
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
