/// The box table wrangler prints through its `logger.table` (cli-table3's default style: box
/// drawing, a rule between every row, one space of padding), for `edge d1 execute` results and
/// the migration lists alike.
///
/// ```
/// ┌────┬───────┐
/// │ id │ name  │
/// ├────┼───────┤
/// │ 1  │ red   │
/// ├────┼───────┤
/// │ 2  │ green │
/// └────┴───────┘
/// ```
///
/// A cell with line breaks takes several lines; widths are terminal columns (``displayWidth(of:)``).
package enum BoxTable {
    /// The table of `head` and `rows` (each row one cell per column of `head`).
    package static func render(head: [String], rows: [[String]]) -> String {
        let cells = ([head] + rows).map { $0.map { $0.split(separator: "\n", omittingEmptySubsequences: false) } }
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

    /// Terminal columns `text` takes: wide (East Asian, emoji) characters take two, combining
    /// marks none, as `string-width` (which cli-table3 uses) counts them.
    package static func displayWidth(of text: some StringProtocol) -> Int {
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
