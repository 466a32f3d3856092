import Testing

@testable import CounterFire

@Suite struct TicketFoldTests {
    func row(_ cursor: Int, _ order: String, _ seq: Int, _ status: String, type: String = "order.status_changed") -> EventRow {
        EventRow(cursor: cursor, order_id: order, seq: seq, type: type, status: status, at: "t\(cursor)",
                 order: type == "order.created"
                    ? .init(restaurant_id: "demo", number: order == "a" ? 1 : 2, items: #"[{"name":"x","quantity":1}]"#, customer_name: nil, created_at: "t0")
                    : nil)
    }

    @Test func boardKeepsOpenTicketsAndSkipsWhatItApplied() throws {
        var fold = TicketFold(keepsOpenOnly: true)
        let created = try #require(try fold.apply(row(1, "a", 1, "received", type: "order.created")))
        #expect(created.ticket.seq == 1)
        #expect(created.ticket.statusTimes == ["received": "t1"])
        _ = try fold.apply(row(2, "b", 1, "received", type: "order.created"))
        #expect(try fold.apply(row(2, "b", 1, "received", type: "order.created")) == nil, "already applied")
        let moved = try #require(try fold.apply(row(3, "a", 2, "preparing")))
        #expect(moved.ticket.status == .preparing)
        #expect(moved.ticket.updatedAt == "t3")
        _ = try fold.apply(row(4, "b", 2, "cancelled"))
        #expect(fold.openTickets.map(\.id) == ["a"])
        #expect(fold.cursor == 4)
        #expect(try fold.apply(row(5, "zzz", 2, "ready")) == nil, "an order the board does not hold")
        #expect(fold.cursor == 5)
    }

    @Test func historyFoldKeepsClosedTicketsAndRejectsBadRows() throws {
        var fold = TicketFold(keepsOpenOnly: false)
        _ = try fold.apply(row(1, "a", 1, "received", type: "order.created"))
        let done = try #require(try fold.apply(row(2, "a", 2, "cancelled")))
        #expect(done.ticket.status == .cancelled)
        #expect(fold.tickets["a"]?.status == .cancelled)
        #expect(fold.openTickets.isEmpty)
        #expect(throws: StoreError.self) { try fold.apply(row(3, "a", 3, "eaten")) }
        #expect(throws: StoreError.self) { try fold.apply(row(4, "a", 3, "ready", type: "order.deleted")) }
        #expect("\(StoreError.corrupt("x"))" == "corrupt order data: x")
        let orphan = EventRow(cursor: 5, order_id: "c", seq: 1, type: "order.created", status: "received", at: "t5", order: nil)
        #expect(throws: StoreError.self) { try fold.apply(orphan) }
    }
}
