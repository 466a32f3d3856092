extension JSONStringifier: SingleValueEncodingContainer {
    func encodeNil() throws { result = .null }
    func encode(_ value: Bool) throws { result = .bool(value) }
    func encode(_ value: String) throws { result = .string(value) }
    func encode(_ value: Double) throws { result = .number(value) }
    func encode(_ value: Float) throws { result = .number(Double(value)) }
    func encode(_ value: Int) throws { result = .integer(Int64(value)) }
    func encode(_ value: Int8) throws { result = .integer(Int64(value)) }
    func encode(_ value: Int16) throws { result = .integer(Int64(value)) }
    func encode(_ value: Int32) throws { result = .integer(Int64(value)) }
    func encode(_ value: Int64) throws { result = .integer(value) }
    func encode(_ value: UInt) throws { result = .unsigned(UInt64(value)) }
    func encode(_ value: UInt8) throws { result = .unsigned(UInt64(value)) }
    func encode(_ value: UInt16) throws { result = .unsigned(UInt64(value)) }
    func encode(_ value: UInt32) throws { result = .unsigned(UInt64(value)) }
    func encode(_ value: UInt64) throws { result = .unsigned(value) }
    func encode<T: Encodable>(_ value: T) throws { result = try encoded(value, at: codingPath) }
}

/// A keyed container: the fields of one object, in the order they are encoded.
struct ObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: EncodedJSON.Object
    let encoder: JSONStringifier
    let codingPath: [any CodingKey]

    private func set(_ value: EncodedJSON, _ key: Key) { object.fields[key.stringValue] = value }
    /// A `nil` from `encodeIfPresent`: `null`, or nothing when the options omit it.
    private func absent(_ key: Key) {
        if encoder.options.nilFields == .null { object.fields[key.stringValue] = .null }
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(.number(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(.number(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.unsigned(UInt64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.unsigned(value), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(try encoder.encoded(value, at: encoder.child(key)), key)
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } else { absent(key) } }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { absent(key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedJSON.Object()
        set(.object(nested), key)
        return KeyedEncodingContainer(ObjectContainer<NestedKey>(object: nested, encoder: encoder, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = EncodedJSON.Array()
        set(.array(nested), key)
        return ArrayContainer(array: nested, encoder: encoder, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: JSONKey("super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let child = JSONStringifier(options: encoder.options, codingPath: codingPath + [key])
        object.fields[key.stringValue] = .deferred(child)
        return child
    }
}

/// An unkeyed container: the elements of one array. A `nil` element is `null`, as
/// `JSON.stringify` writes `undefined` in an array.
struct ArrayContainer: UnkeyedEncodingContainer {
    let array: EncodedJSON.Array
    let encoder: JSONStringifier
    let codingPath: [any CodingKey]
    var count: Int { array.elements.count }

    private func append(_ value: EncodedJSON) { array.elements.append(value) }
    private var nextKey: JSONKey { JSONKey(intValue: count) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(.number(value)) }
    mutating func encode(_ value: Float) throws { append(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt) throws { append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt8) throws { append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.unsigned(UInt64(value))) }
    mutating func encode(_ value: UInt64) throws { append(.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try encoder.encoded(value, at: codingPath + [nextKey]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedJSON.Object()
        let path = codingPath + [nextKey]
        append(.object(nested))
        return KeyedEncodingContainer(ObjectContainer<NestedKey>(object: nested, encoder: encoder, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = EncodedJSON.Array()
        let path = codingPath + [nextKey]
        append(.array(nested))
        return ArrayContainer(array: nested, encoder: encoder, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONStringifier(options: encoder.options, codingPath: codingPath + [nextKey])
        append(.deferred(child))
        return child
    }
}
