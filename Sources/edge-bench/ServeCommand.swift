import ArgumentParser
import Foundation

/// `edge-bench serve`: the memory figure's server. Prints `port <n>`, answers `rss` with
/// `rss <bytes>` (after `malloc_trim`), and stops when its input ends.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve CounterFire for the memory figure.", shouldDisplay: false)

    @Option var root: String?

    func run() async throws {
        Memory.raiseFileLimit(to: 65_536)
        let server = try await BenchServer.start(root: repositoryRoot(root))
        try await Seed.append(events: 20, openOnly: true, db: server.db)
        try await server.catchUpHub()
        emit("port \(server.port)")
        let (commands, continuation) = AsyncStream.makeStream(of: String.self)
        DispatchQueue.global().async {
            while let line = Swift.readLine() { continuation.yield(line) }
            continuation.finish()
        }
        for await command in commands where command == "rss" {
            emit("rss \(Memory.residentAfterTrim())")
        }
        await server.stop()
    }
}
