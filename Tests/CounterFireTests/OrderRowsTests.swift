import EdgeD1
import EdgeRuntime
import Testing

@testable import CounterFire

/// Rows the store cannot read (a hand-edited database, or a bug) fail with `corrupt order data`
/// naming what is wrong, instead of a crash or a made-up ticket.
@Suite struct OrderRowsTests {
    func corrupt(_ detail: String, _ body: () throws -> Void) {
        #expect {
            try body()
        } throws: { error in
            "\(error)".hasPrefix("corrupt order data: \(detail)")
        }
    }

    @Test func jsonColumnsAndStatusesAreChecked() throws {
        corrupt("items is not what CounterFire writes") { _ = try OrderRows.items(#"{"name":"x"}"#) }
        corrupt("items is not what CounterFire writes") { _ = try OrderRows.items(#"[{"name":"x"}]"#) }
        corrupt("items is not what CounterFire writes") { _ = try OrderRows.items(#"[{"name":"x","quantity":1,"notes":2}]"#) }
        corrupt("status_times is not what CounterFire writes") { _ = try OrderRows.statusTimes("[]") }
        corrupt("status_times is not what CounterFire writes") { _ = try OrderRows.statusTimes(#"{"received":1}"#) }
        corrupt("unknown status lost") { _ = try OrderRows.status("lost") }
    }

    static let created: [D1Value] = [
        .integer(1), .text("ord_1"), .integer(1), .text("order.created"), .text("received"), .text("t"),
        .text("demo"), .integer(1), .text(#"[{"name":"x","quantity":1}]"#), .null, .text("t"),
    ]

    @Test func logRowsOfAnotherShapeAreRefused() throws {
        #expect(try EventRow(raw: Self.created).createdTicket().customerName == nil)
        var named = Self.created
        named[9] = .text("Ana")
        #expect(try EventRow(raw: named).createdTicket().customerName == "Ana")
        corrupt("an order_event row of unexpected shape") { _ = try EventRow(raw: Array(Self.created.prefix(10))) }
        var badOrder = Self.created
        badOrder[7] = .text("one")
        corrupt("an orders row of unexpected shape") { _ = try EventRow(raw: badOrder) }
        var badType = Self.created
        badType[3] = .text("order.deleted")
        corrupt("unknown event type order.deleted") { _ = try EventRow(raw: badType).event() }
        var orphan = Self.created
        orphan.replaceSubrange(6...10, with: [D1Value](repeating: .null, count: 5))
        corrupt("the order ord_1 of event 1 is missing") { _ = try EventRow(raw: orphan).createdTicket() }
    }

    @Test func aCorruptRowInTheDatabaseFailsTheRequestThatReadsIt() async throws {
        try await withCounterFire { client in
            let id = try await client.createOrder().order.id
            try await client.d1("DB").prepare("UPDATE orders SET items = '{}' WHERE id = ?1").bind(id).run()
            let response = try await client.execute(.get, "/v1/orders/\(id)", headers: kitchen)
            #expect(response.status == .internalServerError)
            #expect(response.text.hasPrefix("corrupt order data: items is not what CounterFire writes"), "\(response.text)")
        }
    }
}
