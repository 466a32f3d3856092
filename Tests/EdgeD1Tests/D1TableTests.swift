import EdgeD1
import Foundation
import Testing

@Suite("wrangler d1 execute output")
struct D1TableTests {
    private func result(_ columns: [String], _ rows: [[D1Value]], duration: Double = 0) -> D1Result {
        D1Result(
            results: rows.map { D1Row(columns: columns, values: $0) },
            meta: D1Meta(duration: duration, changes: 0, lastRowId: 0, changedDb: false, sizeAfter: 0, rowsRead: 0, rowsWritten: 0))
    }

    @Test("render draws cli-table3's box with a rule between rows")
    func render() {
        let table = D1Table.render(result(["id", "name", "blob"], [[1, "red", .blob([1, 2, 3])], [22, nil, 0.5]]))
        #expect(
            table == """
                ┌────┬──────┬───────────┐
                │ id │ name │ blob      │
                ├────┼──────┼───────────┤
                │ 1  │ red  │ [1, 2, 3] │
                ├────┼──────┼───────────┤
                │ 22 │ null │ 0.5       │
                └────┴──────┴───────────┘
                """)
    }

    @Test("render counts wide characters as two columns and splits lines")
    func renderWide() {
        let table = D1Table.render(result(["名前", "a"], [["漢字", "x\ny"], ["🙈", 3.0]]))
        #expect(
            table == """
                ┌──────┬───┐
                │ 名前 │ a │
                ├──────┼───┤
                │ 漢字 │ x │
                │      │ y │
                ├──────┼───┤
                │ 🙈   │ 3 │
                └──────┴───┘
                """)
    }

    @Test("render shows nothing for a result without rows, and later duplicate columns win")
    func renderEdgeCases() {
        #expect(D1Table.render(result(["a"], [])) == "")
        #expect(
            D1Table.render(result(["a", "a"], [[1, 2]])) == """
                ┌───┐
                │ a │
                ├───┤
                │ 2 │
                └───┘
                """)
    }

    @Test("json is JSON.stringify(results, null, 2) with BLOBs as text")
    func json() {
        let output = D1Table.json([
            result(["id", "note", "data"], [[1, "say \"hi\"\n", .blob([0, 255])], [9_007_199_254_740_993, nil, 1e21]], duration: 0.5),
            result([], [], duration: 0),
        ])
        #expect(
            output == """
                [
                  {
                    "results": [
                      {
                        "id": 1,
                        "note": "say \\"hi\\"\\n",
                        "data": "[0, 255]"
                      },
                      {
                        "id": 9007199254740993,
                        "note": null,
                        "data": 1e+21
                      }
                    ],
                    "success": true,
                    "meta": {
                      "duration": 0.5
                    }
                  },
                  {
                    "results": [],
                    "success": true,
                    "meta": {
                      "duration": 0
                    }
                  }
                ]
                """)
        #expect(D1Table.summary(commandCount: 1) == "🚣 1 command executed successfully.")
        #expect(D1Table.summary(commandCount: 3) == "🚣 3 commands executed successfully.")
    }

    @Test("values print as JavaScript's String() prints them", arguments: [
        (D1Value.real(3.0), "3"), (.real(0.1), "0.1"), (.real(-2.5), "-2.5"), (.real(1e21), "1e+21"),
        (.real(1e20), "100000000000000000000"), (.real(1e-7), "1e-7"), (.real(0.000001), "0.000001"),
        (.real(1.5e-10), "1.5e-10"), (.real(123456789.125), "123456789.125"), (.real(-0.0), "0"),
        (.real(.nan), "NaN"), (.real(-.infinity), "-Infinity"), (.real(2.5e300), "2.5e+300"),
        (.integer(Int64.max), "9223372036854775807"), (.null, "null"), (.text("a b"), "a b"),
        (.blob([]), "[]"), (.blob([1, 2]), "[1, 2]"),
    ])
    func javaScriptStrings(value: D1Value, text: String) {
        #expect(value.description == text)
    }
}
