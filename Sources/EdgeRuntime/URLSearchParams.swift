import Foundation

/// `URLSearchParams`: name/value pairs in order, read from and written as
/// `application/x-www-form-urlencoded` as the WHATWG URL standard defines it
/// (https://url.spec.whatwg.org/#interface-urlsearchparams): `+` reads as a space, `%XX` as a
/// byte, and `toString()` writes a space as `+` and every byte but `A-Z a-z 0-9 * - . _` as `%XX`.
///
/// ```swift
/// var params = URLSearchParams("a=1&b=2")           // new URLSearchParams("a=1&b=2")
/// params.append("q", "hot dog")
/// params.toString()                                  // "a=1&b=2&q=hot+dog"
/// let built: URLSearchParams = ["page": "2", "sort": "name"]
/// ```
///
/// `request.searchParams` is a copy: changing it does not change `request.url`.
public struct URLSearchParams: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// The name/value pairs in order (`[...params]`).
    public private(set) var items: [(name: String, value: String)]

    /// `new URLSearchParams()`.
    public init() {
        items = []
    }

    /// `new URLSearchParams("a=1&b=2")`: parses a query (a leading `?` is skipped).
    public init(_ query: String) {
        var text = Substring(query)
        if text.first == "?" { text = text.dropFirst() }
        items = text.split(separator: "&").map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return (Self.decode(pair), "") }
            return (Self.decode(pair[..<equals]), Self.decode(pair[pair.index(after: equals)...]))
        }
    }

    /// `new URLSearchParams([["a", "1"], ["b", "2"]])`: the pairs in order.
    public init(_ pairs: [(String, String)]) {
        items = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// `new URLSearchParams({ a: "1", b: "2" })`, written as a dictionary literal: the pairs in
    /// the order written; a repeated name keeps its first place and its last value, as an object does.
    public init(dictionaryLiteral elements: (String, String)...) {
        items = []
        for (name, value) in elements {
            if let index = items.firstIndex(where: { $0.name == name }) { items[index].value = value } else { items.append((name, value)) }
        }
    }

    /// `params.size`.
    public var size: Int { items.count }

    /// `params.get(name)`: the first value, or `nil`.
    public func get(_ name: String) -> String? { items.first { $0.name == name }?.value }
    /// `params.getAll(name)`.
    public func getAll(_ name: String) -> [String] { items.filter { $0.name == name }.map(\.value) }
    /// `params.has(name)`, or `params.has(name, value)` for that pair.
    public func has(_ name: String, _ value: String? = nil) -> Bool {
        items.contains { $0.name == name && (value == nil || $0.value == value) }
    }

    /// `params.append(name, value)`.
    public mutating func append(_ name: String, _ value: String) { items.append((name, value)) }

    /// `params.set(name, value)`: the first pair named `name` takes `value`, the others go; a new
    /// pair is appended when there is none.
    public mutating func set(_ name: String, _ value: String) {
        guard let first = items.firstIndex(where: { $0.name == name }) else { return append(name, value) }
        items[first].value = value
        var index = items.index(after: first)
        while index < items.endIndex {
            if items[index].name == name { items.remove(at: index) } else { index += 1 }
        }
    }

    /// `params.delete(name)`, or `params.delete(name, value)` for that pair only.
    public mutating func delete(_ name: String, _ value: String? = nil) {
        items.removeAll { $0.name == name && (value == nil || $0.value == value) }
    }

    /// `params.sort()`: a stable sort by name, comparing UTF-16 code units as JavaScript does.
    public mutating func sort() {
        items = items.enumerated().sorted { lhs, rhs in
            let order = lhs.element.name.utf16.lexicographicallyPrecedes(rhs.element.name.utf16)
            if order || rhs.element.name.utf16.lexicographicallyPrecedes(lhs.element.name.utf16) { return order }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// `params.keys()`.
    public func keys() -> [String] { items.map(\.name) }
    /// `params.values()`.
    public func values() -> [String] { items.map(\.value) }

    /// `params.toString()`: `application/x-www-form-urlencoded`, without a leading `?`.
    public func toString() -> String {
        items.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    /// `String(params)`, the same as ``toString()``.
    public var description: String { toString() }

    /// `for (const [name, value] of params)`.
    public func makeIterator() -> some IteratorProtocol<(name: String, value: String)> { items.makeIterator() }

    public static func == (lhs: URLSearchParams, rhs: URLSearchParams) -> Bool {
        lhs.items.elementsEqual(rhs.items) { $0.name == $1.name && $0.value == $1.value }
    }

    /// The form-urlencoded parser's decoding: `+` is a space, `%XX` a byte (a `%` not followed by
    /// two hex digits stays), the bytes read as UTF-8 with U+FFFD for invalid sequences.
    private static func decode(_ text: Substring) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x2B || $0 == 0x25 }) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x25, let high = hexValue(utf8, utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex)),
                let low = hexValue(utf8, utf8.index(index, offsetBy: 2, limitedBy: utf8.endIndex))
            {
                bytes.append(high << 4 | low)
                index = utf8.index(index, offsetBy: 3)
                continue
            }
            bytes.append(byte == 0x2B ? 0x20 : byte)
            index = utf8.index(after: index)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ utf8: Substring.UTF8View, _ index: Substring.UTF8View.Index?) -> UInt8? {
        guard let index, index < utf8.endIndex else { return nil }
        switch utf8[index] {
        case 0x30...0x39: return utf8[index] - 0x30
        case 0x41...0x46: return utf8[index] - 0x41 + 10
        case 0x61...0x66: return utf8[index] - 0x61 + 10
        default: return nil
        }
    }

    /// The application/x-www-form-urlencoded serializer: a space as `+`, `A-Z a-z 0-9 * - . _`
    /// as they are, every other UTF-8 byte as `%XX`.
    private static func encode(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2A, 0x2D, 0x2E, 0x5F: output.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x20: output += "+"
            default: output += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return output
    }
}
