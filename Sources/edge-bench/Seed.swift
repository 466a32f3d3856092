import EdgeD1
import Foundation

/// Writes CounterFire orders and their log straight into D1, as the routes would have written
/// them (same tables, same JSON shapes, cursors and seqs gapless), but thousands at a time: the
/// resume and cold-start figures measure the hub reading the log, not how it was written.
enum Seed {
    private struct Order {
        var id: String
        var number: Int
        var status = "received"
        var seq = 1
        var statusTimes: [(String, String)]
        var createdAt: String
        var updatedAt: String
    }

    private struct Event {
        var cursor: Int
        var order: Int
        var seq: Int
        var type: String
        var status: String
        var at: String
    }

    static let next = ["received": "preparing", "preparing": "ready", "ready": "completed"]

    /// Appends `events` events to the demo restaurant's log. With `openOnly`, every event creates
    /// an order (so the board gains `events` open tickets); otherwise a mix: one order created per
    /// four events, orders advanced round-robin through preparing, ready and completed.
    static func append(events count: Int, openOnly: Bool, db: D1Database) async throws {
        struct Restaurant: Decodable { let next_number: Int; let last_cursor: Int }
        guard let restaurant = try await db.prepare("SELECT next_number, last_cursor FROM restaurant WHERE id = 'demo'")
            .first(as: Restaurant.self)
        else { throw BenchError("the demo restaurant is missing: were migrations applied?") }
        var orders: [Order] = []
        var events: [Event] = []
        var active: [Int] = []
        let base = Date(timeIntervalSince1970: 1_798_761_600 + Double(restaurant.last_cursor))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for step in 1...count {
            let cursor = restaurant.last_cursor + step
            let at = formatter.string(from: base.addingTimeInterval(Double(step) / 1000))
            if openOnly || step % 4 == 1 || active.isEmpty {
                let number = restaurant.next_number + orders.count
                let id = "ord_" + String(format: "%032x", cursor)
                orders.append(Order(id: id, number: number, statusTimes: [("received", at)], createdAt: at, updatedAt: at))
                events.append(Event(cursor: cursor, order: orders.count - 1, seq: 1, type: "order.created", status: "received", at: at))
                if !openOnly { active.append(orders.count - 1) }
            } else {
                let index = active.removeFirst()
                let status = next[orders[index].status]!
                orders[index].status = status
                orders[index].seq += 1
                orders[index].statusTimes.append((status, at))
                orders[index].updatedAt = at
                events.append(Event(cursor: cursor, order: index, seq: orders[index].seq, type: "order.status_changed", status: status, at: at))
                if status != "completed" { active.append(index) }
            }
        }
        var statements: [D1PreparedStatement] = []
        for chunk in stride(from: 0, to: orders.count, by: 100) {
            let rows = orders[chunk..<min(chunk + 100, orders.count)].map { order in
                let times = "{" + order.statusTimes.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",") + "}"
                let items = #"[{"name":"Burger \#(order.number)","quantity":2,"notes":"no onions"},{"name":"Fries","quantity":1}]"#
                return "(\(literal(order.id)), 'demo', \(order.number), \(literal(order.status)), \(literal(items)), "
                    + "\(literal("Guest \(order.number)")), \(order.seq), \(literal(String(format: "%064x", order.number))), "
                    + "\(literal(times)), \(literal(order.createdAt)), \(literal(order.updatedAt)))"
            }
            statements.append(db.prepare("""
                INSERT INTO orders (id, restaurant_id, number, status, items, customer_name, seq, tracker_token_hash, status_times, created_at, updated_at)
                VALUES \(rows.joined(separator: ",\n"))
                """))
        }
        for chunk in stride(from: 0, to: events.count, by: 200) {
            let rows = events[chunk..<min(chunk + 200, events.count)].map { event in
                "('demo', \(event.cursor), \(literal(orders[event.order].id)), \(event.seq), \(literal(event.type)), \(literal(event.status)), \(literal(event.at)))"
            }
            statements.append(db.prepare("""
                INSERT INTO order_event (restaurant_id, cursor, order_id, seq, type, status, at)
                VALUES \(rows.joined(separator: ",\n"))
                """))
        }
        statements.append(try db.prepare("UPDATE restaurant SET next_number = ?1, last_cursor = ?2 WHERE id = 'demo'")
            .bind(restaurant.next_number + orders.count, restaurant.last_cursor + count))
        try await db.batch(statements)
    }

    private static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
