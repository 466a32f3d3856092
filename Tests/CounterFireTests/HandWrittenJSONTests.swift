import EdgeRuntime
import Foundation
import Testing

@testable import CounterFire

/// The hub's messages and the create response are written by hand for speed; they must be the
/// bytes `JSON.stringify(value, options: .contract)` (what every `Response.json` of CounterFire
/// writes) and Foundation's `JSONEncoder` with sorted keys (what the contract was first written
/// with) give.
@Suite struct HandWrittenJSONTests {
    static let awkward = ["plain", "quote \" backslash \\ slash /", "new\nline\ttab\u{08}\u{0C}\r", "bell \u{07} nul \u{00} del \u{7F}", "é 中文 🍔", "\u{2028}"]

    static func ticket(_ text: String, notes: String?) -> Ticket {
        Ticket(
            id: "ord_\(text.utf8.count)", restaurantID: "demo", number: 42, status: .preparing,
            items: [OrderItem(name: text, quantity: 2, notes: notes), OrderItem(name: "Fries", quantity: 1, notes: nil)],
            customerName: text.isEmpty ? nil : text, seq: 2, createdAt: "2026-11-29T08:00:00.000Z", updatedAt: "2026-11-29T08:01:00.000Z",
            statusTimes: ["received": "2026-11-29T08:00:00.000Z", "preparing": text])
    }

    static func foundation(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder.workers.encode(value), as: UTF8.self)
    }

    /// The runtime's `JSON.stringify` with the contract's options; it must equal Foundation's.
    static func stringify(_ value: some Encodable) throws -> String {
        let text = try JSON.stringify(value, options: .contract)
        #expect(text == (try foundation(value)))
        return text
    }

    @Test(arguments: awkward)
    func hubMessagesAreJSONEncodersBytes(text: String) throws {
        let ticket = Self.ticket(text, notes: text)
        let event = OrderEvent(orderID: ticket.id, seq: 2, cursor: 7, type: .statusChanged, status: .preparing, at: text)
        let message = HubMessage.Event(cursor: 7, event: event, ticket: ticket)
        #expect(HubMessage.json(message) == (try Self.stringify(message)))
        let snapshot = HubMessage.Snapshot(cursor: 7, tickets: [ticket, Self.ticket("x", notes: nil)])
        #expect(HubMessage.json(snapshot) == (try Self.stringify(snapshot)))
        let tracker = HubMessage.TrackerEvent(event: event, order: ticket.trackerView)
        #expect(HubMessage.json(tracker) == (try Self.stringify(tracker)))
        #expect(HubMessage.json(HubMessage.TrackerSnapshot(order: ticket.trackerView)) == (try Self.stringify(HubMessage.TrackerSnapshot(order: ticket.trackerView))))
        #expect(HubMessage.json(HubMessage.Heartbeat(cursor: 9)) == (try Self.stringify(HubMessage.Heartbeat(cursor: 9))))
    }

    @Test(arguments: awkward)
    func theJSONColumnsAreJSONEncodersBytesAndReadBack(text: String) throws {
        let items = [OrderItem(name: text, quantity: 3, notes: text), OrderItem(name: "x", quantity: 1, notes: nil)]
        var out = JSONWriter()
        out.items(items)
        #expect(out.text == (try Self.stringify(items)))
        #expect(try OrderRows.items(out.text) == items)
        var times = JSONWriter()
        times.stringMap(["received": text, "preparing": "b", "ready": ""])
        #expect(times.text == (try Self.stringify(["received": text, "preparing": "b", "ready": ""])))
        // Keys other than status names (the general, sorting path), and every status at once.
        for map in [["received": "x", "zeta": text, "Ready": "y", "ready": "z"], Dictionary(uniqueKeysWithValues: OrderStatus.allCases.map { ($0.rawValue, text) })] {
            var other = JSONWriter()
            other.stringMap(map)
            #expect(other.text == (try Self.stringify(map)))
        }
    }

    @Test(arguments: awkward)
    func theIdempotencyHashIsTakenOverJSONEncodersSortedKeysBytes(text: String) throws {
        struct Canonical: Encodable {
            let items: [OrderItem]
            let customer_name: String?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for name in [text, nil] {
            let input = CreateOrderInput(
                items: [OrderItem(name: text, quantity: 2, notes: text), OrderItem(name: "a/b", quantity: 1, notes: nil)], customerName: name)
            let reference = try encoder.encode(Canonical(items: input.items, customer_name: input.customerName))
            #expect(input.canonicalJSON == Array(reference))
        }
    }

    @Test(arguments: [0, 7, 10, 99, 100, 1_234_567, -1, -10, Int.max, Int.min])
    func integersAreJSONEncodersDigits(value: Int) throws {
        var out = JSONWriter()
        out.key("n", first: true)
        out.integer(value)
        out.end()
        #expect(out.text == (try Self.stringify(["n": value])))
    }

    @Test(arguments: awkward)
    func theCreateResponseIsResponseJSONsBytes(text: String) async throws {
        let created = OrderRoutes.Created(order: Self.ticket(text, notes: nil), tracker_token: "tok_\(text)", tracker_url: "http://127.0.0.1:8787/track/x")
        let fast = created.response(status: .created)
        let reference = Response.json(created, status: .created, options: .contract)
        #expect(fast.status == .created)
        #expect(fast.headers.get("content-type") == reference.headers.get("content-type"))
        let referenceText = try await reference.text()
        #expect(referenceText == (try Self.foundation(created)))
        #expect(try await fast.text() == referenceText)
    }
}
