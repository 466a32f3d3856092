import Foundation

/// `JSON.stringify` of an `Encodable` value written straight into bytes, with no tree in
/// between: each value is written as `encode(to:)` encodes it, and an object's fields are put
/// in key order (``JSON/Options/sortedKeys``, a `Dictionary`) when it ends, by moving its bytes
/// only when they did not arrive in that order. The bytes are the ones ``JSONStringifier``'s
/// tree gives (`JSONStreamingEncoderTests` compares them), with no tree of objects and
/// ordered dictionaries built and sorted on the way.
///
/// Shapes a stream cannot write in order are left to the tree, which ``JSON/bytes(_:options:)``
/// then uses: a container nested inside another's `encode` (`nestedContainer`,
/// `superEncoder`), two containers for one value, a key encoded twice, and errors (an invalid
/// `Date`), so the error names its coding path. Synthesised `Codable` never does the first
/// three.
final class JSONStreamingEncoder: Encoder {
    /// A shape the stream cannot write in order (see the type's comment).
    struct Unsupported: Error {}

    let options: JSON.Options
    @exclusivity(unchecked) private(set) var writer: JSONWriter
    /// Streamed values carry no coding path (an error goes to the tree, which has it).
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// One value being encoded: the container its `encode(to:)` asked for, where its bytes start.
    struct Frame {
        enum Kind { case none, object, array, single }
        var kind = Kind.none
        let serial: Int
        let start: Int
        /// Where this object's fields start in ``fields``.
        let fieldBase: Int
        let sortsKeys: Bool
        var elements = 0
    }

    /// An object's field as written: `"key":value` at `start..<end` of the bytes.
    struct Field {
        let key: String
        let start: Int
        let end: Int
    }

    // Accessed only by this encoder, one call at a time: no run-time exclusivity checks.
    @exclusivity(unchecked) private var frames: [Frame] = []
    @exclusivity(unchecked) private var fields: [Field] = []
    @exclusivity(unchecked) private var serials = 0
    /// Set by the entry points that cannot throw (`nestedContainer`, a second container...).
    @exclusivity(unchecked) private var unsupported = false

    init(options: JSON.Options, capacity: Int = 1024) {
        self.options = options
        self.writer = JSONWriter(capacity: capacity)
    }

    /// `value` as `JSON.stringify` writes it, or `nil` when its shape is one the stream leaves
    /// to the tree (its errors included).
    static func bytes<T: Encodable>(_ value: T, options: JSON.Options) -> [UInt8]? {
        let encoder = JSONStreamingEncoder(options: options)
        guard (try? encoder.write(value)) != nil, !encoder.unsupported else { return nil }
        return encoder.writer.bytes
    }

    /// Writes one value: Foundation's types as JavaScript writes theirs, as ``JSONStringifier``
    /// does, anything else through its `encode(to:)`.
    ///
    /// The type is looked at, not the value: a comparison of metatypes for Foundation's types,
    /// and the conformances asked once per type (a snapshot of a thousand tickets asks them of
    /// the same few types thousands of times).
    func write<T: Encodable>(_ value: T) throws {
        if T.self == String.self, let string = value as? String { return writer.string(string) }
        switch kind(of: T.self) {
        case .plain: try nested(sortsKeys: options.sortedKeys) { try value.encode(to: self) }
        case .unordered: try nested(sortsKeys: true) { try value.encode(to: self) }
        case .special: try writeSpecial(value)
        }
    }

    /// How a type is written: through its `encode(to:)`, with its keys sorted (a `Dictionary`),
    /// or as one of the types JavaScript writes its own way.
    enum Kind { case plain, unordered, special }

    @exclusivity(unchecked) private var kinds: [ObjectIdentifier: Kind] = [:]

    private func kind<T>(of type: T.Type) -> Kind {
        if let kind = kinds[ObjectIdentifier(type)] { return kind }
        let kind: Kind =
            if type == JSONValue.self || type == Date.self || type == Data.self || type == URL.self || type is any JSONObjectEncodable.Type {
                .special
            } else if type is any UnorderedKeys.Type {
                .unordered
            } else {
                .plain
            }
        kinds[ObjectIdentifier(type)] = kind
        return kind
    }

    /// Foundation's types as JavaScript writes theirs, as ``JSONStringifier`` does.
    private func writeSpecial<T: Encodable>(_ value: T) throws {
        switch value {
        case let json as JSONValue: writer.value(json)
        case let date as Date:
            guard let text = date.isoString else { throw Unsupported() }
            writer.string(text)
        case let data as Data: writer.string(data.base64EncodedString())
        case let url as URL: writer.string(url.absoluteString)
        case let object as any JSONObjectEncodable:
            try nested(sortsKeys: options.sortedKeys) { try object.encodeJSONObject(to: self) }
        default:
            try nested(sortsKeys: options.sortedKeys) { try value.encode(to: self) }
        }
    }

    private func nested(sortsKeys: Bool, _ body: () throws -> Void) throws {
        serials += 1
        frames.append(Frame(serial: serials, start: writer.bytes.count, fieldBase: fields.count, sortsKeys: sortsKeys))
        try body()
        let frame = frames.removeLast()
        switch frame.kind {
        case .none: writer.bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])  // encoded nothing: `{}`
        case .single: if frame.elements == 0 { writer.bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")]) }
        case .array: writer.byte(UInt8(ascii: "]"))
        case .object: try endObject(frame)
        }
    }

    /// Closes an object, its fields moved into key order first if they did not come in it.
    private func endObject(_ frame: Frame) throws {
        defer { fields.removeSubrange(frame.fieldBase...) }
        let own = fields[frame.fieldBase...]
        var inOrder = true
        if frame.sortsKeys {
            // Strictly increasing keys are in order and have no duplicate: the usual case.
            for (earlier, later) in zip(own, own.dropFirst()) where !earlier.key.utf8.lexicographicallyPrecedes(later.key.utf8) {
                inOrder = false
                break
            }
        } else if own.count <= 16 {
            for index in own.indices {
                for other in own[(index + 1)...] where other.key == own[index].key { throw Unsupported() }
            }
        } else if Set(own.map(\.key)).count != own.count {
            throw Unsupported()
        }
        if !inOrder {
            let sorted = own.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (earlier, later) in zip(sorted, sorted.dropFirst()) where earlier.key == later.key { throw Unsupported() }
            let body = Array(writer.bytes[(frame.start + 1)...])
            writer.bytes.removeSubrange((frame.start + 1)...)
            for (index, field) in sorted.enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                writer.bytes.append(contentsOf: body[(field.start - frame.start - 1)..<(field.end - frame.start - 1)])
            }
        }
        writer.byte(UInt8(ascii: "}"))
    }

    // MARK: containers

    /// The innermost value's frame, made `kind` by its first container; `nil` (and the stream
    /// given up) for a container of another kind than the one it has.
    private func open(_ kind: Frame.Kind) -> Int? {
        guard let index = frames.indices.last else {
            unsupported = true
            return nil
        }
        switch (frames[index].kind, kind) {
        case (.none, .object): writer.byte(UInt8(ascii: "{"))
        case (.none, .array): writer.byte(UInt8(ascii: "["))
        case (.none, _): break
        case (let existing, _) where existing == kind: return frames[index].serial  // asked again: the same one
        default:
            unsupported = true
            return nil
        }
        frames[index].kind = kind
        return frames[index].serial
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(StreamingObject<Key>(encoder: self, serial: open(.object)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        StreamingArray(encoder: self, serial: open(.array))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingle(encoder: self, serial: open(.single))
    }

    /// Gives up the stream from an entry point that cannot throw.
    func giveUp() {
        unsupported = true
    }

    /// The innermost frame, if it is the container's (a container used after its value ended,
    /// or while a value inside it is being encoded, cannot be streamed).
    private func frameIndex(_ serial: Int?) throws -> Int {
        guard let serial, let index = frames.indices.last, frames[index].serial == serial else { throw Unsupported() }
        return index
    }

    /// Writes `"key":` and the value `body` writes, as one field of the container's object.
    func field(_ serial: Int?, _ key: String, _ body: () throws -> Void) throws {
        let index = try frameIndex(serial)
        if frames[index].elements > 0 { writer.byte(UInt8(ascii: ",")) }
        frames[index].elements += 1
        let start = writer.bytes.count
        writer.string(key)
        writer.byte(UInt8(ascii: ":"))
        try body()
        fields.append(Field(key: key, start: start, end: writer.bytes.count))
    }

    /// Writes one element of the container's array.
    func element(_ serial: Int?, _ body: () throws -> Void) throws {
        let index = try frameIndex(serial)
        if frames[index].elements > 0 { writer.byte(UInt8(ascii: ",")) }
        frames[index].elements += 1
        try body()
    }

    /// Writes the single value of the container's frame (a second one goes to the tree, where
    /// the last one counts).
    func single(_ serial: Int?, _ body: () throws -> Void) throws {
        let index = try frameIndex(serial)
        guard frames[index].elements == 0 else { throw Unsupported() }
        frames[index].elements = 1
        try body()
    }

    /// What an absent optional field becomes.
    func absent(_ serial: Int?, _ key: String) throws {
        if options.nilFields == .null { try field(serial, key) { writer.null() } }
    }

    func writeNull() { writer.null() }
    func writeBool(_ value: Bool) { writer.bool(value) }
    func writeInteger(_ value: some BinaryInteger) { writer.integer(value) }
    func writeNumber(_ value: Double) { writer.number(value) }
    func writeString(_ value: String) { writer.string(value) }
}
