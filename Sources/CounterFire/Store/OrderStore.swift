import EdgeD1
import EdgeRuntime
import Foundation

/// CounterFire's data in D1, the source of truth. Every write is one D1 batch (one transaction):
/// the event is durable before anyone is told, and `seq` / `cursor` are assigned inside that
/// transaction from the rows it updates, so concurrent writers can never repeat or skip one.
struct OrderStore: Sendable {
    let db: D1Database

    // MARK: restaurants and keys

    /// The kitchen-key hash of a restaurant, or `nil` when it does not exist.
    func kitchenKeyHash(restaurant: String) async throws -> String? {
        struct Row: Decodable { let kitchen_key_hash: String }
        return try await db.prepare("SELECT kitchen_key_hash FROM restaurant WHERE id = ?1")
            .bind(restaurant).first(as: Row.self)?.kitchen_key_hash
    }

    // MARK: reads

    func ticket(order id: String) async throws -> Ticket? {
        try await db.prepare("SELECT * FROM orders WHERE id = ?1").bind(id).first(as: OrderRow.self)?.ticket()
    }

    /// The order's ticket as it is now. - Throws: ``APIError/orderNotFound``.
    func existingTicket(order id: String) async throws -> Ticket {
        guard let ticket = try await ticket(order: id) else { throw APIError.orderNotFound }
        return ticket
    }

    func ticket(trackerTokenHash hash: String) async throws -> Ticket? {
        try await db.prepare("SELECT * FROM orders WHERE tracker_token_hash = ?1").bind(hash)
            .first(as: OrderRow.self)?.ticket()
    }

    /// Every event of one order, by seq.
    func events(order id: String) async throws -> [OrderEvent] {
        try await db.prepare("""
            SELECT \(EventRow.columns) FROM \(EventRow.source)
            WHERE e.order_id = ?1 ORDER BY e.seq
            """).bind(id).raw().map { try EventRow(raw: $0).event() }
    }

    /// Open tickets of a restaurant and the last cursor, read in one transaction so they agree.
    func board(restaurant: String) async throws -> (tickets: [Ticket], cursor: Int) {
        let results = try await db.batch([
            db.prepare("SELECT * FROM orders WHERE restaurant_id = ?1 AND status NOT IN ('completed', 'cancelled') ORDER BY number")
                .bind(restaurant),
            db.prepare("SELECT last_cursor FROM restaurant WHERE id = ?1").bind(restaurant),
        ])
        let tickets = try results[0].rows(as: OrderRow.self).map { try $0.ticket() }
        struct CursorRow: Decodable { let last_cursor: Int }
        let cursor = try results[1].rows(as: CursorRow.self).first?.last_cursor ?? 0
        return (tickets, cursor)
    }

    /// The log of a restaurant with `after < cursor <= upTo`, joined with order fields.
    func log(restaurant: String, after: Int, upTo: Int) async throws -> [EventRow] {
        try await db.prepare("""
            SELECT \(EventRow.columns) FROM \(EventRow.source)
            WHERE e.restaurant_id = ?1 AND e.cursor > ?2 AND e.cursor <= ?3 ORDER BY e.cursor
            """).bind(restaurant, after, upTo).raw().map(EventRow.init(raw:))
    }

    /// The whole history (up to `upTo`) of every order that has an event in `(after, upTo]`:
    /// what replay folds to give each gap event its ticket as of that event.
    ///
    /// The events are found through the gap's orders (the `(order_id, seq)` index), not by
    /// scanning the restaurant's log up to `upTo`: a short gap at the end of a long log reads
    /// only its own orders. An order's events all belong to its restaurant.
    func history(restaurant: String, after: Int, upTo: Int) async throws -> [EventRow] {
        try await db.prepare("""
            SELECT \(EventRow.columns) FROM \(EventRow.source)
            WHERE e.cursor <= ?3 AND e.order_id IN (
                SELECT order_id FROM order_event WHERE restaurant_id = ?1 AND cursor > ?2 AND cursor <= ?3)
            ORDER BY e.cursor
            """).bind(restaurant, after, upTo).raw().map(EventRow.init(raw:))
    }

    /// The history of one order up to `upTo`.
    func history(order id: String, upTo: Int) async throws -> [EventRow] {
        try await db.prepare("""
            SELECT \(EventRow.columns) FROM \(EventRow.source)
            WHERE e.order_id = ?1 AND e.cursor <= ?2 ORDER BY e.cursor
            """).bind(id, upTo).raw().map(EventRow.init(raw:))
    }
}
