/// JSON written by hand, byte for byte as `JSONEncoder.workers` writes it (keys sorted bytewise,
/// absent optionals left out, `/` unescaped, control characters as `\b \f \n \r \t` or
/// `\u00xx`, everything else as UTF-8): for the hub's messages (a replay or a snapshot encodes
/// thousands of tickets), the create response and the JSON columns of a new order, where
/// Foundation's encoder was the largest cost. `HandWrittenJSONTests` compares the bytes.
///
/// UTF-8 being written as one JSON object (``key(_:first:)`` opens it, ``end()`` closes it).
struct JSONOutput {
    var bytes: [UInt8] = []
    /// Writes `/` as `\/`, as `JSONEncoder` does without `.withoutEscapingSlashes` (the
    /// Idempotency-Key hash is taken over that form).
    var escapesSlashes = false

    init() {
        bytes.reserveCapacity(1024)
    }

    mutating func byte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// `{"name":` for the first key of an object, `,"name":` for the others. Names are ASCII.
    mutating func key(_ name: StaticString, first: Bool = false) {
        bytes.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func end() {
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func integer(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // Digits are written backwards after the end, then reversed in place: no String per number.
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            var plain = true
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                || (escapesSlashes && byte == UInt8(ascii: "/")) {
                plain = false
                break
            }
            if plain {
                bytes.append(contentsOf: utf8)  // nothing to escape: the usual case
            } else {
                escaping(utf8)
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    private mutating func escaping(_ utf8: UnsafeBufferPointer<UInt8>) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "/") where escapesSlashes: bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x00...0x1F:
                let digits: StaticString = "0123456789abcdef"
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                digits.withUTF8Buffer { table in
                    bytes.append(table[Int(byte >> 4)])
                    bytes.append(table[Int(byte & 0x0F)])
                }
            default: bytes.append(byte)
            }
        }
    }

    /// A `[String: String]` as `JSONEncoder` sorts it: by the keys' UTF-8 bytes.
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
        for (index, key) in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            bytes.append(index == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            string(key)
            bytes.append(UInt8(ascii: ":"))
            string(map[key]!)
        }
        end()
    }

    /// The statuses' names sorted by their UTF-8 bytes, as `JSONEncoder` sorts keys.
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

    /// The UTF-8 written so far, as a `String`.
    var text: String { String(decoding: bytes, as: UTF8.self) }

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
