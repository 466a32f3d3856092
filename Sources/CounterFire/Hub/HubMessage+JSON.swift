/// The hub's messages written by hand, byte for byte as `JSONEncoder.workers` writes them
/// (keys sorted bytewise, absent optionals left out, `/` unescaped, control characters as
/// `\b \f \n \r \t` or `\u00xx`, everything else as UTF-8). A replay or a snapshot encodes
/// thousands of tickets, and Foundation's encoder spent more time on them than everything
/// else the hub does.
extension HubMessage {
    /// An event message; `fixedTicketFields` are the ticket's fixed fields written before (see
    /// ``JSONOutput/ticketFixedFields(_:)``), which a replay reuses for every event of an order.
    static func json(_ message: Event, fixedTicketFields: [UInt8]? = nil) -> String {
        write { out in
            out.key("cursor", first: true)
            out.integer(message.cursor)
            out.key("event")
            out.event(message.event)
            out.key("ticket")
            if let fixedTicketFields {
                out.ticket(message.ticket, fixedFields: fixedTicketFields)
            } else {
                out.ticket(message.ticket)
            }
            out.key("type")
            out.string(message.type)
            out.end()
        }
    }

    static func json(_ message: Snapshot) -> String {
        write { out in
            out.key("cursor", first: true)
            out.integer(message.cursor)
            out.key("tickets")
            out.byte(UInt8(ascii: "["))
            for (index, ticket) in message.tickets.enumerated() {
                if index > 0 { out.byte(UInt8(ascii: ",")) }
                out.ticket(ticket)
            }
            out.byte(UInt8(ascii: "]"))
            out.key("type")
            out.string(message.type)
            out.end()
        }
    }

    static func json(_ message: TrackerSnapshot) -> String {
        write { out in
            out.key("order", first: true)
            out.trackerView(message.order)
            out.key("type")
            out.string(message.type)
            out.end()
        }
    }

    static func json(_ message: TrackerEvent) -> String {
        write { out in
            out.key("event", first: true)
            out.event(message.event)
            out.key("order")
            out.trackerView(message.order)
            out.key("type")
            out.string(message.type)
            out.end()
        }
    }

    static func json(_ message: Heartbeat) -> String {
        write { out in
            out.key("cursor", first: true)
            out.integer(message.cursor)
            out.key("type")
            out.string(message.type)
            out.end()
        }
    }

    private static func write(_ body: (inout JSONOutput) -> Void) -> String {
        var out = JSONOutput()
        body(&out)
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
