import Foundation
import NIOCore

/// Figure 4 and the fan-out scaling row: one order created with `POST /v1/restaurants/demo/orders`
/// reaching every attached kitchen client. Latency is taken per client, from the POST's commit
/// (seen by ``CommitWatch`` on a second SQLite connection) to the moment the client has read the
/// whole event message. Every event is one sample of N latencies; the figure is the median over
/// events of each event's p99. The time from writing the POST to its commit, and to its 201, is
/// reported beside it. An event whose commit was seen late is measured from the POST write
/// (see ``CommitWatch``).
struct FanOutBench {
    let settings: Settings
    let group: any EventLoopGroup

    static let orderBody = Array(#"{"items":[{"name":"Burger","quantity":2,"notes":"no onions"},{"name":"Fries","quantity":1}],"customer_name":"Ada"}"#.utf8)

    static func createOrder(port: Int) -> ByteBuffer {
        HTTPWire.request("POST", "/v1/restaurants/demo/orders", port: port, headers: [("Content-Type", "application/json")], body: orderBody)
    }

    /// Up to this many sockets the clients run in this process (both ends of each connection
    /// count against the open-file limit); above it, in a child process.
    static let inProcessLimit = 1_000

    struct Sample {
        var first: [Double] = []
        var p50: [Double] = []
        var p99: [Double] = []
        var max: [Double] = []
        /// POST written -> commit, and -> 201 read.
        var commit: [Double] = []
        var created: [Double] = []
        var count = 0
        /// Events whose commit was seen late (after the 201 or a delivery): measured from the POST write.
        var late = 0

        var summary: String {
            "first \(Format.ms(Stats.median(first))), p50 \(Format.ms(Stats.median(p50))), max \(Format.ms(Stats.median(max))); POST write -> commit \(Format.ms(Stats.median(commit))), -> 201 \(Format.ms(Stats.median(created)))"
                + (late > 0 ? "; commit seen late in \(late) of \(p99.count) events, those measured from the POST write" : "")
        }

        /// Adds one event's arrivals, measured from its commit (or from the POST write when the
        /// commit was seen after the 201 or after a delivery).
        mutating func add(start: UInt64, commit: UInt64, created: UInt64, arrivals: [UInt64]) {
            let reference: UInt64
            if commit <= created, commit <= (arrivals.min() ?? .max) {
                reference = commit
                self.commit.append(milliseconds(from: start, to: commit))
            } else {
                reference = start
                late += 1
            }
            self.created.append(milliseconds(from: start, to: created))
            let latencies = arrivals.map { milliseconds(from: reference, to: $0) }
            first.append(latencies.min() ?? .nan)
            p50.append(Stats.percentile(latencies, 50))
            p99.append(Stats.percentile(latencies, 99))
            max.append(latencies.max() ?? .nan)
            count += latencies.count
        }
    }

    func run(server: BenchServer) async throws -> [Figure] {
        try await Seed.append(events: 20, openOnly: true, db: server.db)
        try await server.catchUpHub()
        let watch = try CommitWatch(path: server.db.path.path)
        let poster = try await KeepAliveClient.connect(group: group, port: server.port)
        defer { poster.close() }
        var figures: [Figure] = []

        // SSE, alone.
        let sseBoard = ArrivalBoard(clients: 1_000)
        let streams = try await KitchenClient.connectMany(.serverSentEvents, count: 1_000, group: group, port: server.port, board: sseBoard)
        let sse = try await measure(board: sseBoard, clients: 0..<1_000, server: server, poster: poster, watch: watch)
        await KitchenClient.close(streams)
        progress("4. SSE x1000: p99 \(Format.ms(Stats.median(sse.p99)))")

        // WebSockets: 100, then 1 000, then 10 000 attached.
        let sizes = settings.scaleSockets
        let wsBoard = ArrivalBoard(clients: Self.inProcessLimit)
        var sockets: [any Channel] = []
        var byCount: [Int: Sample] = [:]
        var skipped: String?
        for size in sizes where size <= Self.inProcessLimit {
            do {
                let more = try await KitchenClient.connectMany(
                    .webSocket, count: size - sockets.count, startingAt: sockets.count, group: group, port: server.port, board: wsBoard)
                sockets += more
            } catch {
                skipped = "\(size) sockets did not fit: \(error) (open: \(sockets.count))"
                progress("4. \(skipped!)")
                break
            }
            byCount[size] = try await measure(board: wsBoard, clients: 0..<size, server: server, poster: poster, watch: watch)
            progress("4. WebSocket x\(size): p99 \(Format.ms(Stats.median(byCount[size]!.p99)))")
        }
        await KitchenClient.close(sockets)
        // Larger steps: the clients in a child process, which reports its arrival times.
        for size in sizes where size > Self.inProcessLimit && skipped == nil {
            do {
                byCount[size] = try await measureInChild(count: size, server: server, poster: poster, watch: watch)
                progress("4. WebSocket x\(size) (child process): p99 \(Format.ms(Stats.median(byCount[size]!.p99)))")
            } catch {
                skipped = "\(size) sockets: \(error)"
                progress("4. \(skipped!)")
            }
        }

        let events = settings.rounds
        if let ws = byCount[1_000] {
            let p99 = Stats.median(ws.p99)
            figures.append(Figure(
                figure: "4a. order event -> 1 000 KDS WebSockets, p99", result: Format.ms(p99), target: "<= 25 ms",
                verdict: p99 <= 25 ? .pass : .miss, value: p99, unit: "ms", rounds: events,
                detail: "commit -> message read at each client; median over \(events) events of per-event p99; \(ws.summary)"))
        }
        let sseP99 = Stats.median(sse.p99)
        figures.append(Figure(
            figure: "4b. order event -> 1 000 SSE streams, p99", result: Format.ms(sseP99), target: "<= 25 ms",
            verdict: sseP99 <= 25 ? .pass : .miss, value: sseP99, unit: "ms", rounds: events,
            detail: "commit -> event read at each client; median over \(events) events of per-event p99; \(sse.summary)"))
        let measured = sizes.filter { byCount[$0] != nil }
        var scaling = Figure(
            figure: "scaling: fan-out p99 at " + sizes.map { Format.grouped(Double($0)) }.joined(separator: " / ") + " WebSockets",
            result: sizes.map { byCount[$0].map { Format.ms(Stats.median($0.p99)) } ?? "not run" }.joined(separator: " / "),
            rounds: events,
            detail: measured.map { "\($0): \(byCount[$0]!.summary)" }.joined(separator: "; "))
        if let skipped { scaling.detail += "; " + skipped }
        if !settings.fullScale { scaling.detail += "; 10 000 not run with --quick" }
        if byCount[10_000] != nil { scaling.detail += "; the 10 000 step's clients run in a child process" }
        scaling.value = byCount[sizes.last!].map { Stats.median($0.p99) }
        scaling.unit = "ms"
        figures.append(scaling)
        return figures
    }

    /// ``measure(board:clients:server:poster:watch:)`` with `count` clients in a child process.
    func measureInChild(count: Int, server: BenchServer, poster: KeepAliveClient, watch: CommitWatch) async throws -> Sample {
        let child = try BenchChild(["clients", "--port", String(server.port), "--count", String(count)])
        do {
            _ = try await child.expect("ready")
            var sample = Sample()
            for round in -1..<settings.rounds {
                let cursor = try await server.lastCursor() + 1
                child.send("expect \(cursor)")
                watch.start()
                let start = monotonicNanos()
                let (status, _) = try await poster.send(Self.createOrder(port: server.port))
                let created = monotonicNanos()
                guard status == 201 else { throw BenchError("POST orders answered \(status)") }
                guard let commit = await watch.committed() else { throw BenchError("the POST's commit was not seen") }
                let arrivals = try await child.expect("arrived").split(separator: " ").compactMap { UInt64($0) }
                guard arrivals.count == count else { throw BenchError("\(arrivals.count) of \(count) arrival times") }
                if round >= 0 { sample.add(start: start, commit: commit, created: created, arrivals: arrivals) }
                try await Task.sleep(for: .milliseconds(50))
            }
            await child.finish()
            return sample
        } catch {
            await child.finish()
            throw error
        }
    }

    /// Creates `settings.rounds` orders, one at a time, and collects each one's delivery latencies.
    func measure(board: ArrivalBoard, clients: Range<Int>, server: BenchServer, poster: KeepAliveClient, watch: CommitWatch) async throws -> Sample {
        var sample = Sample()
        // One unmeasured event first: wakes every connection's path once.
        for round in -1..<settings.rounds {
            let cursor = try await server.lastCursor() + 1
            board.expect(cursor: cursor, among: clients)
            watch.start()
            let start = monotonicNanos()
            let (status, body) = try await poster.send(Self.createOrder(port: server.port))
            let created = monotonicNanos()
            guard status == 201 else { throw BenchError("POST orders answered \(status): \(String(decoding: body, as: UTF8.self))") }
            guard let commit = await watch.committed() else { throw BenchError("the POST's commit was not seen") }
            guard await board.wait(timeout: 30, until: { $0.reached >= clients.count }) else {
                throw BenchError("only \(board.reached) of \(clients.count) clients got cursor \(cursor)")
            }
            if round >= 0 { sample.add(start: start, commit: commit, created: created, arrivals: board.reachedAt(clients)) }
            try await Task.sleep(for: .milliseconds(50))
        }
        return sample
    }
}
