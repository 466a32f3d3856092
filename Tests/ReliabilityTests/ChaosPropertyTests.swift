@testable import CounterFire
import EdgeRuntime
import EdgeTesting
import Foundation
import PropertyBased
import Synchronization
import Testing

/// CounterFire's guarantee under production's failures: concurrent clients place hundreds of
/// orders and change their status through a random fault plan (evictions and resets at events
/// and between awaits, lost and overloaded stub calls, D1 errors before and after the commit,
/// dropped WebSockets and event streams, slow I/O) over real sockets. Writers retry as a real
/// client does: the same Idempotency-Key after a 5xx or a lost connection. Kitchens (two on
/// WebSockets, one on Server-Sent Events) reconnect with `after=` their last cursor.
///
/// Properties: the log is gapless and well formed; every acknowledged order is in it exactly
/// once and no retry made a second order; every kitchen applied exactly the log, in order, with
/// no duplicate.
///
/// Each run is one seed, from which the plan and the workload are drawn. A failure names it;
/// `EDGE_FAULT_SEED=<n> swift test --filter ChaosPropertyTests` runs that seed alone (the same
/// faults at the same occurrences; the interleaving of concurrent clients may differ).
/// To narrow a failure: `EDGE_CHAOS_ONLY=reset,drop-stream` keeps only those kinds of the
/// seed's plan, `EDGE_CHAOS_TRACE=1` prints progress every 3 s.
@Suite(.serialized) struct ChaosPropertyTests {
    static let writers = 4
    static let ordersPerWriter = 40
    static let runs = 3

    /// The plan and workload of one seed.
    struct Scenario: Sendable, CustomStringConvertible {
        let seed: UInt64
        let rules: [FaultKind: FaultSchedule]
        /// Which orders (by writer and index) also move to `preparing`, then `ready`.
        let statusChanges: Set<Int>

        init(seed: UInt64) {
            self.seed = seed
            var rng = Xoshiro(seed: (seed, seed ^ 0x9E37_79B9_7F4A_7C15, ~seed, seed &* 31))
            let kinds: [(FaultKind, ClosedRange<Double>)] = [
                (.evictHibernate, 0.005...0.03), (.evictClose, 0.005...0.02), (.reset, 0.002...0.015),
                (.stubNetwork, 0.01...0.08), (.stubOverloaded, 0.005...0.03), (.d1BeforeCommit, 0.01...0.06),
                (.d1AfterCommit, 0.01...0.06), (.dropWebSocket, 0.002...0.02), (.dropStream, 0.002...0.02), (.slowIO, 0.01...0.05),
            ]
            var rules: [FaultKind: FaultSchedule] = [:]
            for (kind, range) in kinds where Int.random(in: 0..<5, using: &rng) != 0 {
                rules[kind] = .rate(Double.random(in: range, using: &rng))
            }
            if let only = ProcessInfo.processInfo.environment["EDGE_CHAOS_ONLY"] {
                let kinds = Set(only.split(separator: ",").compactMap { FaultKind(rawValue: String($0)) })
                rules = rules.filter { kinds.contains($0.key) }
            }
            self.rules = rules
            statusChanges = Set((0..<(writers * ordersPerWriter)).filter { _ in Bool.random(using: &rng) })
        }

        var description: String { FaultPlan(seed: seed, rules).description }
    }

    @Test func ordersSurviveARandomFaultPlan() async throws {
        if let seed = FaultPlan.environmentSeed {
            try await run(Scenario(seed: seed))
            return
        }
        await propertyCheck(count: Self.runs, input: Gen.uint64(in: 0...UInt64(UInt32.max))) { seed in
            try await run(Scenario(seed: seed))
        }
    }

    func run(_ scenario: Scenario) async throws {
        let plan = FaultPlan(seed: scenario.seed, scenario.rules, slowIODelay: .milliseconds(3))
        // The seed goes on every issue: `propertyCheck` reports its own, which EDGE_FAULT_SEED does not replay.
        let replay = "[fault plan \(scenario); replay: \(FaultPlan.seedVariable)=\(scenario.seed) swift test --filter ChaosPropertyTests]"
        try await withCounterFire(.live, faults: plan) { client in
            let target = Target()
            // A quiet kitchen reconnects (resuming) after 2 s, so one that is done stops waiting.
            var kitchenClient = client
            kitchenClient.timeout = .seconds(2)
            let kitchens = [
                Task { [kitchenClient] in try await Self.webSocketKitchen(kitchenClient, "ws1", until: target) },
                Task { [kitchenClient] in try await Self.webSocketKitchen(kitchenClient, "ws2", until: target) },
                Task { [kitchenClient] in try await Self.eventStreamKitchen(kitchenClient, until: target) },
            ]
            let trace = ProcessInfo.processInfo.environment["EDGE_CHAOS_TRACE"] == nil ? nil : Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(3))
                    let objects = client.list().flatMap(\.objects).map { "\($0.state) inFlight \($0.inFlight) queued \($0.queued) sockets \($0.sockets)" }
                    let log = (try? await client.log().count) ?? -1
                    print("[chaos] log \(log) target \(String(describing: target.count.withLock { $0 })) progress \(Progress.shared.state.withLock { $0 }) objects \(objects) injected \(plan.injected.count)")
                }
            }
            defer { trace?.cancel() }
            let acknowledged = try await withThrowingTaskGroup(of: [String: String].self) { group in
                for writer in 0..<Self.writers {
                    group.addTask { try await Self.write(client, writer: writer, scenario) }
                }
                return try await group.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
            }
            // A lost notice is carried by the next write: one after the chaos flushes any.
            plan.stop()
            Progress.shared.set("main", "writers done")
            let sentinel = try await Self.retrying { try await client.createOrder("Sentinel", key: "sentinel") }
            Progress.shared.set("main", "sentinel written")
            let log = try await client.log()
            target.count.withLock { $0 = log.last?.cursor ?? 0 }
            let boards = try await withThrowingTaskGroup(of: KitchenBoard.self) { group in
                for kitchen in kitchens { group.addTask { try await kitchen.value } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            Progress.shared.set("main", "boards collected")

            expectWellFormed(log)
            let created = log.filter { $0.type == .created }.map(\.orderID)
            #expect(Set(created).count == created.count, "an order was created twice \(replay)")
            #expect(Set(created) == Set(acknowledged.values).union([sentinel.order.id]), "the log's orders are exactly the acknowledged ones \(replay)")
            #expect(acknowledged.count == Self.writers * Self.ordersPerWriter, "\(replay)")
            let expected = log.map { "\($0.orderID)#\($0.seq)" }
            for board in boards {
                #expect(board.applied.map { "\($0.orderID)#\($0.seq)" } == expected, "a kitchen lost, repeated or reordered a ticket \(replay)")
                #expect(board.duplicates == 0 && board.outOfOrder == 0, "\(replay)")
            }
            #expect(plan.injected.values.reduce(0, +) > 0, "the plan injected nothing \(replay)")
        }
    }

    // MARK: Clients

    /// Retries `body` on a 5xx or a lost connection (what `createOrder` and the status calls
    /// throw then), as a real client does, up to 30 times.
    static func retrying<T>(_ body: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await body()
            } catch {
                if attempt >= 30 { throw error }
                try await Task.sleep(for: .milliseconds(attempt))
            }
        }
    }

    /// One writer's orders, each with its own Idempotency-Key: key -> the order id acknowledged.
    static func write(_ client: TestClient, writer: Int, _ scenario: Scenario) async throws -> [String: String] {
        var acknowledged: [String: String] = [:]
        for index in 0..<ordersPerWriter {
            let key = "w\(writer)-\(index)"
            let id = try await retrying {
                let response = try await client.execute(
                    .post, "/v1/restaurants/demo/orders", headers: ["content-type": "application/json", "idempotency-key": key],
                    text: #"{"items":[{"name":"Order \#(key)","quantity":1}]}"#)
                guard response.status == .created || response.status == .ok else { throw TestFailure("create \(key): \(response.status) \(response.text)") }
                return try response.json(as: CreatedOrder.self).order.id
            }
            acknowledged[key] = id
            Progress.shared.set("w\(writer)", "\(index)")
            guard scenario.statusChanges.contains(writer * ordersPerWriter + index) else { continue }
            for status in ["preparing", "ready"] {
                try await retrying {
                    let response = try await client.changeStatus(id, to: status)
                    guard response.status == .ok else { throw TestFailure("\(status) \(key): \(response.status) \(response.text)") }
                }
            }
        }
        return acknowledged
    }

    final class Progress: Sendable {
        static let shared = Progress()
        let state = Mutex<[String: String]>([:])
        func set(_ key: String, _ value: String) { state.withLock { $0[key] = value } }
    }

    /// The log's last cursor, once the writers are done.
    final class Target: Sendable {
        let count = Mutex<Int?>(nil)
    }

    /// Whether a kitchen has reached the end: the log's last cursor is known and the kitchen is
    /// there (what it applied on the way is checked after).
    static func done(_ board: KitchenBoard, _ target: Target) -> Bool {
        target.count.withLock { $0 }.map { board.cursor >= $0 } ?? false
    }

    /// A kitchen on a WebSocket: reconnects with `after=` its cursor whenever the socket ends,
    /// fails to open, or is quiet for the client's timeout.
    static func webSocketKitchen(_ client: TestClient, _ me: String, until target: Target) async throws -> KitchenBoard {
        var board = KitchenBoard()
        let deadline = ContinuousClock.now + .seconds(300)
        while !done(board, target) {
            try #require(ContinuousClock.now < deadline, "a WebSocket kitchen never caught up: \(board.applied.count) events")
            do {
                Progress.shared.set(me, "connecting at \(board.applied.count)")
                let socket = try await client.webSocket(kdsPath + "&after=\(board.cursor)")
                Progress.shared.set(me, "connected at \(board.applied.count)")
                defer { Task { try? await socket.close(code: 1000) } }
                while !done(board, target) {
                    guard let text = try await socket.receiveText() else { break }
                    try board.apply(json: text)
                    Progress.shared.set(me, "read \(board.applied.count) at \(board.cursor)")
                }
            } catch {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        Progress.shared.set(me, "done")
        return board
    }

    /// A kitchen on Server-Sent Events: resumes with `after=` its cursor whenever the stream
    /// ends, is cut, or fails to open.
    static func eventStreamKitchen(_ client: TestClient, until target: Target) async throws -> KitchenBoard {
        var board = KitchenBoard()
        let deadline = ContinuousClock.now + .seconds(300)
        while !done(board, target) {
            try #require(ContinuousClock.now < deadline, "the event-stream kitchen never caught up: \(board.applied.count) events")
            do {
                Progress.shared.set("sse", "connecting at \(board.applied.count)")
                let stream = try await client.events(kdsPath + "&after=\(board.cursor)")
                Progress.shared.set("sse", "connected at \(board.applied.count)")
                // The stream has no read timeout (the hub's heartbeat runs on the virtual clock):
                // a watchdog ends it when the kitchen is done or hears nothing for the client's timeout.
                let heard = Mutex((cursor: board.cursor, at: ContinuousClock.now))
                let watchdog = Task {
                    while !Task.isCancelled {
                        try await Task.sleep(for: .milliseconds(20))
                        let (cursor, at) = heard.withLock { ($0.cursor, $0.at) }
                        if target.count.withLock({ $0.map { cursor >= $0 } ?? false }) || ContinuousClock.now - at > client.timeout {
                            stream.cancel()
                            return
                        }
                    }
                }
                defer {
                    watchdog.cancel()
                    stream.cancel()
                }
                guard stream.status == .ok else { throw TestFailure("stream \(stream.status)") }
                var iterator = stream.makeAsyncIterator()
                while !done(board, target) {
                    guard let event = try await iterator.next() else { break }
                    Progress.shared.set("sse", "read \(board.applied.count) at \(board.cursor)")
                    guard event.event == "snapshot" || event.event == "order" else { continue }
                    try board.apply(json: event.data)
                    heard.withLock { $0 = (board.cursor, ContinuousClock.now) }
                }
            } catch {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        Progress.shared.set("sse", "done")
        return board
    }
}
