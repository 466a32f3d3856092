import Foundation
import Hummingbird
import Logging
import NIOCore

/// Figure 1: `GET /v1/health` through the worker (CounterFire on the `Emulator` server) against a
/// bare Hummingbird route in the same binary returning the same bytes, with the same closed-loop
/// clients. The two servers are measured alternately, the order flipping every round.
struct ThroughputBench {
    let settings: Settings
    let group: any EventLoopGroup

    /// Paired per-round ratios as `median (min-max)`.
    static func spread(_ ratios: [Double]) -> String {
        "\(Format.ratio(Stats.median(ratios))) (\(Format.ratio(ratios.min() ?? .nan))-\(Format.ratio(ratios.max() ?? .nan)))"
    }

    func run(server: BenchServer) async throws -> [Figure] {
        let port = server.port
        let request = HTTPWire.request("GET", "/v1/health", port: port)
        // The worker's own answer, so the bare route can return exactly the same bytes.
        let probe = try await KeepAliveClient.connect(group: group, port: port)
        let (status, body) = try await probe.send(request)
        probe.close()
        guard status == 200 else { throw BenchError("GET /v1/health answered \(status)") }

        let bare = try await BareServer.start(body: body)
        defer { bare.stop() }
        let bareRequest = HTTPWire.request("GET", "/v1/health", port: bare.port)

        let connections = settings.httpConnections
        // Short rounds, three times as many: the box's slow spells (another tenant, a steal of
        // the CPU) then fall on both sides of more pairs instead of on one long round.
        let duration = settings.quick ? 0.2 : 0.5
        let rounds = settings.rounds * 3
        _ = try await HTTPLoad.run(group: group, port: port, request: request, expectedStatus: 200, connections: connections, duration: 0.3)
        _ = try await HTTPLoad.run(group: group, port: bare.port, request: bareRequest, expectedStatus: 200, connections: connections, duration: 0.3)

        var worker: [LoadResult] = []
        var baseline: [LoadResult] = []
        for round in 0..<rounds {
            let measureWorker = { try await HTTPLoad.run(group: group, port: port, request: request, expectedStatus: 200, connections: connections, duration: duration) }
            let measureBare = { try await HTTPLoad.run(group: group, port: bare.port, request: bareRequest, expectedStatus: 200, connections: connections, duration: duration) }
            if round % 2 == 0 {
                worker.append(try await measureWorker())
                baseline.append(try await measureBare())
            } else {
                baseline.append(try await measureBare())
                worker.append(try await measureWorker())
            }
            progress("1. health round \(round + 1): worker \(Int(worker.last!.perSecond)) req/s p99 \(Format.us(worker.last!.p99)), bare \(Int(baseline.last!.perSecond)) req/s p99 \(Format.us(baseline.last!.p99))")
        }
        let failures = worker.map(\.failed).reduce(0, +) + baseline.map(\.failed).reduce(0, +)
        let rps = Stats.median(worker.map(\.perSecond))
        let baseRPS = Stats.median(baseline.map(\.perSecond))
        let rpsRatio = rps / baseRPS
        let pairedRPS = zip(worker, baseline).map { $0.perSecond / $1.perSecond }
        let p99 = Stats.median(worker.map(\.p99))
        let baseP99 = Stats.median(baseline.map(\.p99))
        let p99Ratio = baseP99 / p99
        let pairedP99 = zip(worker, baseline).map { $1.p99 / $0.p99 }
        let load = "\(connections) keep-alive connections, \(duration) s per round, alternating order"
        return [
            Figure(
                figure: "1a. GET /v1/health through the worker, req/s", result: "\(Format.grouped(rps)) req/s",
                baseline: "\(Format.grouped(baseRPS)) req/s (bare Hummingbird)", ratio: Format.ratio(rpsRatio), target: ">= 0.85x",
                verdict: rpsRatio >= 0.85 ? .pass : .miss, value: rps, unit: "req/s", baselineValue: baseRPS,
                ratioValue: rpsRatio, rounds: rounds,
                detail: "\(load); per-round ratios \(Self.spread(pairedRPS)); process CPU per request: worker \(Format.us(Stats.median(worker.map(\.cpuPerRequest)))), bare \(Format.us(Stats.median(baseline.map(\.cpuPerRequest)))) (clients included in both); non-200 or failed: \(failures)"),
            Figure(
                figure: "1b. GET /v1/health through the worker, p99", result: Format.ms(p99 / 1000),
                baseline: "\(Format.ms(baseP99 / 1000)) (bare Hummingbird)", ratio: "\(Format.ratio(p99Ratio)) (base/worker)",
                target: ">= 0.85x", verdict: p99Ratio >= 0.85 ? .pass : .miss, value: p99 / 1000, unit: "ms",
                baselineValue: baseP99 / 1000, ratioValue: p99Ratio, rounds: rounds,
                detail: "\(load); per-round ratios \(Self.spread(pairedP99)); p50 worker \(Format.ms(Stats.median(worker.map(\.p50)) / 1000)), bare \(Format.ms(Stats.median(baseline.map(\.p50)) / 1000))"),
        ]
    }
}

/// The baseline: one Hummingbird route, the same body and content type as the worker's answer.
final class BareServer: Sendable {
    let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    static func start(body: [UInt8]) async throws -> BareServer {
        let router = Router()
        let bytes = ByteBuffer(bytes: body)
        router.get("/v1/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: bytes))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "bare", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw BenchError("the bare Hummingbird server did not start") }
        return BareServer(port: port, task: task)
    }

    func stop() {
        task.cancel()
    }
}
