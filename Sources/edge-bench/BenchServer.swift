import CounterFire
import EdgeConfig
import EdgeD1
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import Foundation
import Logging

/// CounterFire on a real `Emulator` server on 127.0.0.1 (a free port), with a fresh temporary
/// state directory (real migrations, real SQLite files) that ``stop()`` removes.
///
/// Idle objects are kept in memory (`preventEviction`) so that no idle timer evicts the hub in
/// the middle of a measurement; the benchmarks that need a cold hub evict it by request.
final class BenchServer: Sendable {
    let emulator: Emulator
    let server: RunningServer
    let stateRoot: URL

    var port: Int { server.port }
    var db: D1Database { emulator.d1("DB")! }

    private init(emulator: Emulator, server: RunningServer, stateRoot: URL) {
        self.emulator = emulator
        self.server = server
        self.stateRoot = stateRoot
    }

    static func start(root: URL, stateRoot: URL? = nil, faults: FaultPlan? = nil) async throws -> BenchServer {
        let stateRoot = stateRoot ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("edge-bench-\(UUID().uuidString)", isDirectory: true)
        var config = try WranglerConfig.load(from: root.appendingPathComponent("wrangler-like.toml")).config
        // The scaling step holds 10 000 WebSockets at once, past the default connection cap (half
        // of `ulimit -n`, 10 000 here): the bench lifts it, as a user serving that many would.
        config.dev.connections.maxConnections = 16_000
        let options = Emulator.Options(
            stateRoot: stateRoot,
            lifecycle: LifecycleSettings(preventEviction: true),
            logger: Logger(label: "edge", factory: { _ in SwiftLogNoOpLogHandler() }),
            faults: faults)
        let emulator = try await Emulator(config: config, module: CounterFireWorker.module, options: options)
        let server = try await emulator.start(host: "127.0.0.1", port: 0)
        return BenchServer(emulator: emulator, server: server, stateRoot: stateRoot)
    }

    func stop(removeState: Bool = true) async {
        await emulator.shutdown(gracePeriod: .seconds(2))
        if removeState { try? FileManager.default.removeItem(at: stateRoot) }
    }

    /// The demo restaurant's hub.
    var hub: DurableObjectStub<OrderHub> {
        get throws {
            try emulator.bindings.get("ORDER_HUB", as: DurableObjectNamespace<OrderHub>.self).getByName("demo")
        }
    }

    /// Makes the hub read the log up to its end (what a writer's notice does).
    func catchUpHub() async throws {
        try await hub.call { try await $0.notify() }
    }

    /// Evicts the hub now; `closeSockets` closes its kitchen WebSockets too.
    func evictHub(closeSockets: Bool) async throws {
        try await emulator.durableObjects.evict(
            binding: "ORDER_HUB", target: .name("demo"), webSockets: closeSockets ? .close : .hibernate)
    }

    /// The demo restaurant's last cursor, from D1.
    func lastCursor() async throws -> Int {
        try await db.prepare("SELECT last_cursor FROM restaurant WHERE id = 'demo'").first("last_cursor", as: Int.self) ?? 0
    }
}

/// Where the repository is: `--root`, else found from this file's path (the benchmark is run
/// from a checkout with `swift run`).
func repositoryRoot(_ option: String?) -> URL {
    if let option { return URL(fileURLWithPath: option, isDirectory: true) }
    let here = URL(fileURLWithPath: #filePath)
    let fromSource = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    if FileManager.default.fileExists(atPath: fromSource.appendingPathComponent("wrangler-like.toml").path) { return fromSource }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
}
