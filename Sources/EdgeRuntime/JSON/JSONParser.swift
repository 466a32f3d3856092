import OrderedCollections

/// The reader behind `JSON.parse` and `request.json()`: RFC 8259 text to ``JSONValue``,
/// refusing what V8's `JSON.parse` refuses, with V8's messages (``JSONParser+Errors.swift``).
///
/// As in JavaScript: every number is a double (`1e400` is `Infinity`), of duplicate keys the
/// last value counts at the first one's place, and a `\uD800` escape with no partner (a lone
/// surrogate, which a JavaScript string can hold but a Swift `String` cannot) becomes U+FFFD,
/// as it would when the string is later sent as UTF-8.
///
/// Unlike V8, nesting is limited (``maxDepth``): the reader recurses, and a handler's input
/// must never exhaust the stack.
///
/// Hand-written for speed over bytes in place: Foundation's `JSONDecoder` was a quarter of an
/// order create in CounterFire (README "Benchmarks").
package struct JSONParser: ~Copyable {
    /// How deep arrays and objects may nest.
    package static let maxDepth = 512

    /// What the parser does with values JavaScript holds but Swift would have to change.
    package enum Fidelity: Sendable {
        /// As `request.json()` on Workers: invalid UTF-8 and lone surrogates become U+FFFD,
        /// numbers too large for a double become infinity.
        case javaScript
        /// Refuses such input with a `SyntaxError` instead: for APIs that want to answer "not
        /// valid JSON" rather than store a changed value.
        case lossless
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let fidelity: Fidelity
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, fidelity: Fidelity) {
        self.bytes = bytes
        self.fidelity = fidelity
    }

    /// Parses one JSON text; `bytes` must be valid UTF-8 (see ``parse(bytes:fidelity:)``).
    static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>, fidelity: Fidelity) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes, fidelity: fidelity)
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error(.unexpectedNonWhitespace) }
        return value
    }

    /// Parses UTF-8 bytes as `request.json()` does: a leading byte order mark is skipped (as
    /// `TextDecoder` does), and invalid UTF-8 is replaced (``Fidelity/javaScript``) or refused.
    package static func parse(bytes: UnsafeBufferPointer<UInt8>, fidelity: Fidelity) throws(SyntaxError) -> JSONValue {
        var bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeBufferPointer(rebasing: bytes[3...])
        }
        if isValidUTF8(bytes) { return try parse(utf8: bytes, fidelity: fidelity) }
        guard fidelity == .javaScript else { throw SyntaxError("Invalid UTF-8 in JSON") }
        var repaired = String(decoding: bytes, as: UTF8.self)
        return try repaired.withUTF8 { utf8 in
            Result { () throws(SyntaxError) in try parse(utf8: utf8, fidelity: fidelity) }
        }.get()
    }

    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // ASCII, the usual body, without the decoder.
        if !bytes.contains(where: { $0 >= 0x80 }) { return true }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    // MARK: values

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(SyntaxError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw error(.unexpectedToken) }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw error(.tooDeep) }
            return try object(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw error(.tooDeep) }
            return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error(.unexpectedToken)
        }
    }

    private mutating func object(depth: Int) throws(SyntaxError) -> JSONValue {
        index += 1  // {
        var fields = OrderedDictionary<String, JSONValue>()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(fields)
        }
        var first = true
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error(first ? .expectedPropertyNameOrRightBrace : .expectedDoubleQuotedPropertyName)
            }
            first = false
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error(.expectedColonAfterPropertyName) }
            index += 1
            fields[key] = try value(depth: depth)
            skipWhitespace()
            guard index < bytes.count else { throw error(.expectedCommaOrRightBrace) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(fields)
            default: throw error(.expectedCommaOrRightBrace)
            }
        }
    }

    private mutating func array(depth: Int) throws(SyntaxError) -> JSONValue {
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error(.expectedCommaOrRightBracket) }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error(.expectedCommaOrRightBracket)
            }
        }
    }

    /// `true`, `false` or `null`; a wrong letter is an unexpected token, a cut-off word the end
    /// of input (V8's `ScanLiteral`).
    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let count = word.utf8CodeUnitCount
        index += 1
        for offset in 1..<count {
            guard index < bytes.count else { throw error(.unexpectedToken) }
            guard bytes[index] == word.utf8Start[offset] else { throw error(.unexpectedToken) }
            index += 1
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private func digit(at position: Int) -> Bool {
        position < bytes.count && Self.isDigit(bytes[position])
    }

    private mutating func number() throws(SyntaxError) -> Double {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
            guard digit(at: index) else { throw error(.noNumberAfterMinusSign) }
        }
        var integer: UInt64 = 0
        var digits = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if digit(at: index) { throw error(.unexpectedToken) }  // 01: "Unexpected number"
        } else {
            while digit(at: index) {
                integer = integer &* 10 &+ UInt64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard digit(at: index) else { throw error(.unterminatedFractionalNumber) }
            while digit(at: index) { index += 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digit(at: index) else { throw error(.exponentPartMissingNumber) }
            while digit(at: index) { index += 1 }
        }
        // Up to 15 digits an integer is exact in a double: the usual case, with no text.
        if isInteger, digits <= 15 {
            let value = Double(integer)
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw error(.unexpectedToken, at: start) }
        if !value.isFinite, fidelity == .lossless { throw error(.numberOutOfRange, at: start) }
        return value
    }

    private mutating func string() throws(SyntaxError) -> String {
        index += 1  // opening quote
        let start = index
        // The usual case: nothing escaped, copied whole.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw error(.badControlCharacter) }
            index += 1
        }
        guard index < bytes.count else { throw error(.unterminatedString) }
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard index < bytes.count else { throw error(.unterminatedString) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            guard byte >= 0x20 else { throw error(.badControlCharacter) }
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { throw error(.unterminatedString) }
            switch bytes[index] {
            case UInt8(ascii: "\""): utf8.append(0x22)
            case UInt8(ascii: "\\"): utf8.append(0x5C)
            case UInt8(ascii: "/"): utf8.append(0x2F)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                let escapeStart = index - 1
                let unit = try hex4()
                let scalar: Unicode.Scalar
                if (0xD800..<0xDC00).contains(unit), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u") {
                    let high = index
                    index += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
                    } else {
                        // The next escape is no partner: it is read on its own.
                        index = high
                        scalar = try loneSurrogate(at: escapeStart)
                    }
                } else if let plain = Unicode.Scalar(unit) {
                    scalar = plain
                } else {
                    scalar = try loneSurrogate(at: escapeStart)
                }
                utf8.append(contentsOf: scalar.utf8)
            default:
                throw error(.badEscapedCharacter)
            }
            index += 1
        }
    }

    private func loneSurrogate(at position: Int) throws(SyntaxError) -> Unicode.Scalar {
        guard fidelity == .javaScript else { throw error(.loneSurrogate, at: position) }
        return "\u{FFFD}"
    }

    /// The four hex digits after `\u` (`index` on the `u`; left on the last digit).
    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            index += 1
            guard index < bytes.count else { throw error(.badUnicodeEscape) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.badUnicodeEscape)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
