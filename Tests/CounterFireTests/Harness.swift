@testable import CounterFire
import EdgeConfig
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Logging
import Testing

/// Runs `body` against CounterFire on a fresh emulator of the repository's wrangler-like.toml
/// (real migrations, real SQLite files in a temporary state directory, removed afterwards).
func withCounterFire<T>(
    _ mode: TestMode = .inProcess, vars: [String: String] = [:], faults: FaultPlan? = nil, _ body: (TestClient) async throws -> T
) async throws -> T {
    let config = try WranglerConfig.load(from: repositoryRoot.appendingPathComponent("wrangler-like.toml")).config
    let quiet = ProcessInfo.processInfo.environment["EDGE_TEST_LOG"] != nil ? Logger(label: "edge", factory: { StreamLogHandler.standardError(label: $0) }) : Logger(label: "edge", factory: { _ in SwiftLogNoOpLogHandler() })
    return try await Emulator.test(mode, config: config, module: CounterFireWorker.module, secrets: vars, logger: quiet, faults: faults, body)
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let kitchen: Headers = ["authorization": "Bearer demo-kitchen-key"]

struct CreatedOrder: Decodable {
    let order: Ticket
    let tracker_token: String
    let tracker_url: String
}

struct OrderAndEvents: Decodable {
    let order: Ticket
    let events: [OrderEvent]
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

    @discardableResult
    func changeStatus(_ id: String, to status: String, expectedSeq: Int? = nil) async throws -> TestResponse {
        var headers = kitchen
        headers.set("content-type", "application/json")
        let seq = expectedSeq.map { #","expected_seq":\#($0)"# } ?? ""
        return try await execute(.post, "/v1/orders/\(id)/status", headers: headers, text: #"{"status":"\#(status)"\#(seq)}"#)
    }

    /// Every event of the restaurant's log, straight from D1, in cursor order.
    func log(restaurant: String = "demo") async throws -> [OrderEvent] {
        struct Row: Decodable { let order_id: String; let seq: Int; let cursor: Int; let type: String; let status: String; let at: String }
        let rows = try await d1("DB").prepare("SELECT order_id, seq, cursor, type, status, at FROM order_event WHERE restaurant_id = ?1 ORDER BY cursor")
            .bind(restaurant).all(as: Row.self).results
        return rows.map {
            OrderEvent(orderID: $0.order_id, seq: $0.seq, cursor: $0.cursor, type: OrderEventType(rawValue: $0.type)!, status: OrderStatus(rawValue: $0.status)!, at: $0.at)
        }
    }
}

/// Checks the invariants of a log: per order, seq 1, 2, 3, ... with no gap or repeat; cursors
/// strictly increasing (and, since each write takes the next one, gapless from 1).
func expectWellFormed(_ log: [OrderEvent], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(log.map(\.cursor) == (0..<log.count).map { $0 + 1 }, sourceLocation: sourceLocation)
    var seqs: [String: [Int]] = [:]
    for event in log { seqs[event.orderID, default: []].append(event.seq) }
    for (order, list) in seqs {
        #expect(list == Array(1...list.count), "order \(order) has seqs \(list)", sourceLocation: sourceLocation)
    }
}

/// A kitchen client's view, built only from the messages it received, merged by
/// (order_id, seq) as the contract says.
struct KitchenBoard {
    var cursor = 0
    var tickets: [String: Ticket] = [:]
    var applied: [(orderID: String, seq: Int, cursor: Int)] = []
    var duplicates = 0

    mutating func apply(_ message: KitchenMessage) {
        switch message.type {
        case "snapshot":
            tickets = Dictionary(uniqueKeysWithValues: (message.tickets ?? []).map { ($0.id, $0) })
            cursor = message.cursor ?? 0
        case "event":
            guard let event = message.event, let ticket = message.ticket, let at = message.cursor else { return }
            #expect(at > cursor, "cursor \(at) after \(cursor)")
            cursor = at
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
}

/// Reads KDS messages from a WebSocket until `condition` holds.
func readKitchen(_ socket: TestWebSocket, into board: inout KitchenBoard, until condition: (KitchenBoard) -> Bool) async throws {
    while !condition(board) {
        guard let text = try await socket.receiveText() else { throw TestFailure("socket ended at cursor \(board.cursor)") }
        board.apply(try JSONDecoder().decode(KitchenMessage.self, from: Data(text.utf8)))
    }
}

/// Reads KDS messages from an SSE stream until `condition` holds.
func readKitchen(_ iterator: inout ServerSentEventStream.AsyncIterator, into board: inout KitchenBoard, until condition: (KitchenBoard) -> Bool) async throws {
    while !condition(board) {
        guard let event = try await iterator.next() else { throw TestFailure("stream ended at cursor \(board.cursor)") }
        guard event.event == "snapshot" || event.event == "order" else { continue }
        board.apply(try JSONDecoder().decode(KitchenMessage.self, from: Data(event.data.utf8)))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The open tickets as D1 has them, with their latest seq.
func openTicketsInLog(_ log: [OrderEvent]) -> [String: (status: OrderStatus, seq: Int)] {
    var latest: [String: (status: OrderStatus, seq: Int)] = [:]
    for event in log { latest[event.orderID] = (event.status, event.seq) }
    return latest.filter { $0.value.status.isOpen }
}
