// The scanner walks a TOML document that TOMLKit has already parsed successfully and records,
// for every key, table header and array element, the position where it was written. It knows
// just enough TOML to stay in step with the document: table headers `[a.b]`, arrays of tables
// `[[a]]` (counted, so the n-th `[[d1_databases]]` is `d1_databases[n]`), dotted and quoted keys,
// inline tables, arrays spanning lines, the four string forms and comments. It never judges
// values; TOMLKit has done that. On input it does not understand it moves on one byte at a
// time, so it always terminates.

extension FieldLocations {
    struct Scanner {
        private let bytes: [UInt8]
        private var index = 0
        private var line = 1
        private var lineStart = 0
        private var positions: [FieldPath: Position] = [:]
        private var arrayTableCounts: [FieldPath: Int] = [:]
        private var currentTable = FieldPath()

        static func positions(in text: String) -> [FieldPath: Position] {
            var scanner = Scanner(bytes: Array(text.utf8))
            scanner.scanDocument()
            return scanner.positions
        }

        private init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                index = 3
                lineStart = 3
            }
        }

        // MARK: Document structure

        private mutating func scanDocument() {
            while index < bytes.count {
                let start = index
                skipTrivia(acrossLines: true)
                guard let byte = peek() else { return }
                if byte == UInt8(ascii: "[") {
                    scanHeader()
                } else {
                    scanKeyValue(in: currentTable)
                }
                if index == start { advance() }
            }
        }

        private mutating func scanHeader() {
            let position = currentPosition
            advance()
            let isArrayOfTables = peek() == UInt8(ascii: "[")
            if isArrayOfTables { advance() }
            let keys = scanKey()
            skipTrivia(acrossLines: false)
            while peek() == UInt8(ascii: "]") { advance() }
            guard let last = keys.last else { return }
            if isArrayOfTables {
                let arrayPath = resolve(keys.dropLast()).appending(last)
                let count = arrayTableCounts[arrayPath, default: 0]
                arrayTableCounts[arrayPath] = count + 1
                record(arrayPath, at: position)
                currentTable = arrayPath.appending(index: count)
            } else {
                currentTable = resolve(keys[...])
            }
            record(currentTable, at: position)
        }

        /// The path of a header's keys, stepping into the latest element of arrays of tables.
        private func resolve(_ keys: ArraySlice<String>) -> FieldPath {
            var path = FieldPath()
            for key in keys {
                path = path.appending(key)
                if let count = arrayTableCounts[path] {
                    path = path.appending(index: count - 1)
                }
            }
            return path
        }

        private mutating func scanKeyValue(in table: FieldPath) {
            let position = currentPosition
            let keys = scanKey()
            guard !keys.isEmpty else { return }
            var path = table
            for key in keys {
                path = path.appending(key)
                record(path, at: position)
            }
            skipTrivia(acrossLines: false)
            if peek() == UInt8(ascii: "=") { advance() }
            skipTrivia(acrossLines: false)
            scanValue(at: path)
        }

        private mutating func scanValue(at path: FieldPath) {
            switch peek() {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                _ = scanString()
            case UInt8(ascii: "["):
                advance()
                var count = 0
                while let byte = peekAfterTrivia() {
                    if byte == UInt8(ascii: "]") {
                        advance()
                        return
                    }
                    if byte == UInt8(ascii: ",") {
                        advance()
                        continue
                    }
                    let start = index
                    let element = path.appending(index: count)
                    record(element, at: currentPosition)
                    scanValue(at: element)
                    count += 1
                    if index == start { advance() }
                }
            case UInt8(ascii: "{"):
                advance()
                while let byte = peekAfterTrivia() {
                    if byte == UInt8(ascii: "}") {
                        advance()
                        return
                    }
                    if byte == UInt8(ascii: ",") {
                        advance()
                        continue
                    }
                    let start = index
                    scanKeyValue(in: path)
                    if index == start { advance() }
                }
            default:
                while let byte = peek(), !Self.endsScalar(byte) { advance() }
            }
        }

        private static func endsScalar(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "#"),
                UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                return true
            default:
                return false
            }
        }

        /// Records the first place a path was written; later mentions (`[a]` after `a.b = 1`) do not move it.
        private mutating func record(_ path: FieldPath, at position: Position) {
            if positions[path] == nil { positions[path] = position }
        }

        // MARK: Keys and strings

        /// Reads a possibly dotted key (`a`, `a.b`, `"quoted key".c`) and returns its parts.
        private mutating func scanKey() -> [String] {
            var keys: [String] = []
            while true {
                skipTrivia(acrossLines: false)
                guard let byte = peek() else { break }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    keys.append(scanString())
                } else if FieldPath.isBareKeyByte(byte) {
                    let start = index
                    while let next = peek(), FieldPath.isBareKeyByte(next) { advance() }
                    keys.append(String(decoding: bytes[start..<index], as: UTF8.self))
                } else {
                    break
                }
                skipTrivia(acrossLines: false)
                guard peek() == UInt8(ascii: ".") else { break }
                advance()
            }
            return keys
        }

        /// Reads any of TOML's four string forms and returns its value (escapes decoded in basic strings).
        private mutating func scanString() -> String {
            guard let quote = peek() else { return "" }
            let isBasic = quote == UInt8(ascii: "\"")
            let isMultiline = peek(offset: 1) == quote && peek(offset: 2) == quote
            advance(by: isMultiline ? 3 : 1)
            var value: [UInt8] = []
            while let byte = peek() {
                if byte == quote && (!isMultiline || (peek(offset: 1) == quote && peek(offset: 2) == quote)) {
                    advance(by: isMultiline ? 3 : 1)
                    // A multi-line string may end with up to two extra quotes that belong to its value.
                    var extra = 0
                    while isMultiline, extra < 2, peek() == quote {
                        value.append(quote)
                        advance()
                        extra += 1
                    }
                    break
                }
                if !isMultiline && byte == UInt8(ascii: "\n") { break }
                if isBasic && byte == UInt8(ascii: "\\") {
                    advance()
                    value += scanEscape()
                } else {
                    value.append(byte)
                    advance()
                }
            }
            return String(decoding: value, as: UTF8.self)
        }

        /// Decodes the escape after a backslash in a basic string.
        private mutating func scanEscape() -> [UInt8] {
            guard let byte = peek() else { return [] }
            advance()
            switch byte {
            case UInt8(ascii: "b"): return [0x08]
            case UInt8(ascii: "t"): return [0x09]
            case UInt8(ascii: "n"): return [0x0A]
            case UInt8(ascii: "f"): return [0x0C]
            case UInt8(ascii: "r"): return [0x0D]
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let digits = byte == UInt8(ascii: "u") ? 4 : 8
                let end = min(index + digits, bytes.count)
                let hex = String(decoding: bytes[index..<end], as: UTF8.self)
                advance(by: end - index)
                guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else { return [] }
                return Array(String(Character(scalar)).utf8)
            case UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                // A line-ending backslash in a multi-line string trims the following whitespace.
                while let next = peek(), [0x20, 0x09, 0x0A, 0x0D].contains(next) { advance() }
                return []
            default:
                return [byte]
            }
        }

        // MARK: Bytes

        private var currentPosition: Position {
            Position(line: line, column: index - lineStart + 1)
        }

        private func peek(offset: Int = 0) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        private mutating func peekAfterTrivia() -> UInt8? {
            skipTrivia(acrossLines: true)
            return peek()
        }

        private mutating func advance(by count: Int = 1) {
            for _ in 0..<count where index < bytes.count {
                if bytes[index] == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = index + 1
                }
                index += 1
            }
        }

        /// Skips spaces, tabs and comments, and line breaks too when `acrossLines` is set.
        private mutating func skipTrivia(acrossLines: Bool) {
            while let byte = peek() {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    advance()
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    guard acrossLines else { return }
                    advance()
                case UInt8(ascii: "#"):
                    while let next = peek(), next != UInt8(ascii: "\n") { advance() }
                default:
                    return
                }
            }
        }
    }
}
