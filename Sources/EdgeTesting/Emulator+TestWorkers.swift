import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import Foundation
import Logging

extension Emulator {
    /// Runs `body` against several workers in one process, as `edge dev -c A -c B` runs them:
    /// the first is the primary, which `client` talks to (in-process or over a real socket); the
    /// others are reachable through the bindings of the session, and from the test through
    /// ``TestClient/worker(_:)``.
    ///
    /// ```swift
    /// try await Emulator.test(.live, workers: [
    ///     .init(config: gateway, module: GatewayWorker.module),
    ///     .init(config: api, module: ApiWorker.module),
    /// ]) { client in
    ///     let response = try await client.execute(.get, "/count")   // the gateway, which calls api
    ///     let api = try client.worker("api")                        // its D1, objects and controls
    ///     #expect(try await api.d1("DB")?.prepare("SELECT count(*) AS n FROM hits").first("n") == .integer(1))
    /// }
    /// ```
    ///
    /// As ``test(_:config:module:secrets:clock:lifecycle:logger:outbound:_:)``: one new temporary
    /// state directory for all of them (removed afterwards), one `VirtualClock` unless another is
    /// given, no network unless `outbound` says so; every worker is shut down, also when `body` throws.
    public static func test<Value>(
        _ mode: TestMode,
        workers: [WorkerGroup.Member],
        clock: VirtualClock = VirtualClock(),
        lifecycle: LifecycleSettings? = nil,
        logger: Logger = Logger(label: "edge"),
        outbound: OutboundService = .failing,
        _ body: (TestClient) async throws -> Value
    ) async throws -> Value {
        let stateRoot = FileManager.default.temporaryDirectory
            .appendingPathComponent("edge-test-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: stateRoot) }
        let options = Options(stateRoot: stateRoot, clock: clock, lifecycle: lifecycle, logger: logger, outbound: outbound)
        let group = try await WorkerGroup(workers, options: options)
        do {
            let server = mode == .live ? try await group.start(host: "127.0.0.1", port: 0) : nil
            let value = try await body(TestClient(emulator: group.primary, server: server))
            await group.shutdown(gracePeriod: .seconds(5))
            return value
        } catch {
            await group.shutdown(gracePeriod: .seconds(5))
            throw error
        }
    }
}

extension TestClient {
    /// An in-process client of the worker named `name` in the session of this client's worker
    /// (``Emulator/test(_:workers:clock:lifecycle:logger:outbound:_:)``), for its controls
    /// (`d1`, `evict`, `list`, ...) and requests. Only the first worker serves a port, as in
    /// wrangler, so its requests go straight to `Emulator.handle`.
    /// - Throws: when the session has no worker of that name.
    public func worker(_ name: String) throws -> TestClient {
        guard let other = emulator.worker(name) else {
            throw UnknownWorker(name: name, primary: emulator.config.name)
        }
        return TestClient(emulator: other)
    }
}

/// ``TestClient/worker(_:)`` with a name no worker of the session has.
private struct UnknownWorker: Error, CustomStringConvertible {
    let name: String
    let primary: String
    var description: String {
        "No worker named \"\(name)\" runs in the session of \"\(primary)\": each config given to Emulator.test(_:workers:) is one worker, named by its config's `name`."
    }
}
