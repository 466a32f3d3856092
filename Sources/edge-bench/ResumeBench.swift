import Foundation
import NIOCore

/// Figure 5 and the resume scaling row: a kitchen WebSocket that reconnects with `after=C` over
/// a gap of G events (a mixed log: orders created, prepared, made ready, completed), timed from
/// the TCP connect to the moment the last event of the gap has been read. The hub is live and
/// fanned the gap out as it was written, as when a tablet drops off the network and comes back:
/// the gap is answered from the hub's memory. A second row resumes over the same gap from a
/// cold hub (evicted before each round), which folds the gap from D1.
///
/// Figure 6: a hub evicted with 1 000 open tickets, then a fresh kitchen WebSocket, timed from
/// the TCP connect to the snapshot having been read; the baseline is the same connect with the
/// hub already live.
struct ResumeBench {
    let settings: Settings
    let group: any EventLoopGroup

    func resume(server: BenchServer) async throws -> [Figure] {
        let gaps = [100, 1_000, 10_000]
        // The hub is running while the gap is written, and fans it out as it comes.
        try await server.catchUpHub()
        try await Seed.append(events: gaps.max()!, openOnly: false, db: server.db)
        try await server.catchUpHub()
        let last = try await server.lastCursor()
        _ = try await timeToCursor(last, after: last - 100, port: server.port)
        var medians: [Int: Double] = [:]
        for gap in gaps {
            var times: [Double] = []
            for _ in 0..<settings.rounds {
                times.append(try await timeToCursor(last, after: last - gap, port: server.port))
            }
            medians[gap] = Stats.median(times)
            progress("5. resume over \(gap): \(Format.ms(medians[gap]!)) (rounds: \(times.map { Format.ms($0) }.joined(separator: ", ")))")
        }
        var cold: [Double] = []
        for _ in 0..<settings.rounds {
            try await server.evictHub(closeSockets: true)
            cold.append(try await timeToCursor(last, after: last - 10_000, port: server.port))
        }
        progress("5. resume over 10000 from a cold hub: \(Format.ms(Stats.median(cold))) (rounds: \(cold.map { Format.ms($0) }.joined(separator: ", ")))")
        let headline = medians[10_000]!
        return [
            Figure(
                figure: "5. resume over a 10 000-event gap, to last event", result: Format.ms(headline), target: "<= 150 ms",
                verdict: headline <= 150 ? .pass : .miss, value: headline, unit: "ms", rounds: settings.rounds,
                detail: "WebSocket ?after=C, TCP connect -> last replayed message read; mixed log (1 order created per 4 events); the live hub answers from the messages it fanned out"),
            Figure(
                figure: "5b. resume over 10 000 events from a cold hub (folded from D1)", result: Format.ms(Stats.median(cold)),
                value: Stats.median(cold), unit: "ms", rounds: settings.rounds,
                detail: "the hub evicted before each round: it loads its board, then reads and folds the gap's orders from D1"),
            Figure(
                figure: "scaling: resume over 100 / 1 000 / 10 000-event gaps",
                result: gaps.map { Format.ms(medians[$0]!) }.joined(separator: " / "), value: headline, unit: "ms",
                rounds: settings.rounds, detail: "per event: " + gaps.map { Format.us(medians[$0]! * 1000 / Double($0)) }.joined(separator: " / ")),
        ]
    }

    func coldStart(server: BenchServer) async throws -> [Figure] {
        try await Seed.append(events: 1_000, openOnly: true, db: server.db)
        try await server.catchUpHub()
        _ = try await timeToSnapshot(port: server.port)
        var cold: [Double] = []
        var warm: [Double] = []
        for _ in 0..<settings.rounds {
            try await server.evictHub(closeSockets: true)
            cold.append(try await timeToSnapshot(port: server.port))
            warm.append(try await timeToSnapshot(port: server.port))
        }
        progress("6. cold start: \(cold.map { Format.ms($0) }.joined(separator: ", ")); warm: \(warm.map { Format.ms($0) }.joined(separator: ", "))")
        let result = Stats.median(cold)
        let base = Stats.median(warm)
        return [Figure(
            figure: "6. hub cold start, 1 000 open tickets, to first snapshot", result: Format.ms(result),
            baseline: "\(Format.ms(base)) (hub already live)", ratio: Format.ratio(result / base), target: "<= 30 ms",
            verdict: result <= 30 ? .pass : .miss, value: result, unit: "ms", baselineValue: base, ratioValue: result / base,
            rounds: settings.rounds, detail: "hub evicted before each round; WebSocket TCP connect -> snapshot read")]
    }

    private func timeToCursor(_ cursor: Int, after: Int, port: Int) async throws -> Double {
        let board = ArrivalBoard(clients: 1)
        board.expect(cursor: cursor, among: 0..<1)
        let start = monotonicNanos()
        let channel = try await KitchenClient.connect(.webSocket, group: group, port: port, after: after, board: board, index: 0)
        defer { channel.close(promise: nil) }
        guard await board.wait(timeout: 30, until: { $0.reached >= 1 }) else {
            throw BenchError("resume after \(after) stopped at cursor \(board.cursor(of: 0)), expected \(cursor)")
        }
        return milliseconds(from: start, to: board.reachedAt(0..<1)[0])
    }

    private func timeToSnapshot(port: Int) async throws -> Double {
        let board = ArrivalBoard(clients: 1)
        let start = monotonicNanos()
        let channel = try await KitchenClient.connect(.webSocket, group: group, port: port, board: board, index: 0)
        defer { channel.close(promise: nil) }
        guard await board.wait(timeout: 30, until: { $0.greeted >= 1 }) else { throw BenchError("no snapshot") }
        return milliseconds(from: start, to: board.firstAt(0..<1)[0])
    }
}
