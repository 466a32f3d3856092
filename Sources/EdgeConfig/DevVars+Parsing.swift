// The dotenv dialect of the `dotenv` package wrangler uses, read strictly: where dotenv skips a
// line it cannot read, Edge stops and names the line, since a silently missing secret is harder
// to find than an error.
//
// - `KEY=VALUE`, spaces allowed around `=`, an optional `export ` before the key; keys are
//   letters, digits, `_`, `.` and `-`.
// - `#` starts a comment on its own line and after an unquoted value; blank lines are ignored.
// - Values may be quoted with `"`, `'` or a backtick, and may then span lines. Inside double
//   quotes `\n` and `\r` become a newline and a carriage return (dotenv expands nothing else).
// - Unquoted values are trimmed. A later line for the same key wins.

import Foundation

extension DevVars {
    static func parse(_ text: String, file: URL) throws(ConfigError) -> [String: String] {
        // "\r\n" is one Character in Swift, so both line endings are separators.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        var values: [String: String] = [:]
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var line = lines[index].drop { $0 == " " || $0 == "\t" }
            index += 1
            if line.isEmpty || line.first == "#" { continue }
            if line.hasPrefix("export "), line.dropFirst(7).contains("=") {
                line = line.dropFirst(7).drop { $0 == " " || $0 == "\t" }
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError.invalid(
                    "expected KEY=VALUE but got \(String(line).jsonQuoted)",
                    file: file, line: lineNumber, field: nil
                )
            }
            let key = String(line[..<equals]).trimmingSpaces
            guard !key.isEmpty, key.unicodeScalars.allSatisfy(Self.isKeyCharacter) else {
                throw ConfigError.invalid(
                    "\(key.jsonQuoted) is not a valid variable name (use letters, digits, \"_\", \".\" and \"-\")",
                    file: file, line: lineNumber, field: key.isEmpty ? nil : key
                )
            }
            var rest = line[line.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
            guard let quote = rest.first, quote == "\"" || quote == "'" || quote == "`" else {
                let value = rest.firstIndex(of: "#").map { rest[..<$0] } ?? rest
                values[key] = String(value).trimmingSpaces
                continue
            }
            // A quoted value: find the closing quote, possibly on a later line.
            rest = rest.dropFirst()
            var value = ""
            while true {
                if let close = Self.closingQuote(quote, in: rest) {
                    value += rest[..<close]
                    let trailing = rest[rest.index(after: close)...].trimmingSpaces
                    guard trailing.isEmpty || trailing.hasPrefix("#") else {
                        throw ConfigError.invalid(
                            "unexpected text after the closing quote of \(key): \(trailing.jsonQuoted)",
                            file: file, line: index, field: key
                        )
                    }
                    break
                }
                guard index < lines.count else {
                    throw ConfigError.invalid(
                        "the value of \(key) starts with \(String(quote)) but never ends",
                        file: file, line: lineNumber, field: key
                    )
                }
                value += rest + "\n"
                rest = lines[index]
                index += 1
            }
            if quote == "\"" {
                value = value.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\r")
            }
            values[key] = value
        }
        return values
    }

    /// The index of the quote closing a value, skipping quotes escaped with a backslash.
    private static func closingQuote(_ quote: Character, in text: Substring) -> Substring.Index? {
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if character == quote && !escaped { return index }
            escaped = character == "\\" && !escaped
        }
        return nil
    }

    private static func isKeyCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", ".", "-": return true
        default: return false
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
