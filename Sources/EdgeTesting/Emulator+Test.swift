import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import Foundation
import Logging

/// Where `Emulator.test` sends requests.
public enum TestMode: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Straight to `Emulator.handle`, no socket.
    case inProcess
    /// Over a real socket to a server on 127.0.0.1, port 0.
    case live

    public var description: String { rawValue }
}

extension Emulator {
    /// Runs `body` against a fresh emulator of `config` and `module`, the shape of
    /// HummingbirdTesting's `app.test(.router | .live) { client in }`:
    ///
    /// ```swift
    /// try await Emulator.test(.live, config: config, module: module) { client in
    ///     let response = try await client.execute(.get, "/v1/health")
    ///     #expect(response.status == .ok)
    /// }
    /// ```
    ///
    /// Each run gets a new temporary state directory (removed afterwards) and, unless another
    /// clock is given, a `VirtualClock` for the Durable Objects (``TestClient/advance(by:)``).
    /// The worker's `fetch` reaches no network unless `outbound` says so: by default every
    /// subrequest fails naming its URL; `.routes([...])`, `.handler { request in }` or `.network`
    /// answer them (Miniflare's `outboundService`).
    /// With `faults`, the plan is injected (see `FaultPlan`); when the test fails, each issue it
    /// records and any error it throws carry the plan's seed and the command that replays it
    /// (`EDGE_FAULT_SEED=<n> swift test --filter <test>`).
    /// The emulator is always shut down, also when `body` throws.
    public static func test<Value>(
        _ mode: TestMode,
        config: WranglerConfig,
        module: WorkerModule,
        secrets: [String: String] = [:],
        clock: VirtualClock = VirtualClock(),
        lifecycle: LifecycleSettings? = nil,
        logger: Logger = Logger(label: "edge"),
        outbound: OutboundService = .failing,
        faults: FaultPlan? = nil,
        _ body: (TestClient) async throws -> Value
    ) async throws -> Value {
        if let faults { return try await FaultReplay(plan: faults).run { try await test(mode, config: config, module: module, secrets: secrets, clock: clock, lifecycle: lifecycle, logger: logger, outbound: outbound, plan: faults, body) } }
        return try await test(mode, config: config, module: module, secrets: secrets, clock: clock, lifecycle: lifecycle, logger: logger, outbound: outbound, plan: nil, body)
    }

    private static func test<Value>(
        _ mode: TestMode, config: WranglerConfig, module: WorkerModule, secrets: [String: String], clock: VirtualClock,
        lifecycle: LifecycleSettings?, logger: Logger, outbound: OutboundService, plan: FaultPlan?,
        _ body: (TestClient) async throws -> Value
    ) async throws -> Value {
        let stateRoot = FileManager.default.temporaryDirectory
            .appendingPathComponent("edge-test-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: stateRoot) }
        let options = Options(
            stateRoot: stateRoot, secrets: secrets, clock: clock, lifecycle: lifecycle, logger: logger, outbound: outbound, faults: plan)
        let emulator = try await Emulator(config: config, module: module, options: options)
        do {
            let server = mode == .live ? try await emulator.start(host: "127.0.0.1", port: 0) : nil
            let value = try await body(TestClient(emulator: emulator, server: server))
            await emulator.shutdown(gracePeriod: .seconds(5))
            return value
        } catch {
            await emulator.shutdown(gracePeriod: .seconds(5))
            throw error
        }
    }
}
