import EdgeRuntime

extension JSON.Options {
    /// The contract's JSON: keys sorted by their bytes, absent optional fields left out (what
    /// Foundation's `JSONEncoder` with `.sortedKeys` wrote before, so clients and stored
    /// Idempotency-Key hashes see the same bytes). Every `Response.json` of CounterFire uses it.
    static let contract = JSON.Options(nilFields: .omitted, sortedKeys: true)
}

/// The contract's hot messages written by hand with the runtime's `JSONWriter`, byte for byte
/// as `JSON.stringify(value, options: .contract)` writes their `Encodable` types: the hub's
/// messages (a replay or a snapshot writes thousands of tickets), the create response and the
/// JSON columns of a new order, where a general encoder was the largest cost.
/// `HandWrittenJSONTests` compares the bytes with both `JSON.stringify` and Foundation.
extension JSONWriter {
    /// A `[String: String]` with its keys sorted by their UTF-8 bytes.
    mutating func stringMap(_ map: [String: String]) {
        if map.isEmpty {
            bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
            return
        }
        // A ticket's status_times has status names for keys: written in their known order, no
        // sort; any other key makes it start over the general way.
        let start = bytes.count
        var written = 0
        for key in Self.statusNamesInByteOrder {
            guard let value = map[key] else { continue }
            bytes.append(written == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            string(key)
            bytes.append(UInt8(ascii: ":"))
            string(value)
            written += 1
        }
        if written == map.count {
            end()
            return
        }
        bytes.removeSubrange(start...)
        for (index, (key, value)) in map.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
            bytes.append(index == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            string(key)
            bytes.append(UInt8(ascii: ":"))
            string(value)
        }
        end()
    }

    /// The statuses' names sorted by their UTF-8 bytes.
    static let statusNamesInByteOrder = OrderStatus.allCases.map(\.rawValue).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

    /// `[OrderItem]` (also the `orders.items` column).
    mutating func items(_ items: [OrderItem]) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            key("name", first: true)
            string(item.name)
            if let notes = item.notes {
                key("notes")
                string(notes)
            }
            key("quantity")
            integer(item.quantity)
            end()
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func event(_ event: OrderEvent) {
        key("at", first: true)
        string(event.at)
        key("cursor")
        integer(event.cursor)
        key("order_id")
        string(event.orderID)
        key("seq")
        integer(event.seq)
        key("status")
        string(event.status.rawValue)
        key("type")
        string(event.type.rawValue)
        end()
    }

    mutating func ticket(_ ticket: Ticket) {
        ticketFixedFields(ticket)
        ticketChangingFields(ticket)
    }

    /// A ticket's fields that never change once its order exists (the keys up to
    /// `restaurant_id`): `{"created_at":...,"restaurant_id":"..."` without the closing brace. A
    /// replay writes them once per order and repeats the bytes (``ticket(_:fixedFields:)``).
    mutating func ticketFixedFields(_ ticket: Ticket) {
        key("created_at", first: true)
        string(ticket.createdAt)
        if let customerName = ticket.customerName {
            key("customer_name")
            string(customerName)
        }
        key("id")
        string(ticket.id)
        key("items")
        items(ticket.items)
        key("number")
        integer(ticket.number)
        key("restaurant_id")
        string(ticket.restaurantID)
    }

    /// A ticket whose fixed fields were written before by ``ticketFixedFields(_:)``.
    mutating func ticket(_ ticket: Ticket, fixedFields: [UInt8]) {
        bytes.append(contentsOf: fixedFields)
        ticketChangingFields(ticket)
    }

    /// The fields an event changes, and the closing brace.
    private mutating func ticketChangingFields(_ ticket: Ticket) {
        key("seq")
        integer(ticket.seq)
        key("status")
        string(ticket.status.rawValue)
        key("status_times")
        stringMap(ticket.statusTimes)
        key("updated_at")
        string(ticket.updatedAt)
        end()
    }

    mutating func trackerView(_ view: TrackerView) {
        key("number", first: true)
        integer(view.number)
        key("order_id")
        string(view.orderID)
        key("seq")
        integer(view.seq)
        key("status")
        string(view.status.rawValue)
        key("status_times")
        stringMap(view.statusTimes)
        end()
    }
}
