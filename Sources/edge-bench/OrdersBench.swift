import Foundation
import NIOCore

/// Figure 8: orders/s created with `POST /v1/restaurants/demo/orders` (closed loop, keep-alive
/// connections) into one restaurant while 10 kitchen WebSockets are attached and receive every
/// event. The baseline is production's limit of about 1 000 requests/s per Durable Object.
/// After each round the kitchen clients must have every event (checked, and the lag reported).
struct OrdersBench {
    let settings: Settings
    let group: any EventLoopGroup

    func run(server: BenchServer) async throws -> [Figure] {
        let board = ArrivalBoard(clients: 10)
        let sockets = try await KitchenClient.connectMany(.webSocket, count: 10, group: group, port: server.port, board: board)
        defer { Task { await KitchenClient.close(sockets) } }
        let request = FanOutBench.createOrder(port: server.port)
        let connections = settings.httpConnections
        let duration = settings.quick ? 0.6 : 1.5
        _ = try await HTTPLoad.run(group: group, port: server.port, request: request, expectedStatus: 201, connections: connections, duration: 0.3)
        var rates: [Double] = []
        var p99s: [Double] = []
        var lags: [Double] = []
        var failures = 0
        for round in 0..<settings.rounds {
            let result = try await HTTPLoad.run(
                group: group, port: server.port, request: request, expectedStatus: 201, connections: connections, duration: duration)
            let end = monotonicNanos()
            let cursor = try await server.lastCursor()
            board.expect(cursor: cursor, among: 0..<10)
            guard await board.wait(timeout: 30, until: { $0.reached >= 10 }) else {
                throw BenchError("the kitchen clients did not get every order (cursor \(cursor))")
            }
            lags.append(board.reachedAt(0..<10).map { $0 <= end ? 0 : milliseconds(from: end, to: $0) }.max() ?? 0)
            rates.append(result.perSecond)
            p99s.append(result.p99)
            failures += result.failed
            progress("8. orders round \(round + 1): \(Int(result.perSecond)) orders/s, p99 \(Format.ms(result.p99 / 1000)), kitchen lag after load \(Format.ms(lags.last!))")
        }
        let rate = Stats.median(rates)
        return [Figure(
            figure: "8. orders/s into one restaurant, 10 KDS attached", result: "\(Format.grouped(rate)) orders/s",
            baseline: "1 000 req/s (production, per object)", ratio: Format.ratio(rate / 1000), target: ">= 2 000",
            verdict: rate >= 2000 ? .pass : .miss, value: rate, unit: "orders/s", baselineValue: 1000, ratioValue: rate / 1000,
            rounds: settings.rounds,
            detail: "\(connections) keep-alive connections, \(duration) s per round; POST p99 \(Format.ms(Stats.median(p99s) / 1000)); kitchen clients complete \(Format.ms(Stats.median(lags))) after the last 201; non-201: \(failures)")]
    }
}
