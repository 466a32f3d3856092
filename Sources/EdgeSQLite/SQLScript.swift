/// SQL text holding any number of statements, split the way SQLite itself reads it.
///
/// Splitting uses SQLite's `sqlite3_complete()` state machine (``isComplete(_:)``), which knows
/// string literals, quoted identifiers, comments and `CREATE TRIGGER ... BEGIN ...; END` bodies: a `;` ends a
/// statement only where SQLite would end it. This is what scripts (`d1 execute --file`,
/// migrations) need: each statement then runs, and is limited, on its own, whereas one
/// prepare call over the whole text would count the whole text against `SQLITE_LIMIT_SQL_LENGTH`.
public struct SQLScript: Sendable, Hashable {
    /// The script as given.
    public let text: String

    /// Wraps a script.
    public init(_ text: String) {
        self.text = text
    }

    /// The statements in order, trimmed of surrounding whitespace and of their final `;`.
    /// Chunks holding only whitespace, comments or semicolons are left out. Text after the last
    /// `;` is a statement too, if it holds one.
    public var statements: [String] {
        let bytes = Array(text.utf8)
        var statements: [String] = []
        var start = 0
        func emit(_ end: Int) {
            let chunk = bytes[start..<end]
            if Self.tokens(of: chunk).contains(where: { $0 != ";" }) {
                var statement = String(decoding: chunk, as: UTF8.self)
                    .trimmed(where: Self.isWhitespace)
                if statement.hasSuffix(";") { statement.removeLast() }
                statements.append(statement.trimmed(where: Self.isWhitespace))
            }
            start = end
        }
        for index in bytes.indices where bytes[index] == UInt8(ascii: ";") {
            if Self.isComplete(bytes[start...index]) { emit(index + 1) }
        }
        emit(bytes.count)
        return statements
    }

    /// Whether `sql` holds nothing but whitespace and comments.
    public static func isBlank(_ sql: String) -> Bool {
        // Checked before every D1 query: text whose first non-whitespace byte cannot open a
        // comment has a token, so it is not blank, without tokenizing it.
        for byte in sql.utf8 where !isWhitespaceByte(byte) {
            if byte != UInt8(ascii: "-") && byte != UInt8(ascii: "/") { return false }
            break
        }
        return tokens(of: Array(sql.utf8)[...]).isEmpty
    }

    /// The SQL tokens of `sql`, without whitespace and comments: words, quoted strings and
    /// identifiers (with their quotes), numbers, and single punctuation characters. Coarse, but
    /// enough to look for keywords without being fooled by comments.
    static func tokens(of sql: String) -> [String] {
        tokens(of: Array(sql.utf8)[...])
    }

    static func tokens(of bytes: ArraySlice<UInt8>) -> [String] {
        var tokens: [String] = []
        var index = bytes.startIndex
        func at(_ offset: Int) -> UInt8? {
            index + offset < bytes.endIndex ? bytes[index + offset] : nil
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            if isWhitespaceByte(byte) {
                index += 1
            } else if byte == UInt8(ascii: "-"), at(1) == UInt8(ascii: "-") {
                while index < bytes.endIndex, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/"), at(1) == UInt8(ascii: "*") {
                index += 2
                while index < bytes.endIndex, !(bytes[index] == UInt8(ascii: "*") && at(1) == UInt8(ascii: "/")) {
                    index += 1
                }
                index = min(index + 2, bytes.endIndex)
            } else if let close = closingQuote(for: byte) {
                let start = index
                index += 1
                while index < bytes.endIndex {
                    if bytes[index] == close {
                        // A doubled quote is an escaped quote, except for [brackets].
                        if close != UInt8(ascii: "]"), at(1) == close { index += 2; continue }
                        index += 1
                        break
                    }
                    index += 1
                }
                tokens.append(String(decoding: bytes[start..<index], as: UTF8.self))
            } else if isWordByte(byte) {
                let start = index
                while index < bytes.endIndex, isWordByte(bytes[index]) { index += 1 }
                tokens.append(String(decoding: bytes[start..<index], as: UTF8.self))
            } else {
                tokens.append(String(UnicodeScalar(byte)))
                index += 1
            }
        }
        return tokens
    }

    private static func closingQuote(for byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"): byte
        case UInt8(ascii: "["): UInt8(ascii: "]")
        default: nil
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }

    private static func isWhitespaceByte(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0d)
    }

    static func isWhitespace(_ character: Character) -> Bool {
        character.isWhitespace
    }
}

extension String {
    /// The string without leading and trailing characters matching `predicate`.
    func trimmed(where predicate: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !predicate($0) }) else { return "" }
        let last = lastIndex(where: { !predicate($0) })!
        return String(self[first...last])
    }
}
