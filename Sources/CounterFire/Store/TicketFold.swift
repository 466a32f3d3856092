/// Folds log events into tickets: the one place that says how an event changes a ticket.
///
/// The hub keeps a fold of the open tickets (its board); replay folds the history of the orders
/// a gap touches, so each replayed event carries its ticket exactly as it was at that event.
struct TicketFold: Sendable {
    /// Tickets by order id, as of ``cursor``.
    private(set) var tickets: [String: Ticket] = [:]
    /// The cursor of the last event applied.
    private(set) var cursor: Int
    /// Whether closed tickets are dropped (the board keeps open tickets only).
    let keepsOpenOnly: Bool

    init(tickets: [Ticket] = [], cursor: Int = 0, keepsOpenOnly: Bool) {
        self.cursor = cursor
        self.keepsOpenOnly = keepsOpenOnly
        for ticket in tickets where !keepsOpenOnly || ticket.status.isOpen {
            self.tickets[ticket.id] = ticket
        }
    }

    /// Applies one event; returns the event and its ticket as of that event, or `nil` when the
    /// event is at or before ``cursor`` (already applied) or its order is unknown here.
    mutating func apply(_ row: EventRow) throws -> (event: OrderEvent, ticket: Ticket)? {
        guard row.cursor > cursor else { return nil }
        let event = try row.event()
        var ticket: Ticket
        switch event.type {
        case .created:
            ticket = try row.createdTicket()
        case .statusChanged:
            guard let existing = tickets[event.orderID] else {
                cursor = row.cursor
                return nil
            }
            ticket = existing
        }
        ticket.status = event.status
        ticket.seq = event.seq
        ticket.updatedAt = event.at
        ticket.statusTimes[event.status.rawValue] = event.at
        cursor = row.cursor
        if keepsOpenOnly && !ticket.status.isOpen {
            tickets[ticket.id] = nil
        } else {
            tickets[ticket.id] = ticket
        }
        return (event, ticket)
    }

    /// Open tickets in display-number order.
    var openTickets: [Ticket] {
        tickets.values.filter(\.status.isOpen).sorted { $0.number < $1.number }
    }
}
