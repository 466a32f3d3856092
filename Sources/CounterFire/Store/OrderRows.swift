import EdgeRuntime
import EdgeD1
import Foundation

/// An `orders` row.
struct OrderRow: Decodable, Sendable {
    let id: String
    let restaurant_id: String
    let number: Int
    let status: String
    let items: String
    let customer_name: String?
    let seq: Int
    let status_times: String
    let created_at: String
    let updated_at: String

    func ticket() throws -> Ticket {
        Ticket(
            id: id,
            restaurantID: restaurant_id,
            number: number,
            status: try OrderRows.status(status),
            items: try OrderRows.items(items),
            customerName: customer_name,
            seq: seq,
            createdAt: created_at,
            updatedAt: updated_at,
            statusTimes: try OrderRows.statusTimes(status_times)
        )
    }
}

/// An `order_event` row, and for an `order.created` event the immutable fields of its order,
/// which is what folding the log into tickets needs.
struct EventRow: Sendable {
    let cursor: Int
    let order_id: String
    let seq: Int
    let type: String
    let status: String
    let at: String
    /// The order's fields, joined for `order.created` events only (a ticket starts there; the
    /// other events change what it already holds).
    let order: CreatedOrder?

    struct CreatedOrder: Sendable {
        let restaurant_id: String
        let number: Int
        let items: String
        let customer_name: String?
        let created_at: String
    }

    func event() throws -> OrderEvent {
        guard let type = OrderEventType(rawValue: type) else { throw StoreError.corrupt("unknown event type \(type)") }
        return OrderEvent(orderID: order_id, seq: seq, cursor: cursor, type: type, status: try OrderRows.status(status), at: at)
    }

    /// The ticket an `order.created` event starts.
    func createdTicket() throws -> Ticket {
        let order = try StoreError.required(order, "the order \(order_id) of event \(cursor)")
        return Ticket(
            id: order_id,
            restaurantID: order.restaurant_id,
            number: order.number,
            status: .received,
            items: try OrderRows.items(order.items),
            customerName: order.customer_name,
            seq: 0,
            createdAt: order.created_at,
            updatedAt: order.created_at,
            statusTimes: [:]
        )
    }

    /// The columns to select from ``source``.
    static let columns = """
        e.cursor, e.order_id, e.seq, e.type, e.status, e.at, \
        o.restaurant_id, o.number, o.items, o.customer_name, o.created_at
        """

    /// The log `e`, with the order `o` joined to its `order.created` event only: a replay reads
    /// each order's fields once, not once per event.
    static let source = "order_event e LEFT JOIN orders o ON o.id = e.order_id AND e.type = 'order.created'"
}

enum OrderRows {
    /// `orders.items`: `[{"name": ..., "quantity": ..., "notes"?: ...}]`.
    static func items(_ text: String) throws -> [OrderItem] {
        try column("items") { try JSON.parse(text, as: [OrderItem].self) }
    }

    /// `orders.status_times`: `{"received": "<timestamp>", ...}`.
    static func statusTimes(_ text: String) throws -> [String: String] {
        try column("status_times") { try JSON.parse(text, as: [String: String].self) }
    }

    /// A JSON column read with the runtime's `JSON.parse`; what it refuses is corrupt data.
    private static func column<T>(_ name: String, _ read: () throws -> T) throws -> T {
        do {
            return try read()
        } catch {
            throw StoreError.corrupt("\(name) is not what CounterFire writes (\(error))")
        }
    }

    static func status(_ text: String) throws -> OrderStatus {
        guard let status = OrderStatus(rawValue: text) else { throw StoreError.corrupt("unknown status \(text)") }
        return status
    }
}

/// The store found data it cannot read: a bug or a hand-edited database, never user input.
struct StoreError: Error, CustomStringConvertible {
    let description: String
    static func corrupt(_ detail: String) -> StoreError { StoreError(description: "corrupt order data: \(detail)") }

    /// `value`, or a ``corrupt(_:)`` error naming what was missing: for rows the schema
    /// guarantees (an order an idempotency key names, the event a batch just wrote).
    static func required<T>(_ value: T?, _ what: @autoclosure () -> String) throws -> T {
        guard let value else { throw corrupt("\(what()) is missing") }
        return value
    }
}

extension D1Result {
    /// The rows decoded as `T`.
    func rows<T: Decodable>(as type: T.Type) throws -> [T] {
        try results.map { try $0.decode(as: T.self) }
    }
}

extension EventRow {
    /// A row of ``columns`` as `raw()` returns it: the log is read in bulk (a replay of 10 000
    /// events), where the keyed `Decodable` path of D1 rows was the largest cost.
    init(raw row: [D1Value]) throws {
        guard row.count == 11, case .integer(let cursor) = row[0], case .text(let orderID) = row[1], case .integer(let seq) = row[2],
            case .text(let type) = row[3], case .text(let status) = row[4], case .text(let at) = row[5]
        else { throw StoreError.corrupt("an order_event row of unexpected shape") }
        let order: CreatedOrder?
        switch (row[6], row[7], row[8], row[9], row[10]) {
        case (.null, _, _, _, _):
            order = nil
        case (.text(let restaurantID), .integer(let number), .text(let items), .null, .text(let createdAt)):
            order = CreatedOrder(restaurant_id: restaurantID, number: Int(number), items: items, customer_name: nil, created_at: createdAt)
        case (.text(let restaurantID), .integer(let number), .text(let items), .text(let name), .text(let createdAt)):
            order = CreatedOrder(restaurant_id: restaurantID, number: Int(number), items: items, customer_name: name, created_at: createdAt)
        default:
            throw StoreError.corrupt("an orders row of unexpected shape")
        }
        self.init(cursor: Int(cursor), order_id: orderID, seq: Int(seq), type: type, status: status, at: at, order: order)
    }
}
