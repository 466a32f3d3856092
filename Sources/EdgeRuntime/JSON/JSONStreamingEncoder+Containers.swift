/// The containers of ``JSONStreamingEncoder``: each writes into the frame of the value that
/// asked for it (`serial`), and only while that value is the innermost being encoded.

/// A keyed container: the fields of one object, written as they are encoded.
struct StreamingObject<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONStreamingEncoder
    let serial: Int?
    var codingPath: [any CodingKey] { [] }

    private func set(_ key: Key, _ write: (JSONStreamingEncoder) throws -> Void) throws {
        let encoder = encoder
        try encoder.field(serial, key.stringValue) { try write(encoder) }
    }
    private func absent(_ key: Key) throws { try encoder.absent(serial, key.stringValue) }

    mutating func encodeNil(forKey key: Key) throws { try set(key) { $0.writeNull() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try set(key) { $0.writeBool(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { try set(key) { $0.writeString(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { try set(key) { $0.writeNumber(value) } }
    mutating func encode(_ value: Float, forKey key: Key) throws { try set(key) { $0.writeNumber(Double(value)) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { try set(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try set(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try set(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try set(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try set(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try set(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try set(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try set(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try set(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try set(key) { $0.writeInteger(value) } }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try set(key) { try $0.write(value) } }

    // A `nil` from `encodeIfPresent` (synthesised `Codable`'s optionals): `null`, or nothing.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { try absent(key) } }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try absent(key) }
    }

    // Containers nested by hand are left to the tree.
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.giveUp()
        return KeyedEncodingContainer(StreamingObject<NestedKey>(encoder: encoder, serial: nil))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.giveUp()
        return StreamingArray(encoder: encoder, serial: nil)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.giveUp()
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.giveUp()
        return encoder
    }
}

/// An unkeyed container: the elements of one array. A `nil` element is `null`.
struct StreamingArray: UnkeyedEncodingContainer {
    let encoder: JSONStreamingEncoder
    let serial: Int?
    var codingPath: [any CodingKey] { [] }
    private(set) var count = 0

    private mutating func append(_ write: (JSONStreamingEncoder) throws -> Void) throws {
        let encoder = encoder
        try encoder.element(serial) { try write(encoder) }
        count += 1
    }

    mutating func encodeNil() throws { try append { $0.writeNull() } }
    mutating func encode(_ value: Bool) throws { try append { $0.writeBool(value) } }
    mutating func encode(_ value: String) throws { try append { $0.writeString(value) } }
    mutating func encode(_ value: Double) throws { try append { $0.writeNumber(value) } }
    mutating func encode(_ value: Float) throws { try append { $0.writeNumber(Double(value)) } }
    mutating func encode(_ value: Int) throws { try append { $0.writeInteger(value) } }
    mutating func encode(_ value: Int8) throws { try append { $0.writeInteger(value) } }
    mutating func encode(_ value: Int16) throws { try append { $0.writeInteger(value) } }
    mutating func encode(_ value: Int32) throws { try append { $0.writeInteger(value) } }
    mutating func encode(_ value: Int64) throws { try append { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt) throws { try append { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt8) throws { try append { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt16) throws { try append { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt32) throws { try append { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt64) throws { try append { $0.writeInteger(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try append { try $0.write(value) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.giveUp()
        return KeyedEncodingContainer(StreamingObject<NestedKey>(encoder: encoder, serial: nil))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.giveUp()
        return StreamingArray(encoder: encoder, serial: nil)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.giveUp()
        return encoder
    }
}

/// A single value container: the one value of a value that encodes as something else (a
/// `RawRepresentable` enum as its raw value, an `Optional`).
struct StreamingSingle: SingleValueEncodingContainer {
    let encoder: JSONStreamingEncoder
    let serial: Int?
    var codingPath: [any CodingKey] { [] }

    private func set(_ write: (JSONStreamingEncoder) throws -> Void) throws {
        let encoder = encoder
        try encoder.single(serial) { try write(encoder) }
    }

    mutating func encodeNil() throws { try set { $0.writeNull() } }
    mutating func encode(_ value: Bool) throws { try set { $0.writeBool(value) } }
    mutating func encode(_ value: String) throws { try set { $0.writeString(value) } }
    mutating func encode(_ value: Double) throws { try set { $0.writeNumber(value) } }
    mutating func encode(_ value: Float) throws { try set { $0.writeNumber(Double(value)) } }
    mutating func encode(_ value: Int) throws { try set { $0.writeInteger(value) } }
    mutating func encode(_ value: Int8) throws { try set { $0.writeInteger(value) } }
    mutating func encode(_ value: Int16) throws { try set { $0.writeInteger(value) } }
    mutating func encode(_ value: Int32) throws { try set { $0.writeInteger(value) } }
    mutating func encode(_ value: Int64) throws { try set { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt) throws { try set { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt8) throws { try set { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt16) throws { try set { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt32) throws { try set { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt64) throws { try set { $0.writeInteger(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try set { try $0.write(value) } }
}
