import NIOCore

/// JavaScript's `JSON`: `JSON.stringify` and `JSON.parse`.
///
/// ```swift
/// let text = try JSON.stringify(order)              // JSON.stringify(order)
/// let body = try JSON.parse(text)                   // JSON.parse(text), as a JSONValue
/// let order = try JSON.parse(text, as: Order.self)  // ... decoded into a Decodable type
/// ```
///
/// `stringify` writes an `Encodable` value as JavaScript writes the object it would be: keys in
/// the order `encode(to:)` encodes them (for synthesised `Codable`, the order the properties
/// are declared, as in an object literal), `null` for a `nil` optional, numbers as
/// `Number.prototype.toString` (`1` not `1.0`, `1e+21`), `NaN` and the infinities as `null`,
/// a `Date` as `date.toISOString()`. A `Dictionary`, which has no order, is written with its
/// keys sorted (by their UTF-8 bytes) so the text is the same from run to run; an
/// `OrderedDictionary` (the twin of a `Map` or an object built key by key) is written as an
/// object in its order.
///
/// `parse` refuses what V8 refuses, with V8's `SyntaxError` messages.
public enum JSON {
    /// How `stringify` writes what JavaScript has no single answer for.
    public struct Options: Sendable {
        /// What a `nil` optional property becomes.
        public enum NilFields: Sendable {
            /// `"field":null`, as `JSON.stringify` writes a `null` field. The default.
            case null
            /// Left out, as `JSON.stringify` leaves out a field whose value is `undefined`.
            case omitted
        }

        /// What a `nil` optional property becomes (`.null` by default).
        public var nilFields: NilFields
        /// Writes every object's keys sorted by their UTF-8 bytes, as Foundation's `JSONEncoder`
        /// with `.sortedKeys` does, instead of in their order (`false` by default).
        public var sortedKeys: Bool

        /// Options; the defaults write what `JSON.stringify` writes.
        public init(nilFields: NilFields = .null, sortedKeys: Bool = false) {
            self.nilFields = nilFields
            self.sortedKeys = sortedKeys
        }
    }

    /// `JSON.stringify(value)` for an `Encodable` value.
    /// - Throws: `EncodingError` for a value JSON cannot hold (an invalid `Date`).
    public static func stringify<T: Encodable>(_ value: T, options: Options = Options()) throws -> String {
        String(decoding: try bytes(value, options: options), as: UTF8.self)
    }

    /// `JSON.stringify(value)`.
    public static func stringify(_ value: JSONValue) -> String {
        var writer = JSONWriter(capacity: 256)
        writer.value(value)
        return writer.text
    }

    /// `JSON.stringify(value)` as UTF-8 bytes.
    public static func bytes<T: Encodable>(_ value: T, options: Options = Options()) throws -> [UInt8] {
        // Written as it is encoded; the tree below is for the shapes a stream cannot write in order.
        if let streamed = JSONStreamingEncoder.bytes(value, options: options) { return streamed }
        let encoded = try JSONStringifier.encode(value, options: options)
        var writer = JSONWriter()
        writer.write(encoded, sortedKeys: options.sortedKeys)
        return writer.bytes
    }

    /// `JSON.parse(text)`.
    /// - Throws: ``SyntaxError`` with V8's message when `text` is not JSON.
    public static func parse(_ text: String) throws(SyntaxError) -> JSONValue {
        var text = text
        return try text.withUTF8 { utf8 in
            Result { () throws(SyntaxError) in try JSONParser.parse(utf8: utf8, fidelity: .javaScript) }
        }.get()
    }

    /// `JSON.parse(new TextDecoder().decode(bytes))`, which is what `await request.json()`
    /// does: a leading byte order mark is skipped and invalid UTF-8 is replaced by U+FFFD.
    /// - Throws: ``SyntaxError`` with V8's message when the text is not JSON.
    public static func parse(bytes: some Collection<UInt8>) throws(SyntaxError) -> JSONValue {
        try parse(bytes: bytes, fidelity: .javaScript)
    }

    /// ``parse(bytes:)`` with the parser's ``JSONParser/Fidelity``.
    package static func parse(bytes: some Collection<UInt8>, fidelity: JSONParser.Fidelity) throws(SyntaxError) -> JSONValue {
        let parsed = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(SyntaxError) in try JSONParser.parse(bytes: buffer, fidelity: fidelity) }
        }
        if let parsed { return try parsed.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(SyntaxError) in
            try JSONParser.parse(bytes: buffer, fidelity: fidelity)
        }
    }

    /// `JSON.parse(text)` decoded into `T`.
    /// - Throws: ``SyntaxError`` when `text` is not JSON, `DecodingError` when it does not fit `T`.
    public static func parse<T: Decodable>(_ text: String, as type: T.Type) throws -> T {
        try decode(type, from: parse(text))
    }

    /// ``parse(bytes:)`` decoded into `T`.
    /// - Throws: ``SyntaxError`` when the text is not JSON, `DecodingError` when it does not fit `T`.
    public static func parse<T: Decodable>(bytes: some Collection<UInt8>, as type: T.Type) throws -> T {
        try decode(type, from: parse(bytes: bytes))
    }

    /// A parsed value decoded into `T`, as ``parse(_:as:)`` decodes it.
    /// - Throws: `DecodingError` when `value` does not fit `T`.
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONValueDecoder.unbox(value, as: type, codingPath: [])
    }
}

extension ByteBuffer {
    /// The readable bytes parsed as ``JSON/parse(bytes:)`` parses them, in place.
    package func parseJSON() throws(SyntaxError) -> JSONValue {
        let parsed = withUnsafeReadableBytes { raw in
            Result { () throws(SyntaxError) in try JSONParser.parse(bytes: raw.bindMemory(to: UInt8.self), fidelity: .javaScript) }
        }
        return try parsed.get()
    }
}
