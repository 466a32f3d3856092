@testable import CounterFire
import EdgeD1
import EdgeRuntime
import Foundation
import NIOCore
import Synchronization
import Testing

/// `kill -9` of the real `edge dev` in the middle of a burst of writes, then a restart on the
/// same state directory.
///
/// D1 commits with `journal_mode=WAL` and `synchronous=NORMAL` (EdgeSQLite's `Connection`): a
/// commit is a `write()` of its WAL frames before the batch returns, so once a response is sent
/// the change is in the operating system's page cache, which a killed process cannot take back;
/// the next open replays the WAL. (Only an OS crash or power loss could lose the last commits,
/// which `synchronous=FULL` would guard against at an fsync per commit.)
@Suite(.serialized) struct CrashSafetyTests {
    /// A change the server acknowledged with a 2xx.
    struct Ack: Sendable {
        let orderID: String
        let seq: Int
        let status: OrderStatus
        let cursor: Int?
    }

    final class Burst: Sendable {
        let acks = Mutex<[Ack]>([])
        let orders = Mutex<[String]>([])
        let failures = Mutex(0)
        let stopped = Atomic(false)
        /// Requests sent whose response has not been read yet.
        let inFlight = Atomic(0)

        var ackCount: Int { acks.withLock { $0.count } }
    }

    @Test("kill -9 mid-burst: every acknowledged change is in the log exactly once, seqs and cursors gapless, and a kitchen client resumes with exactly the gap")
    func killNineMidBurst() async throws {
        try await withTemporaryDirectory { directory in
            let state = directory.appendingPathComponent("state").path
            let first = try EdgeDev(["--persist-to", state, "--log-level", "none"])
            let port = try await first.waitUntilReady()

            // A kitchen display, attached before the burst, reading the SSE stream; it drops off
            // (a tablet losing Wi-Fi) at cursor 40, while the burst goes on.
            let kitchenBefore = KitchenRecorder()
            let kitchenTask = Task { try? await kitchenBefore.follow(port: port, after: nil, until: 40) }
            try await kitchenBefore.waitForSnapshot()

            // The burst: writers creating orders and moving random ones (several writers race on
            // the same orders), until the process dies under them.
            let burst = Burst()
            let writers = (0..<6).map { writer in
                Task { await Self.write(port: port, burst: burst, writer: writer) }
            }
            let deadline = ContinuousClock.now + .seconds(90)
            while burst.ackCount < 150, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            let inFlightAtKill = burst.inFlight.load(ordering: .relaxed)
            first.kill9()
            burst.stopped.store(true, ordering: .relaxed)
            for writer in writers { await writer.value }
            _ = await kitchenTask.value
            let acks = burst.acks.withLock { $0 }
            #expect(acks.count >= 150, "the burst made progress before the kill")
            // What makes this a crash test: writes were in flight when the process died.
            #expect(inFlightAtKill > 0, "no request was in flight at the kill")
            #expect(burst.failures.withLock { $0 } > 0, "no request failed with the process")

            // The process is dead: read the SQLite file directly.
            let path = D1Database.path(stateRoot: URL(fileURLWithPath: state), databaseName: "counterfire")
            let database = try D1Database(path: path, name: "counterfire")
            let log = try await readLog(database)
            try await Self.expectConsistentTables(database, log: log)
            database.close()
            expectWellFormed(log)
            var byKey: [String: [OrderEvent]] = [:]
            for event in log { byKey["\(event.orderID)#\(event.seq)", default: []].append(event) }
            for ack in acks {
                let found = byKey["\(ack.orderID)#\(ack.seq)"] ?? []
                #expect(found.count == 1, "acknowledged \(ack.orderID)#\(ack.seq) is in the log \(found.count) times")
                #expect(found.first?.status == ack.status)
                if let cursor = ack.cursor { #expect(found.first?.cursor == cursor) }
            }

            // The same through the CLI, as a user would look.
            let cli = try await EdgeBinary.run(["d1", "execute", "DB", "--command", "SELECT count(*) AS events, count(DISTINCT order_id) AS orders FROM order_event", "--json", "--persist-to", state])
            #expect(cli.status == 0, "\(cli.stderr)")
            #expect(cli.stdout.contains("\"events\": \(log.count)"), "\(cli.stdout)")

            // Restart on the same state; the kitchen display resumes from the last cursor it applied.
            let lastCursor = kitchenBefore.cursor
            let seenBefore = kitchenBefore.applied
            #expect(lastCursor <= log.count)
            let second = try EdgeDev(["--persist-to", state, "--log-level", "none"])
            let restartedPort = try await second.waitUntilReady()
            let kitchenAfter = KitchenRecorder()
            try await withTimeout(.seconds(30), "the resumed kitchen stream to reach the end of the log") {
                try await kitchenAfter.follow(port: restartedPort, after: lastCursor, until: log.count)
            }
            #expect(kitchenAfter.snapshots == 0, "a resume gets no snapshot")
            let gap = log.filter { $0.cursor > lastCursor }
            #expect(kitchenAfter.applied.map(\.cursor) == gap.map(\.cursor), "exactly the gap, in order")
            #expect(kitchenAfter.applied.map(\.key) == gap.map { "\($0.orderID)#\($0.seq)" })
            let union = seenBefore.map(\.key) + kitchenAfter.applied.map(\.key)
            print("crash safety: \(acks.count) acknowledged changes, \(log.count) events in the log after kill -9, kitchen had cursor \(lastCursor), resumed with \(kitchenAfter.applied.count)")
            #expect(union == log.map { "\($0.orderID)#\($0.seq)" }, "before + after the crash = the log, nothing twice")

            // And the restarted server carries on from the log's end.
            let created = try await rawExchange(port: restartedPort, rawRequest(
                "POST", "/v1/restaurants/demo/orders", headers: [("content-type", "application/json")],
                body: Array(#"{"items":[{"name":"After the crash","quantity":1}]}"#.utf8)))
            #expect(created.status == 201, "\(created)")
            #expect(await second.stop() == 0)
            let reopened = try D1Database(path: path, name: "counterfire")
            let finalLog = try await readLog(reopened)
            reopened.close()
            #expect(finalLog.count == log.count + 1)
            expectWellFormed(finalLog)
        }
    }

    /// One writer of the burst: creates an order, then moves a random known order to a random
    /// next status, recording every 2xx that reports a change.
    static func write(port: Int, burst: Burst, writer: Int) async {
        var round = 0
        while !burst.stopped.load(ordering: .relaxed) {
            round += 1
            do {
                let body = #"{"items":[{"name":"Dish \#(writer)-\#(round)","quantity":\#(1 + round % 9)}]}"#
                burst.inFlight.add(1, ordering: .relaxed)
                defer { burst.inFlight.subtract(1, ordering: .relaxed) }
                let created = try await rawExchange(port: port, rawRequest(
                    "POST", "/v1/restaurants/demo/orders", headers: [("content-type", "application/json")], body: Array(body.utf8)),
                    timeout: .seconds(10))
                if created.status == 201 {
                    let reply = try JSONDecoder().decode(CreatedOrder.self, from: Data(created.body))
                    burst.acks.withLock { $0.append(Ack(orderID: reply.order.id, seq: 1, status: .received, cursor: nil)) }
                    burst.orders.withLock { $0.append(reply.order.id) }
                } else {
                    burst.failures.withLock { $0 += 1 }
                }
                guard let target = burst.orders.withLock({ $0.randomElement() }) else { continue }
                let next = ["preparing", "ready", "completed", "cancelled", "preparing", "ready"].randomElement()!
                let changed = try await rawExchange(port: port, rawRequest(
                    "POST", "/v1/orders/\(target)/status",
                    headers: [("content-type", "application/json"), ("authorization", "Bearer \(kitchenKey)")],
                    body: Array(#"{"status":"\#(next)"}"#.utf8)), timeout: .seconds(10))
                if changed.status == 200 {
                    let reply = try JSONDecoder().decode(StatusReply.self, from: Data(changed.body))
                    if let event = reply.event {
                        burst.acks.withLock { $0.append(Ack(orderID: event.orderID, seq: event.seq, status: event.status, cursor: event.cursor)) }
                    }
                } else if changed.status != 409 {
                    burst.failures.withLock { $0 += 1 }
                }
            } catch {
                // The server died mid-request: this change is unacknowledged (it may or may not
                // have committed). Stop when the process is gone.
                burst.failures.withLock { $0 += 1 }
                if burst.stopped.load(ordering: .relaxed) { return }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    /// The tables agree with the log: each order's seq and status are its last event's, the
    /// restaurant's last cursor and next number match, and every order has its creation event.
    static func expectConsistentTables(_ database: D1Database, log: [OrderEvent]) async throws {
        struct OrderRow: Decodable { let id: String; let seq: Int; let status: String; let number: Int }
        struct RestaurantRow: Decodable { let last_cursor: Int; let next_number: Int }
        let orders = try await database.prepare("SELECT id, seq, status, number FROM orders WHERE restaurant_id = 'demo'").all(as: OrderRow.self).results
        let restaurant = try #require(try await database.prepare("SELECT last_cursor, next_number FROM restaurant WHERE id = 'demo'").first(as: RestaurantRow.self))
        #expect(restaurant.last_cursor == log.count)
        #expect(restaurant.next_number == orders.count + 1)
        #expect(orders.map(\.number).sorted() == Array(1..<(orders.count + 1)), "display numbers 1...n")
        var last: [String: OrderEvent] = [:]
        for event in log { last[event.orderID] = event }
        #expect(Set(orders.map(\.id)) == Set(last.keys), "every order has events and every event an order")
        for order in orders {
            #expect(last[order.id]?.seq == order.seq, "order \(order.id) seq")
            #expect(last[order.id]?.status.rawValue == order.status, "order \(order.id) status")
        }
    }
}

/// A kitchen display on the SSE stream of a separate `edge` process, over a raw connection.
final class KitchenRecorder: Sendable {
    struct Applied: Sendable {
        let key: String
        let cursor: Int
    }

    private struct State {
        var board = KitchenBoard()
        var applied: [Applied] = []
        var snapshots = 0
    }

    private let state = Mutex(State())
    private let snapshotSeen = Atomic(false)

    var cursor: Int { state.withLock { $0.board.cursor } }
    var applied: [Applied] { state.withLock { $0.applied } }
    var snapshots: Int { state.withLock { $0.snapshots } }

    func waitForSnapshot() async throws {
        let deadline = ContinuousClock.now + .seconds(90)
        while !snapshotSeen.load(ordering: .relaxed) {
            guard ContinuousClock.now < deadline else { throw TestFailure("no snapshot on the kitchen stream") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Follows the stream until the connection ends, or until the cursor reaches `until`.
    func follow(port: Int, after: Int?, until: Int? = nil) async throws {
        let path = kdsPath + (after.map { "&after=\($0)" } ?? "")
        try await withRawConnection(port: port) { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: rawRequest("GET", path, headers: [("accept", "text/event-stream")])))
            var reader = ResponseReader()
            var parser = ServerSentEventParser()
            if let until, until == after { return }
            for try await chunk in inbound {
                reader.feed(chunk.readableBytesView)
                guard reader.headDone else { continue }
                guard reader.response.status == 200 else { throw TestFailure("kitchen stream answered \(reader.response)") }
                for event in parser.feed(reader.takeBody()) where event.event == "snapshot" || event.event == "order" {
                    let message = try JSONDecoder().decode(KitchenMessage.self, from: Data(event.data.utf8))
                    let done: Bool = state.withLock { state in
                        state.board.apply(message)
                        if message.type == "snapshot" { state.snapshots += 1 }
                        if let event = message.event, let cursor = message.cursor {
                            state.applied.append(Applied(key: "\(event.orderID)#\(event.seq)", cursor: cursor))
                        }
                        return until.map { state.board.cursor >= $0 } ?? false
                    }
                    if message.type == "snapshot" { snapshotSeen.store(true, ordering: .relaxed) }
                    if done { return }
                }
            }
        }
    }
}
