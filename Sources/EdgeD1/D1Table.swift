/// `wrangler d1 execute` output, for the CLI: the box table it prints for each result and the
/// `--json` document.
///
/// Both show values as wrangler shows them: each row as a JavaScript object (later duplicate
/// columns win), BLOBs as the text `[1, 2, 3]`, numbers as JavaScript prints them.
public enum D1Table {
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
    public static func render(_ result: D1Result) -> String {
        guard let first = result.results.first else { return "" }
        let head = first.fields.map(\.name)
        let body = result.results.map { row in head.map { row[$0]?.description ?? "undefined" } }
        let cells = ([head] + body).map { $0.map { $0.split(separator: "\n", omittingEmptySubsequences: false) } }
        let widths = head.indices.map { column in
            cells.map { $0[column].map { displayWidth(of: $0) }.max() ?? 0 }.max()! + 2
        }
        func rule(_ left: String, _ middle: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0) }.joined(separator: middle) + right
        }
        func lines(of row: [[Substring]]) -> [String] {
            let height = row.map(\.count).max() ?? 1
            return (0..<height).map { line in
                let parts = row.indices.map { column in
                    let text = line < row[column].count ? String(row[column][line]) : ""
                    return " " + text + String(repeating: " ", count: widths[column] - 1 - displayWidth(of: text))
                }
                return "│" + parts.joined(separator: "│") + "│"
            }
        }
        var output = [rule("┌", "┬", "┐")]
        for (index, row) in cells.enumerated() {
            if index > 0 { output.append(rule("├", "┼", "┤")) }
            output += lines(of: row)
        }
        output.append(rule("└", "┴", "┘"))
        return output.joined(separator: "\n")
    }

    /// The line wrangler prints after running statements locally:
    /// `🚣 3 commands executed successfully.`
    public static func summary(commandCount: Int) -> String {
        "🚣 \(commandCount) command\(commandCount == 1 ? "" : "s") executed successfully."
    }

    /// The `--json` document: `JSON.stringify(results, null, 2)` of
    /// `[{"results": [...], "success": true, "meta": {"duration": ...}}]`, BLOBs as `"[1, 2, 3]"`.
    public static func json(_ results: [D1Result]) -> String {
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

    /// Terminal columns `text` takes: wide (East Asian, emoji) characters take two, combining
    /// marks none, as `string-width` (which cli-table3 uses) counts them.
    static func displayWidth(of text: some StringProtocol) -> Int {
        text.reduce(0) { width, character in
            let scalars = character.unicodeScalars
            let first = scalars.first!
            if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark
                || first.properties.generalCategory == .format || first.value < 0x20
            {
                return width
            }
            if first.properties.isEmojiPresentation || scalars.contains("\u{FE0F}") || isWide(first.value) {
                return width + 2
            }
            return width + 1
        }
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            true
        default:
            false
        }
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
        case .number(let value): return value.isFinite ? JavaScriptNumber.format(value) : "null"
        case .integer(let value): return String(value)
        case .string(let value): return Self.quoted(value)
        case .array(let values):
            if values.isEmpty { return "[]" }
            return "[\n" + values.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n"
                + members.map { inner + Self.quoted($0.0) + ": " + $0.1.rendered(indent: inner) }
                    .joined(separator: ",\n") + "\n\(indent)}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case let scalar where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
