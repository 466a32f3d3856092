import EdgeRuntime

/// The hub's messages written by hand, byte for byte as `JSON.stringify(message, options:
/// .contract)` writes them (keys sorted bytewise, absent optionals left out). A replay or a
/// snapshot encodes thousands of tickets, and Foundation's encoder spent more time on them
/// than everything else the hub does. Each message type has its writer here and no other
/// way to be written, so none falls back to a slower path.
extension HubMessage {
    /// An event message; `fixedTicketFields` are the ticket's fixed fields written before (see
    /// ``JSONWriter/ticketFixedFields(_:)``), which a replay reuses for every event of an order.
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

    private static func write(_ body: (inout JSONWriter) -> Void) -> String {
        var out = JSONWriter()
        body(&out)
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
