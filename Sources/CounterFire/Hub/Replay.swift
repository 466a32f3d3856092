import EdgeRuntime

/// The KDS messages of a gap in the log, folded from the history of the orders it touches
/// (read by ``OrderHub/replay(after:upTo:)``): each event with its ticket as of that event.
///
/// Folding is synchronous: with no await between the first message and the last, no other
/// event's fan-out can come between two of them.
struct Replay {
    /// The history: every event up to the gap's end of each order with an event in the gap.
    let rows: [EventRow]
    /// Events at or before this cursor are folded but not sent.
    let after: Int

    /// Calls `body` with each message of the gap, in cursor order.
    func forEach(_ body: (_ cursor: Int, _ json: String) throws -> Void) throws {
        var fold = TicketFold(keepsOpenOnly: false)
        // A ticket's fixed fields are written once per order: most of a replay's JSON.
        var fixedFields: [String: [UInt8]] = [:]
        for row in rows {
            guard let (event, ticket) = try fold.apply(row), event.cursor > after else { continue }
            let fixed = fixedFields[ticket.id] ?? {
                var out = JSONWriter()
                out.ticketFixedFields(ticket)
                fixedFields[ticket.id] = out.bytes
                return out.bytes
            }()
            let message = HubMessage.Event(cursor: event.cursor, event: event, ticket: ticket)
            try body(event.cursor, HubMessage.json(message, fixedTicketFields: fixed))
        }
    }
}
