/// A strict JSON reader (RFC 8259) that reads as `JSON.parse` (and `request.json()`) on
/// Workers do: a number whose value is an integer (`2`, `2.0`, `2e0`) is `.integer`, others are
/// `.number`, and one too large for a double is refused; of duplicate keys the last one counts;
/// a leading byte order mark is skipped; the text must be valid UTF-8, with no lone surrogate
/// escape. Nesting is limited to 512 levels (Foundation's limit, well past any real body).
///
/// It reads request bodies and the JSON columns CounterFire writes (`items`, `status_times`):
/// Foundation's `JSONDecoder`, which it replaced, was the largest cost of a create (the body) and
/// of a hub cold start (two columns per open ticket).
struct JSONReader {
    struct Invalid: Error {}

    static let maxDepth = 512

    private let bytes: [UInt8]
    private var index = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads one JSON document from UTF-8 text.
    static func parse(_ text: String) throws(Invalid) -> JSONValue {
        try parse(bytes: Array(text.utf8), validated: true)
    }

    /// Reads one JSON document from bytes, which must be UTF-8.
    static func parse(bytes: [UInt8]) throws(Invalid) -> JSONValue {
        try parse(bytes: bytes, validated: false)
    }

    private static func parse(bytes: [UInt8], validated: Bool) throws(Invalid) -> JSONValue {
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // Valid as a whole, so every slice between two ASCII quotes is valid too.
        guard validated || String(validating: bytes, as: UTF8.self) != nil else { throw Invalid() }
        var reader = JSONReader(bytes)
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else { throw Invalid() }
        return value
    }

    // MARK: reading

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func value(depth: Int) throws(Invalid) -> JSONValue {
        guard depth < Self.maxDepth else { throw Invalid() }
        skipWhitespace()
        guard index < bytes.count else { throw Invalid() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func object(depth: Int) throws(Invalid) -> JSONValue {
        index += 1  // {
        var fields: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(fields)
        }
        var separator: UInt8
        repeat {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Invalid() }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Invalid() }
            index += 1
            fields[key] = try value(depth: depth + 1)
            separator = try nextSeparator()
        } while separator == UInt8(ascii: ",")
        guard separator == UInt8(ascii: "}") else { throw Invalid() }
        return .object(fields)
    }

    /// The byte after a member or element (`,` or the closing bracket), skipped over.
    private mutating func nextSeparator() throws(Invalid) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw Invalid() }
        index += 1
        return bytes[index - 1]
    }

    private mutating func array(depth: Int) throws(Invalid) -> JSONValue {
        index += 1  // [
        var values: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(values)
        }
        var separator: UInt8
        repeat {
            values.append(try value(depth: depth + 1))
            separator = try nextSeparator()
        } while separator == UInt8(ascii: ",")
        guard separator == UInt8(ascii: "]") else { throw Invalid() }
        return .array(values)
    }

    private mutating func literal(_ word: StaticString) throws(Invalid) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Invalid() }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw Invalid() }
        index += count
    }

    private mutating func number() throws(Invalid) -> JSONValue {
        let start = index
        var isInteger = true  // no fraction, no exponent
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, Self.isDigit(bytes[index]) else { throw Invalid() }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw Invalid() }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw Invalid() }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite else { throw Invalid() }
        // An integral value is an integer, as Number.isInteger sees it (2.0, 2e0, -0).
        if double == double.rounded(), let integer = Int64(exactly: double) { return .integer(integer) }
        return .number(double)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func string() throws(Invalid) -> String {
        index += 1  // opening quote
        let start = index
        // The usual case: no escape, copied whole.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { throw Invalid() }
            index += 1
        }
        guard index < bytes.count else { throw Invalid() }
        var utf8 = Array(bytes[start..<index])
        while bytes[index] != UInt8(ascii: "\"") {
            // A backslash.
            index += 1
            guard index < bytes.count else { throw Invalid() }
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
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u") else { throw Invalid() }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw Invalid() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw Invalid() }
                utf8.append(contentsOf: String(Character(unicode)).utf8)
            default:
                throw Invalid()
            }
            index += 1
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                guard bytes[index] >= 0x20 else { throw Invalid() }
                utf8.append(bytes[index])
                index += 1
            }
            guard index < bytes.count else { throw Invalid() }
        }
        index += 1  // closing quote
        return String(decoding: utf8, as: UTF8.self)
    }

    /// The four hex digits after `\u` (`index` on the `u`; left on the last digit).
    private mutating func hex4() throws(Invalid) -> UInt32 {
        guard index + 4 < bytes.count else { throw Invalid() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            index += 1
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Invalid()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
