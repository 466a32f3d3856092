import ArgumentParser
import EdgeRuntime
import Foundation
import NIOCore
import NIOPosix

/// `edge-bench soak`: CounterFire under mixed load for `--minutes` (default 10), with the hub
/// evicted every second (alternately keeping and closing its kitchen WebSockets) and kitchen
/// clients dropped and reconnected. Prints, each minute, the process's RSS and open file
/// descriptors (both should stay flat), the requests made and failed, and what the kitchen
/// clients saw: resumes, and any gap or repeat in their cursors (both should stay 0).
/// Not part of CI.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak", abstract: "Mixed load with forced evictions and client drops; prints RSS and open fds each minute.")

    @Option(help: "How long to run, in minutes.")
    var minutes: Double = 10

    @Option(help: "Orders created per second (each then moved through its statuses).")
    var ordersPerSecond: Int = 50

    @Option(help: "Kitchen WebSockets and SSE streams kept attached.")
    var kitchens: Int = 40

    @Option(help: "The repository root (where wrangler-like.toml is).")
    var root: String?

    @Option(help: "A fault plan, as edge dev --chaos=SPEC takes it (\"default\" for the default profile): production's failures injected throughout the soak.")
    var chaos: String?

    func run() async throws {
        Memory.raiseFileLimit(to: 65_536)
        let faults = try chaos.map { try FaultSpec(parsing: $0).plan() }
        let server = try await BenchServer.start(root: repositoryRoot(root), faults: faults)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let soak = Soak(server: server, group: group, kitchens: kitchens, ordersPerSecond: ordersPerSecond, faults: faults)
        emit("soak: \(minutes) min, \(ordersPerSecond) orders/s, \(kitchens) WebSockets + \(kitchens / 2) SSE streams, hub evicted every second" + (faults.map { ", faults: \($0)" } ?? ""))
        emit(Soak.header)
        try await soak.run(for: minutes)
        await server.stop()
        try? await group.shutdownGracefully()
    }
}

final class Soak: @unchecked Sendable {
    let server: BenchServer
    let group: any EventLoopGroup
    let kitchens: Int
    let ordersPerSecond: Int
    /// The plan of `--chaos`, held off while the kitchens first connect (the soak's set-up
    /// expects every first snapshot; after it, a dropped client is revived as any other).
    let faults: FaultPlan?
    private let counters = Counters()

    init(server: BenchServer, group: any EventLoopGroup, kitchens: Int, ordersPerSecond: Int, faults: FaultPlan? = nil) {
        self.server = server
        self.group = group
        self.kitchens = kitchens
        self.ordersPerSecond = ordersPerSecond
        self.faults = faults
    }

    static let header = "minute  rss_MiB  open_fds  orders  status_changes  failed_requests  retries  evictions  kitchen_reconnects  gaps  repeats"

    final class Counters: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: Int] = [:]
        func add(_ key: String, _ amount: Int = 1) { lock.withLock { values[key, default: 0] += amount } }
        subscript(key: String) -> Int { lock.withLock { values[key, default: 0] } }
    }

    func run(for minutes: Double) async throws {
        let end = monotonicNanos() + UInt64(minutes * 60e9)
        let wsBoard = ArrivalBoard(clients: kitchens)
        let sseBoard = ArrivalBoard(clients: kitchens / 2)
        let faultRules = faults?.rules ?? [:]
        faults?.stop()
        var sockets = try await KitchenClient.connectMany(.webSocket, count: kitchens, group: group, port: server.port, board: wsBoard)
        var streams = try await KitchenClient.connectMany(.serverSentEvents, count: kitchens / 2, group: group, port: server.port, board: sseBoard)
        faults?.update(rules: faultRules)
        let writer = Task { try await self.write(until: end) }
        var nextReport = monotonicNanos() + 60_000_000_000
        var minute = 0
        var tick = 0
        report(minute: 0, boards: [wsBoard, sseBoard])
        while monotonicNanos() < end {
            try await Task.sleep(for: .seconds(1))
            tick += 1
            do {
                try await server.evictHub(closeSockets: tick % 2 == 0)
                counters.add("evictions")
            } catch {
                counters.add("failed_evictions")
            }
            // Drop a few clients without a close handshake, and bring back every client whose
            // connection ended (dropped here, or closed by an eviction), resuming from its cursor.
            for _ in 0..<max(1, kitchens / 10) {
                sockets[Int.random(in: 0..<sockets.count)].close(promise: nil)
            }
            streams[Int.random(in: 0..<streams.count)].close(promise: nil)
            try await Task.sleep(for: .milliseconds(100))
            sockets = await revive(sockets, .webSocket, board: wsBoard)
            streams = await revive(streams, .serverSentEvents, board: sseBoard)
            if monotonicNanos() >= nextReport {
                minute += 1
                nextReport += 60_000_000_000
                report(minute: minute, boards: [wsBoard, sseBoard])
            }
        }
        try await writer.value
        await KitchenClient.close(sockets + streams)
        // The last line: once the server has closed its side of every client's connection.
        try await Task.sleep(for: .seconds(2))
        report(minute: minute + 1, boards: [wsBoard, sseBoard])
    }

    private func revive(_ channels: [any Channel], _ transport: KitchenClient.Transport, board: ArrivalBoard) async -> [any Channel] {
        var channels = channels
        for index in channels.indices where !channels[index].isActive {
            let cursor = board.cursor(of: index)
            board.reconnect(client: index, resuming: cursor >= 0)
            do {
                channels[index] = try await KitchenClient.connect(
                    transport, group: group, port: server.port, after: cursor >= 0 ? cursor : nil, board: board, index: index)
                counters.add("kitchen_reconnects")
            } catch {
                counters.add("failed_requests")
            }
        }
        return channels
    }

    private func report(minute: Int, boards: [ArrivalBoard]) {
        let (gaps, repeats) = boards.reduce((0, 0)) { total, board in
            let (gaps, repeats) = board.gapsAndRepeats
            return (total.0 + gaps, total.1 + repeats)
        }
        let line = [
            String(minute), Format.number(Double(Memory.resident()) / 1_048_576, digits: 1), String(Memory.openFileDescriptors()),
            String(counters["orders"]), String(counters["status_changes"]), String(counters["failed_requests"]), String(counters["retries"]),
            String(counters["evictions"]), String(counters["kitchen_reconnects"]), String(gaps), String(repeats),
        ]
        let widths = Self.header.split(separator: " ", omittingEmptySubsequences: true).map(\.count)
        emit(zip(line, widths).map { $0.0.padding(toLength: max($0.1, $0.0.count), withPad: " ", startingAt: 0) }.joined(separator: "  "))
    }

    /// Creates orders at the set rate and moves earlier ones through their statuses (and
    /// cancels some) so that about 20 stay open, over a keep-alive connection. As a real client
    /// does, it retries a request that failed with a 5xx or a dropped connection with the same
    /// request (a create with the same Idempotency-Key; a status change to the same status is
    /// idempotent): under `--chaos` a write can fail after its commit, and a create never retried
    /// would leave an order open on the board for good, growing every snapshot and the server's
    /// memory with the workload rather than with a leak.
    private func write(until end: UInt64) async throws {
        struct Created: Decodable { struct Order: Decodable { let id: String }; let order: Order }
        let client = try await KeepAliveClient.connect(group: group, port: server.port)
        defer { client.close() }
        var open: [(id: String, status: Int)] = []
        let statuses = ["preparing", "ready", "completed"]
        let interval = 1.0 / Double(ordersPerSecond)
        var next = monotonicNanos()
        while monotonicNanos() < end {
            next += UInt64(interval * 1e9)
            let create = HTTPWire.request(
                "POST", "/v1/restaurants/demo/orders", port: server.port,
                headers: [("Content-Type", "application/json"), ("Idempotency-Key", UUID().uuidString)], body: FanOutBench.orderBody)
            let (status, body) = await send(create, with: client)
            if status == 201 || status == 200, let created = try? JSONDecoder().decode(Created.self, from: Data(body)) {
                counters.add("orders")
                open.append((created.order.id, 0))
            }
            // Move orders on until at most 20 are open, so the board (and every snapshot) stays
            // the same size and memory measures the server, not a growing workload.
            while open.count > 20, monotonicNanos() < end {
                let index = Int.random(in: 0..<open.count)
                let order = open[index]
                let target = Int.random(in: 0..<10) == 0 ? "cancelled" : statuses[order.status]
                let request = HTTPWire.request(
                    "POST", "/v1/orders/\(order.id)/status", port: server.port,
                    headers: [("Content-Type", "application/json"), ("Authorization", "Bearer demo-kitchen-key")],
                    body: Array(#"{"status":"\#(target)"}"#.utf8))
                let (changed, _) = await send(request, with: client)
                if changed == 200 {
                    counters.add("status_changes")
                    if target == "cancelled" || target == "completed" { open.remove(at: index) } else { open[index].status += 1 }
                }
            }
            let now = monotonicNanos()
            if next > now { try await Task.sleep(for: .nanoseconds(Int(next - now))) }
        }
    }

    /// Sends `request`, and again after a 5xx or a dropped connection (up to 10 times, 20 ms
    /// apart); each failed attempt counts in `failed_requests`. The last status, or 0.
    private func send(_ request: ByteBuffer, with client: KeepAliveClient) async -> (status: Int, body: [UInt8]) {
        for attempt in 1...10 {
            if attempt > 1 {
                counters.add("retries")
                try? await Task.sleep(for: .milliseconds(20))
            }
            if let reply = try? await client.send(request), reply.status < 500 {
                if reply.status >= 400 { counters.add("failed_requests") }
                return reply
            }
            counters.add("failed_requests")
        }
        return (0, [])
    }
}
