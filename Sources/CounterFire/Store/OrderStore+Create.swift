import EdgeD1
import EdgeRuntime
import Foundation

/// What creating an order did.
enum CreateOutcome: Sendable {
    /// A new order, its event and its tracker token.
    case created(Ticket, OrderEvent, trackerToken: String)
    /// The same Idempotency-Key with the same body: the earlier order, nothing written.
    case replayed(Ticket, trackerToken: String)
}

extension OrderStore {
    /// Creates an order as one batch: advance the restaurant's number and cursor, insert the
    /// order, its `order.created` event (seq 1, cursor = the advanced cursor) and the
    /// Idempotency-Key row, and read the new order back. A key seen before (a retry, concurrent
    /// or not) fails on the key's primary key, the batch rolls back whole (no number or cursor
    /// is used up), and the answer comes from the first request's row.
    ///
    /// Every write selects from the restaurant's row, so for a restaurant that does not exist
    /// the batch writes nothing and reads no order back: that is the 404, found in the same
    /// transaction instead of a query of its own before it.
    ///
    /// - Throws: ``APIError/restaurantNotFound``; ``APIError/idempotencyConflict``.
    func createOrder(restaurant: String, input: CreateOrderInput, idempotencyKey: String?, requestHash: String) async throws -> CreateOutcome {
        let orderID = "ord_" + (try crypto.getRandomValues(count: 16)).hexString
        let token = (try crypto.getRandomValues(count: 24)).base64URLString
        let tokenHash = crypto.subtle.digest(.sha256, Array(token.utf8)).hexString
        let now = Date(timeIntervalSince1970: Date.now() / 1000).toISOString()  // new Date().toISOString()
        var itemsJSON = JSONWriter()
        itemsJSON.items(input.items)
        var statusTimesJSON = JSONWriter()
        statusTimesJSON.stringMap(["received": now])
        let (items, statusTimes) = (itemsJSON.text, statusTimesJSON.text)
        var statements = try [
            db.prepare("UPDATE restaurant SET next_number = next_number + 1, last_cursor = last_cursor + 1 WHERE id = ?1")
                .bind(restaurant),
            db.prepare("""
                INSERT INTO orders (id, restaurant_id, number, status, items, customer_name, seq, tracker_token_hash, status_times, created_at, updated_at)
                SELECT ?1, ?2, next_number - 1, 'received', ?3, ?4, 1, ?5, ?6, ?7, ?7 FROM restaurant WHERE id = ?2
                """).bind(orderID, restaurant, items, input.customerName,
                          tokenHash, statusTimes, now),
            db.prepare("""
                INSERT INTO order_event (restaurant_id, cursor, order_id, seq, type, status, at)
                SELECT ?1, last_cursor, ?2, 1, 'order.created', 'received', ?3 FROM restaurant WHERE id = ?1
                """).bind(restaurant, orderID, now),
        ]
        if let key = idempotencyKey {
            statements.append(try db.prepare("""
                INSERT INTO idempotency_key (restaurant_id, key, request_hash, order_id, tracker_token, created_at)
                SELECT ?1, ?2, ?3, ?4, ?5, ?6 FROM restaurant WHERE id = ?1
                """).bind(restaurant, key, requestHash, orderID, token, now))
        }
        statements.append(try db.prepare("""
            SELECT o.*, e.cursor FROM orders o JOIN order_event e ON e.order_id = o.id AND e.seq = 1 WHERE o.id = ?1
            """).bind(orderID))
        do {
            let results = try await db.batch(statements)
            guard let row = results.last?.results.first else { throw APIError.restaurantNotFound }
            struct CursorRow: Decodable { let cursor: Int }
            let ticket = try row.decode(as: OrderRow.self).ticket()
            let cursor = try row.decode(as: CursorRow.self).cursor
            let event = OrderEvent(orderID: orderID, seq: 1, cursor: cursor, type: .created, status: .received, at: now)
            return .created(ticket, event, trackerToken: token)
        } catch let error as D1Error where error.sqliteExtendedCode == Self.primaryKeyConflict {
            // A primary key taken: the Idempotency-Key's, unless its row is not there (then
            // another key was, which no retry can fix).
            guard let key = idempotencyKey,
                let outcome = try await replay(restaurant: restaurant, key: key, requestHash: requestHash)
            else { throw error }
            return outcome
        }
    }

    /// The extended code of a `PRIMARY KEY` constraint failure (`D1Error.sqliteExtendedCode`).
    static let primaryKeyConflict = "SQLITE_CONSTRAINT_PRIMARYKEY"

    /// The answer to a repeated Idempotency-Key: the first request's order, or a conflict when
    /// the body differs; `nil` when the key has no row.
    private func replay(restaurant: String, key: String, requestHash: String) async throws -> CreateOutcome? {
        struct KeyRow: Decodable { let request_hash: String; let order_id: String; let tracker_token: String }
        guard let row = try await db.prepare("SELECT request_hash, order_id, tracker_token FROM idempotency_key WHERE restaurant_id = ?1 AND key = ?2")
            .bind(restaurant, key).first(as: KeyRow.self)
        else { return nil }
        guard row.request_hash == requestHash else { throw APIError.idempotencyConflict }
        return .replayed(try await existingTicket(order: row.order_id), trackerToken: row.tracker_token)
    }
}
