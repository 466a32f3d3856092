import EdgeD1
import EdgeRuntime
import Foundation

/// What a status change did.
enum StatusChangeOutcome: Sendable {
    /// A new event.
    case changed(Ticket, OrderEvent)
    /// The order already had that status: nothing written (a retried tap).
    case unchanged(Ticket)
}

extension OrderStore {
    /// Changes an order's status with optimistic concurrency: read the ticket, decide, then one
    /// batch that only applies while the order still has the seq that was read. The batch moves
    /// the order to `seq + 1`; the next two statements run only if that update changed a row
    /// (SQLite's `changes()` is the row count of the statement before): they advance the
    /// restaurant's cursor and append the event with that seq and cursor. If another change
    /// committed in between, nothing is written: read again and decide again. This ends: each
    /// retry means another change committed, and an order has at most three before it is
    /// terminal. `(order_id, seq)` is unique in the log as a backstop.
    ///
    /// Decides on `ticket` as read, and writes if it is still the order's latest seq; otherwise
    /// reads the order again and decides again.
    func changeStatus(_ ticket: Ticket, to next: OrderStatus, expectedSeq: Int?) async throws -> StatusChangeOutcome {
        let id = ticket.id
        if ticket.status == next { return .unchanged(ticket) }
        guard ticket.status.canChange(to: next) else { throw APIError.invalidTransition(from: ticket.status, to: next) }
        if let expectedSeq, expectedSeq != ticket.seq {
            throw APIError.seqConflict(expected: expectedSeq, actual: ticket.seq)
        }
        let now = Date(timeIntervalSince1970: Date.now() / 1000).toISOString()  // new Date().toISOString()
        let newSeq = ticket.seq + 1
        let results = try await db.batch([
            db.prepare("""
                UPDATE orders SET status = ?2, seq = ?3, updated_at = ?4,
                    status_times = json_set(status_times, '$.' || ?2, ?4)
                WHERE id = ?1 AND seq = ?5
                """).bind(id, next.rawValue, newSeq, now, ticket.seq),
            db.prepare("UPDATE restaurant SET last_cursor = last_cursor + 1 WHERE id = ?1 AND changes() = 1")
                .bind(ticket.restaurantID),
            db.prepare("""
                INSERT INTO order_event (restaurant_id, cursor, order_id, seq, type, status, at)
                SELECT ?1, last_cursor, ?2, ?3, 'order.status_changed', ?4, ?5 FROM restaurant WHERE id = ?1 AND changes() = 1
                """).bind(ticket.restaurantID, id, newSeq, next.rawValue, now),
            db.prepare("SELECT cursor FROM order_event WHERE order_id = ?1 AND seq = ?2").bind(id, newSeq),
        ])
        guard results[0].meta.changes == 1 else {
            // Another change committed in between: decide again on what it left.
            return try await changeStatus(existingTicket(order: id), to: next, expectedSeq: expectedSeq)
        }
        struct CursorRow: Decodable { let cursor: Int }
        let cursor = try StoreError.required(results[3].rows(as: CursorRow.self).first?.cursor, "event \(id)#\(newSeq)")
        var updated = ticket
        updated.status = next
        updated.seq = newSeq
        updated.updatedAt = now
        updated.statusTimes[next.rawValue] = now
        return .changed(updated, OrderEvent(orderID: id, seq: newSeq, cursor: cursor, type: .statusChanged, status: next, at: now))
    }
}
