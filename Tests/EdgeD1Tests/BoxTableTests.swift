@testable import EdgeD1
import Testing

/// wrangler's `logger.table` (cli-table3's default style) for the migration lists.
@Suite struct BoxTableTests {
    @Test func aRuleBetweenEveryRowAsCliTable3Draws() {
        let table = BoxTable.render(head: ["Name", "Status"], rows: [["0001_orders.sql", "✅"], ["0002_idx.sql", "✅"]])
        #expect(
            table == """
                ┌─────────────────┬────────┐
                │ Name            │ Status │
                ├─────────────────┼────────┤
                │ 0001_orders.sql │ ✅     │
                ├─────────────────┼────────┤
                │ 0002_idx.sql    │ ✅     │
                └─────────────────┴────────┘
                """)
    }
}
