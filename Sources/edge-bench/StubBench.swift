import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Logging

/// Figure 3: `stub.fetch(request)` round trip in process (through the host: input gate, event
/// bookkeeping, the object's actor) against a direct `await` of the same `fetch` on a plain
/// actor. Both build the same request and response; samples alternate in blocks.
struct StubBench {
    let settings: Settings

    struct BenchEnv: WorkerEnv {
        init(bindings: Bindings) throws {}
    }

    /// The Durable Object: answers every request with a fixed short body.
    actor EchoObject: DurableObject {
        typealias Env = BenchEnv
        init(state: DurableObjectState, env: BenchEnv) {}
        func fetch(_ request: Request) async throws -> Response { Response("ok") }
    }

    /// The baseline: the same `fetch`, called directly.
    actor DirectEcho {
        func fetch(_ request: Request) async throws -> Response { Response("ok") }
    }

    func run() async throws -> [Figure] {
        let stateRoot = FileManager.default.temporaryDirectory.appendingPathComponent("edge-bench-do-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: stateRoot) }
        let runtime = try DurableObjectRuntime(
            workerName: "bench", stateRoot: stateRoot, classes: [EchoObject.self],
            bindings: [("ECHO", "EchoObject")], sqliteClasses: ["EchoObject"],
            lifecycle: LifecycleSettings(preventEviction: true),
            logger: Logger(label: "edge", factory: { _ in SwiftLogNoOpLogHandler() }))
        let bindings = Bindings(resources: runtime.namespaces())
        runtime.attach(bindings: bindings)
        defer { Task { await runtime.shutdown() } }
        let stub = try bindings.get("ECHO", as: DurableObjectNamespace<EchoObject>.self).getByName("bench")
        let direct = DirectEcho()
        let url = URL(string: "http://echo/ping")!

        let block = 1_000
        let blocks = settings.quick ? 10 : 20
        for _ in 0..<2_000 {
            _ = try await stub.fetch(Request(url: url))
            _ = try await direct.fetch(Request(url: url))
        }
        var stubRounds: [(p50: Double, p99: Double)] = []
        var directRounds: [(p50: Double, p99: Double)] = []
        for round in 0..<settings.rounds {
            var stubSamples: [Double] = []
            var directSamples: [Double] = []
            stubSamples.reserveCapacity(block * blocks)
            directSamples.reserveCapacity(block * blocks)
            for _ in 0..<blocks {
                for _ in 0..<block {
                    let start = monotonicNanos()
                    _ = try await stub.fetch(Request(url: url))
                    stubSamples.append(Double(monotonicNanos() - start) / 1000)
                }
                for _ in 0..<block {
                    let start = monotonicNanos()
                    _ = try await direct.fetch(Request(url: url))
                    directSamples.append(Double(monotonicNanos() - start) / 1000)
                }
            }
            stubRounds.append((Stats.percentile(stubSamples, 50), Stats.percentile(stubSamples, 99)))
            directRounds.append((Stats.percentile(directSamples, 50), Stats.percentile(directSamples, 99)))
            progress("3. stub.fetch round \(round + 1): p50 \(Format.us(stubRounds.last!.p50)) (direct \(Format.us(directRounds.last!.p50)))")
        }
        let p50 = Stats.median(stubRounds.map(\.p50))
        let base = Stats.median(directRounds.map(\.p50))
        let p99 = Stats.median(stubRounds.map(\.p99))
        return [Figure(
            figure: "3. Durable Object stub.fetch round trip, p50", result: Format.us(p50),
            baseline: "\(Format.us(base)) (direct await)", ratio: Format.ratio(p50 / base), target: "p50 <= 20 µs",
            verdict: p50 <= 20 ? .pass : .miss, value: p50, unit: "µs", baselineValue: base, ratioValue: p50 / base,
            rounds: settings.rounds,
            detail: "\(block * blocks) calls per round per side; p99 stub \(Format.us(p99)), direct \(Format.us(Stats.median(directRounds.map(\.p99))))")]
    }
}
