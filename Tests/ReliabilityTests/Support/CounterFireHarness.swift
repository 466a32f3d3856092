@testable import CounterFire
import EdgeConfig
import EdgeD1
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Logging
import NIOCore
import Testing

// Helpers shared by the reliability suites, copied and adapted from CounterFireTests/Harness.swift.

let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let quietLogger = Logger(label: "edge", factory: { _ in SwiftLogNoOpLogHandler() })

/// Runs `body` against CounterFire on a fresh emulator of the repository's wrangler-like.toml
/// (real migrations, real SQLite files in a temporary state directory, removed afterwards).
func withCounterFire<T>(
    _ mode: TestMode = .inProcess,
    logger: Logger = quietLogger,
    lifecycle: LifecycleSettings? = nil,
    secrets: [String: String] = [:],
    faults: FaultPlan? = nil,
    _ body: (TestClient) async throws -> T
) async throws -> T {
    let config = try WranglerConfig.load(from: repositoryRoot.appendingPathComponent("wrangler-like.toml")).config
    return try await Emulator.test(
        mode, config: config, module: CounterFireWorker.module, secrets: secrets, lifecycle: lifecycle, logger: logger, faults: faults, body)
}

let kitchenKey = "demo-kitchen-key"
let kitchen: Headers = ["authorization": "Bearer \(kitchenKey)"]
let kdsPath = "/v1/kds/stream?restaurant=demo&key=\(kitchenKey)"

struct CreatedOrder: Decodable {
    let order: Ticket
    let tracker_token: String
    let tracker_url: String
}

struct StatusReply: Decodable {
    let order: Ticket
    let event: OrderEvent?
}

struct ErrorReply: Decodable {
    struct Detail: Decodable { let code: String; let message: String }
    let error: Detail
}

/// A decoded KDS message (snapshot or event).
struct KitchenMessage: Decodable {
    let type: String
    let cursor: Int?
    let tickets: [Ticket]?
    let event: OrderEvent?
    let ticket: Ticket?
}

extension TestClient {
    @discardableResult
    func createOrder(_ name: String = "Burger", quantity: Int = 1, key: String? = nil, restaurant: String = "demo") async throws -> CreatedOrder {
        var headers: Headers = ["content-type": "application/json"]
        if let key { headers.set("idempotency-key", key) }
        let body = #"{"items":[{"name":"\#(name)","quantity":\#(quantity)}]}"#
        let response = try await execute(.post, "/v1/restaurants/\(restaurant)/orders", headers: headers, text: body)
        #expect(response.status == .created || response.status == .ok, "\(response.text)")
        return try response.json(as: CreatedOrder.self)
    }

    /// Creates an order whose ticket is large (50 items with long names and notes, ~17 KB of
    /// JSON per KDS message), to fill a slow consumer's backlog with few writes.
    @discardableResult
    func createLargeOrder(_ index: Int) async throws -> CreatedOrder {
        let body = largeOrderBody(index)
        let response = try await execute(.post, "/v1/restaurants/demo/orders", headers: ["content-type": "application/json"], text: body)
        #expect(response.status == .created, "\(response.text)")
        return try response.json(as: CreatedOrder.self)
    }

    @discardableResult
    func changeStatus(_ id: String, to status: String, expectedSeq: Int? = nil) async throws -> TestResponse {
        var headers = kitchen
        headers.set("content-type", "application/json")
        let seq = expectedSeq.map { #","expected_seq":\#($0)"# } ?? ""
        return try await execute(.post, "/v1/orders/\(id)/status", headers: headers, text: #"{"status":"\#(status)"\#(seq)}"#)
    }

    /// Every event of the restaurant's log, straight from D1, in cursor order.
    func log(restaurant: String = "demo") async throws -> [OrderEvent] {
        try await readLog(d1("DB"), restaurant: restaurant)
    }
}

func largeOrderBody(_ index: Int) -> String {
    let name = String(repeating: "n", count: 90)
    let notes = String(repeating: "o", count: 200)
    let items = (0..<50).map { item in #"{"name":"\#(name)\#(item % 10)","quantity":1,"notes":"\#(notes)"}"# }
    return #"{"items":[\#(items.joined(separator: ","))],"customer_name":"Guest \#(index)"}"#
}

/// Every event of a restaurant's log in `database`, in cursor order.
func readLog(_ database: D1Database, restaurant: String = "demo") async throws -> [OrderEvent] {
    struct Row: Decodable { let order_id: String; let seq: Int; let cursor: Int; let type: String; let status: String; let at: String }
    let rows = try await database.prepare("SELECT order_id, seq, cursor, type, status, at FROM order_event WHERE restaurant_id = ?1 ORDER BY cursor")
        .bind(restaurant).all(as: Row.self).results
    return rows.map {
        OrderEvent(orderID: $0.order_id, seq: $0.seq, cursor: $0.cursor, type: OrderEventType(rawValue: $0.type)!, status: OrderStatus(rawValue: $0.status)!, at: $0.at)
    }
}

/// Checks the invariants of a log: per order, seq 1, 2, 3, ... with no gap or repeat; cursors
/// strictly increasing and, since each write takes the next one, gapless from 1.
func expectWellFormed(_ log: [OrderEvent], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(log.map(\.cursor) == (0..<log.count).map { $0 + 1 }, "cursors are 1...n", sourceLocation: sourceLocation)
    var seqs: [String: [Int]] = [:]
    for event in log { seqs[event.orderID, default: []].append(event.seq) }
    for (order, list) in seqs {
        #expect(list == Array(1...list.count), "order \(order) has seqs \(list)", sourceLocation: sourceLocation)
    }
    for event in log {
        #expect((event.seq == 1) == (event.type == .created), "event \(event.orderID)#\(event.seq) has type \(event.type)", sourceLocation: sourceLocation)
    }
}

/// A kitchen client's view, built only from the messages it received, merged by
/// (order_id, seq) as the contract says.
struct KitchenBoard {
    var cursor = 0
    var tickets: [String: Ticket] = [:]
    var applied: [(orderID: String, seq: Int, cursor: Int)] = []
    var duplicates = 0
    var outOfOrder = 0

    init(cursor: Int = 0) {
        self.cursor = cursor
    }

    mutating func apply(_ message: KitchenMessage) {
        switch message.type {
        case "snapshot":
            tickets = Dictionary(uniqueKeysWithValues: (message.tickets ?? []).map { ($0.id, $0) })
            cursor = message.cursor ?? 0
        case "event":
            guard let event = message.event, let ticket = message.ticket, let at = message.cursor else { return }
            if at <= cursor { outOfOrder += 1 }
            cursor = max(cursor, at)
            if applied.contains(where: { $0.orderID == event.orderID && $0.seq == event.seq }) {
                duplicates += 1
                return
            }
            applied.append((event.orderID, event.seq, at))
            if ticket.status.isOpen { tickets[ticket.id] = ticket } else { tickets[ticket.id] = nil }
        default:
            break
        }
    }

    mutating func apply(json: String) throws {
        apply(try JSONDecoder().decode(KitchenMessage.self, from: Data(json.utf8)))
    }
}

/// Reads KDS messages from a WebSocket until `condition` holds.
func readKitchen(_ socket: TestWebSocket, into board: inout KitchenBoard, until condition: (KitchenBoard) -> Bool) async throws {
    while !condition(board) {
        guard let text = try await socket.receiveText() else { throw TestFailure("socket ended at cursor \(board.cursor)") }
        try board.apply(json: text)
    }
}

/// Reads KDS messages from an SSE stream until `condition` holds.
func readKitchen(_ iterator: inout ServerSentEventStream.AsyncIterator, into board: inout KitchenBoard, until condition: (KitchenBoard) -> Bool) async throws {
    while !condition(board) {
        guard let event = try await iterator.next() else { throw TestFailure("stream ended at cursor \(board.cursor)") }
        guard event.event == "snapshot" || event.event == "order" else { continue }
        try board.apply(json: event.data)
    }
}

/// The open tickets as D1 has them, with their latest seq.
func openTicketsInLog(_ log: [OrderEvent]) -> [String: (status: OrderStatus, seq: Int)] {
    var latest: [String: (status: OrderStatus, seq: Int)] = [:]
    for event in log { latest[event.orderID] = (event.status, event.seq) }
    return latest.filter { $0.value.status.isOpen }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`, failing with a `TestFailure` if it takes longer than `limit`.
func withTimeout<T: Sendable>(_ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw TestFailure("timed out after \(limit) waiting for \(what)")
        }
        return value
    }
}
