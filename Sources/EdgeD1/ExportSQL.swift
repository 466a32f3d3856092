/// How ``D1Database/export(tables:noSchema:noData:)`` writes names and values as SQL text.
enum ExportSQL {
    /// Longest statement written: production refuses statements over 100 000 bytes.
    static let statementBudget = 90_000
    /// Longest piece of a large value appended by one `UPDATE`, in bytes of SQL.
    static let pieceBudget = 80_000

    /// `"name"`, with `"` doubled (Miniflare's `escapeId`).
    static func identifier(_ name: String) -> String {
        "\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\""
    }

    /// The value as a SQL literal that reads back as the same storage class and value.
    static func literal(_ value: D1Value) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let integer): String(integer)
        case .real(let real): realLiteral(real)
        case .text(let text): textLiteral(text)
        case .blob(let bytes): blobLiteral(bytes)
        }
    }

    /// Pieces that rebuild a large TEXT or BLOB when appended in order to an empty value: each
    /// takes the column's SQL and gives the new value's expression.
    static func pieces(of value: D1Value) -> [(String) -> String] {
        switch value {
        case .text(let text):
            // Each character counted twice: a quote doubles, a newline becomes `\n`.
            var pieces: [String] = []
            var current = ""
            var size = 0
            for character in text {
                if size + character.utf8.count * 2 > pieceBudget {
                    pieces.append(current)
                    (current, size) = ("", 0)
                }
                current.append(character)
                size += character.utf8.count * 2
            }
            if !current.isEmpty { pieces.append(current) }
            return pieces.map { piece in { column in "\(column) || \(textLiteral(piece))" } }
        case .blob(let bytes):
            return stride(from: 0, to: bytes.count, by: pieceBudget / 2).map { start in
                let piece = Array(bytes[start..<min(start + pieceBudget / 2, bytes.count)])
                return { column in "CAST(\(column) || \(blobLiteral(piece)) AS BLOB)" }
            }
        default:
            return []
        }
    }

    /// A REAL that stays a REAL: Swift's shortest round-trip digits, always with a `.` or an
    /// exponent; infinities as SQLite's shell writes them (`9.0e999` overflows to infinity).
    private static func realLiteral(_ real: Double) -> String {
        if real.isInfinite { return real < 0 ? "-9.0e999" : "9.0e999" }
        let text = "\(real)"
        return text.contains(where: { $0 == "." || $0 == "e" }) ? text : text + ".0"
    }

    /// Miniflare's `outputQuotedEscapedString` (SQLite shell's `output_quoted_escaped_string`):
    /// `'...'` with `'` doubled, and newlines and carriage returns put back with
    /// `replace(..., char(10))`. Text with a NUL is written as hex: a NUL ends SQL text.
    private static func textLiteral(_ text: String) -> String {
        let scalars = text.unicodeScalars
        if scalars.contains("\0") { return "CAST(\(blobLiteral(Array(text.utf8))) AS TEXT)" }
        let hasNewline = scalars.contains("\n"), hasReturn = scalars.contains("\r")
        let newline = hasNewline ? unusedString(in: text, "\\n", "\\012") : ""
        let carriageReturn = hasReturn ? unusedString(in: text, "\\r", "\\015") : ""
        var output = "'"
        for scalar in scalars {
            switch scalar {
            case "'": output += "''"
            case "\n": output += newline
            case "\r": output += carriageReturn
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "'"
        if hasReturn { output = "replace(\(output),'\(carriageReturn)',char(13))" }
        if hasNewline { output = "replace(\(output),'\(newline)',char(10))" }
        return output
    }

    private static func blobLiteral(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = [UInt8(ascii: "X"), UInt8(ascii: "'")]
        hex.reserveCapacity(bytes.count * 2 + 3)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        hex.append(UInt8(ascii: "'"))
        return String(decoding: hex, as: UTF8.self)
    }

    /// SQLite shell's `unused_string`: `primary`, else `secondary`, else `(primary0)`,
    /// `(primary1)`, ... whichever does not occur in `text`.
    private static func unusedString(in text: String, _ primary: String, _ secondary: String) -> String {
        let bytes = Array(text.utf8)
        if !contains(bytes, primary) { return primary }
        if !contains(bytes, secondary) { return secondary }
        var suffix = 0
        while contains(bytes, "(\(primary)\(suffix))") { suffix += 1 }
        return "(\(primary)\(suffix))"
    }

    /// Whether `needle`'s UTF-8 bytes occur in `bytes` (byte-wise: a combining mark after
    /// `\\n` hides it from `String.contains`, not from SQLite's `replace`).
    private static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        let needle = Array(needle.utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in bytes[start..<(start + needle.count)].elementsEqual(needle) }
    }
}
