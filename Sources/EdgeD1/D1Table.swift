import EdgeRuntime

/// `wrangler d1 execute` output, for the CLI: the box table it prints for each result and the
/// `--json` document.
///
/// Both show values as wrangler shows them: each row as a JavaScript object (later duplicate
/// columns win), BLOBs as the text `[1, 2, 3]`, numbers as JavaScript prints them.
package enum D1Table {
    /// The table wrangler prints for a result with rows (cli-table3's default style: box
    /// drawing, a rule between every row, one space of padding); `""` for a result without
    /// rows, for which wrangler prints nothing.
    ///
    /// ```
    /// ┌────┬───────┐
    /// │ id │ name  │
    /// ├────┼───────┤
    /// │ 1  │ red   │
    /// └────┴───────┘
    /// ```
    package static func render(_ result: D1Result) -> String {
        guard let first = result.results.first else { return "" }
        let head = first.fields.map(\.name)
        return BoxTable.render(head: head, rows: result.results.map { row in head.map { row[$0]?.description ?? "undefined" } })
    }

    /// The line wrangler prints after running statements locally:
    /// `🚣 3 commands executed successfully.`
    package static func summary(commandCount: Int) -> String {
        "🚣 \(commandCount) command\(commandCount == 1 ? "" : "s") executed successfully."
    }

    /// The `--json` document: `JSON.stringify(results, null, 2)` of
    /// `[{"results": [...], "success": true, "meta": {"duration": ...}}]`, BLOBs as `"[1, 2, 3]"`.
    package static func json(_ results: [D1Result]) -> String {
        let document = JSONText.array(
            results.map { result in
                .object([
                    (
                        "results",
                        .array(
                            result.results.map { row in
                                .object(row.fields.map { ($0.name, JSONText(wranglerValue: $0.value)) })
                            })
                    ),
                    ("success", .bool(result.success)),
                    ("meta", .object([("duration", .number(result.meta.duration))])),
                ])
            })
        return document.rendered(indent: "")
    }
}

/// A JSON value written as `JSON.stringify(value, null, 2)` writes it: keys in insertion
/// order, two-space indentation, `"key": value`, JavaScript number formatting.
enum JSONText {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int64)
    case string(String)
    case array([JSONText])
    case object([(String, JSONText)])

    /// A D1 value as wrangler's JSON shows it: BLOBs as the text `[1, 2, 3]`.
    init(wranglerValue value: D1Value) {
        switch value {
        case .null: self = .null
        case .integer(let number): self = .integer(number)
        case .real(let number): self = .number(number)
        case .text(let text): self = .string(text)
        case .blob: self = .string(value.description)
        }
    }

    func rendered(indent: String) -> String {
        let inner = indent + "  "
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return JSON.stringify(.number(value))
        case .integer(let value): return String(value)
        case .string(let value): return JSON.stringify(.string(value))
        case .array(let values):
            if values.isEmpty { return "[]" }
            return "[\n" + values.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n"
                + members.map { inner + JSON.stringify(.string($0.0)) + ": " + $0.1.rendered(indent: inner) }
                    .joined(separator: ",\n") + "\n\(indent)}"
        }
    }
}
