import ArgumentParser
import Foundation
import NIOPosix

/// `edge-bench`: the benchmark program. `edge-bench` (or `edge-bench run`) prints the table;
/// `edge-bench soak` runs the long mixed-load soak; `edge-bench clients` is the child process
/// that holds kitchen WebSockets for the memory figure.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edge-bench",
        abstract: "Edge and CounterFire benchmarks: every figure beside a baseline measured in the same run.",
        subcommands: [RunCommand.self, SoakCommand.self, ClientsCommand.self, ServeCommand.self, LoadCommand.self],
        defaultSubcommand: RunCommand.self)
}

/// How hard each figure is measured.
struct Settings: Sendable {
    var rounds: Int
    var quick: Bool
    /// Keep-alive connections of the HTTP load generator.
    var httpConnections: Int = 16
    /// Socket counts of the fan-out scaling row.
    var scaleSockets: [Int]
    var fullScale: Bool { scaleSockets.contains(10_000) }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Measure every figure and print one table (the default command).")

    @Flag(help: "Print the table as JSON.")
    var json = false

    @Option(help: "Rounds per figure; each figure is the median over its rounds (default 5, 3 with --quick).")
    var rounds: Int?

    @Flag(help: "Shorter rounds and no 10 000-socket step: under a minute.")
    var quick = false

    @Option(help: "Only these figures, comma-separated numbers 1-9 (the scaling rows come with 4 and 5).")
    var only: String?

    @Option(help: "The repository root (where wrangler-like.toml and .build/release/edge are).")
    var root: String?

    func validate() throws {
        if let rounds, rounds < 1 { throw ValidationError("--rounds must be at least 1") }
    }

    func run() async throws {
        let started = monotonicNanos()
        let loadAtStart = loadAverage()
        let root = repositoryRoot(self.root)
        let settings = Settings(
            rounds: rounds ?? (quick ? 3 : 5), quick: quick, scaleSockets: quick ? [100, 1_000] : [100, 1_000, 10_000])
        let selected = Set((only ?? "1,2,3,4,5,6,7,8,9").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        // The server end of every socket is in this process; the 10 000-socket step's client
        // ends are in a child process with its own limit.
        let fileLimit = Memory.raiseFileLimit(to: 65_536)
        if fileLimit < (settings.scaleSockets.max() ?? 0) + 2 * FanOutBench.inProcessLimit + 500 {
            progress("open-file limit is \(fileLimit): the largest fan-out step may not fit")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var figures: [String: [Figure]] = [:]

        func measure(_ key: String, _ name: String, _ body: () async throws -> [Figure]) async {
            guard selected.contains(key) else { return }
            progress("measuring \(name)")
            do {
                figures[key] = try await body()
            } catch {
                figures[key] = [Figure(figure: name, result: "error", verdict: .miss, detail: "\(error)")]
                progress("\(name) failed: \(error)")
            }
        }
        func withServer(_ body: (BenchServer) async throws -> [Figure]) async throws -> [Figure] {
            let server = try await BenchServer.start(root: root)
            do {
                let result = try await body(server)
                await server.stop()
                return result
            } catch {
                await server.stop()
                throw error
            }
        }

        // Memory first, while the process is young; the rest in an order that keeps the heavy
        // socket figures apart from the throughput ones.
        await measure("9", "9. memory per open KDS WebSocket") { try await MemoryBench(settings: settings, group: group, root: root).run() }
        await measure("2", "2. D1 INSERT") { try await InsertBench(settings: settings).run() }
        await measure("3", "3. stub.fetch round trip") { try await StubBench(settings: settings).run() }
        await measure("1", "1. GET /v1/health through the worker") {
            try await withServer { try await ThroughputBench(settings: settings, group: group).run(server: $0) }
        }
        await measure("8", "8. orders/s into one restaurant") {
            try await withServer { try await OrdersBench(settings: settings, group: group).run(server: $0) }
        }
        await measure("6", "6. hub cold start") {
            try await withServer { try await ResumeBench(settings: settings, group: group).coldStart(server: $0) }
        }
        await measure("5", "5. resume over a gap") {
            try await withServer { try await ResumeBench(settings: settings, group: group).resume(server: $0) }
        }
        await measure("4", "4. fan-out") { try await withServer { try await FanOutBench(settings: settings, group: group).run(server: $0) } }
        await measure("7", "7. edge dev start") { try await DevStartBench(settings: settings, root: root).run() }
        try? await group.shutdownGracefully()

        let order = ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
        var rows = order.flatMap { figures[$0] ?? [] }
        let scaling = rows.filter { $0.figure.hasPrefix("scaling") }
        rows.removeAll { $0.figure.hasPrefix("scaling") }
        rows += scaling
        var command = "swift run -c release edge-bench"
        if quick { command += " --quick" }
        if let rounds { command += " --rounds \(rounds)" }
        if let only { command += " --only \(only)" }
        if json { command += " --json" }
        let elapsed = seconds(from: started, to: monotonicNanos())
        let report = Report(
            command: command, rounds: settings.rounds, quick: quick, cores: ProcessInfo.processInfo.activeProcessorCount,
            loadAverage: [loadAtStart, loadAverage()], seconds: elapsed, figures: rows)
        progress("done in \(Format.number(elapsed, digits: 1)) s; load average \(report.loadAverage.map { Format.number($0, digits: 2) }.joined(separator: " -> "))")
        emit(json ? report.json() : report.table())
    }
}
