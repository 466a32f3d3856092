import Foundation
import OrderedCollections

/// The `Decoder` behind `JSON.parse(_:as:)` and `request.json(as:)`: reads a parsed
/// ``JSONValue`` into a `Decodable` type.
///
/// Numbers are doubles, as in JavaScript: an integer property takes a number that is an
/// integer exactly and fits (`2` or `2.0`, not `2.5` nor `1e20` for an `Int32`). A `Date` reads
/// the `toISOString()` form, `Data` base64, `URL` an absolute URL string, an `OrderedDictionary`
/// with `String` keys an object in its order. A missing key or `null` reads as `nil` for an
/// optional property.
final class JSONValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSONValue, codingPath: [any CodingKey]) {
        self.value = value
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw Self.mismatch([String: JSONValue].self, value, codingPath) }
        return KeyedDecodingContainer(ObjectReader<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else { throw Self.mismatch([JSONValue].self, value, codingPath) }
        return ArrayReader(array: array, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey]) -> DecodingError {
        let found = value == .null ? "null" : value.isArray ? "an array" : "a \(value.typeof == "object" ? "object" : value.typeof)"
        let context = DecodingError.Context(codingPath: codingPath, debugDescription: "Expected \(type) but found \(found).")
        return value == .null ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }

    /// `value` read as a `T`.
    static func unbox<T: Decodable>(_ value: JSONValue, as type: T.Type, codingPath: [any CodingKey]) throws -> T {
        func cast(_ result: Any?) throws -> T {
            guard let result = result as? T else { throw mismatch(type, value, codingPath) }
            return result
        }
        if type == JSONValue.self { return try cast(value) }
        if type == String.self { return try cast(value.string) }
        if type == Bool.self { return try cast(value.bool) }
        if type == Double.self { return try cast(value.number) }
        if type == Float.self { return try cast(value.number.map { Float($0) }) }
        if let integer = type as? any FixedWidthInteger.Type {
            return try cast(value.number.flatMap { exactly(integer, $0) })
        }
        if type == Date.self { return try cast(value.string.flatMap(Date.init(isoString:))) }
        if type == Data.self { return try cast(value.string.flatMap { Data(base64Encoded: $0) }) }
        if type == URL.self { return try cast(value.string.flatMap { URL(string: $0) }) }
        if let objectType = type as? any JSONObjectDecodable.Type {
            guard case .object(let object) = value else { throw mismatch(type, value, codingPath) }
            return try cast(objectType.init(jsonObject: object, codingPath: codingPath))
        }
        return try T(from: JSONValueDecoder(value, codingPath: codingPath))
    }

    private static func exactly<I: FixedWidthInteger>(_ type: I.Type, _ number: Double) -> I? {
        I(exactly: number)
    }
}

extension JSONValueDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: Bool.Type) throws -> Bool { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: String.Type) throws -> String { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Self.unbox(value, as: type, codingPath: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Self.unbox(value, as: type, codingPath: codingPath) }
}

/// Types whose `Codable` form is not the object JSON shows (an `OrderedDictionary` with
/// `String` keys): ``JSONValueDecoder`` builds them from the object.
protocol JSONObjectDecodable {
    init(jsonObject: OrderedDictionary<String, JSONValue>, codingPath: [any CodingKey]) throws
}

/// A keyed container: an object's fields.
struct ObjectReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: OrderedDictionary<String, JSONValue>
    let codingPath: [any CodingKey]

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    private func field(_ key: Key) throws -> JSONValue {
        guard let value = object[key.stringValue] else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: codingPath, debugDescription: "No value for key \"\(key.stringValue)\"."))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try field(key) == .null }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONValueDecoder.unbox(field(key), as: type, codingPath: codingPath + [key])
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try JSONValueDecoder.unbox(field(key), as: type, codingPath: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONValueDecoder(field(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoder(field(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoder(object["super"] ?? .null, codingPath: codingPath + [JSONKey("super")])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoder(object[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

/// An unkeyed container: an array's elements, read in order.
struct ArrayReader: UnkeyedDecodingContainer {
    let array: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(array: [JSONValue], codingPath: [any CodingKey]) {
        self.array = array
        self.codingPath = codingPath
    }

    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    private mutating func next<T>(_ type: T.Type) throws -> (JSONValue, [any CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, DecodingError.Context(codingPath: codingPath + [JSONKey(intValue: currentIndex)], debugDescription: "Unkeyed container is at end."))
        }
        defer { currentIndex += 1 }
        return (array[currentIndex], codingPath + [JSONKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, array[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeNext(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeNext(type) }
    mutating func decode(_ type: String.Type) throws -> String { try decodeNext(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeNext(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decodeNext(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeNext(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeNext(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeNext(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeNext(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeNext(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeNext(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeNext(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeNext(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeNext(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeNext(type) }

    private mutating func decodeNext<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(type)
        return try JSONValueDecoder.unbox(value, as: type, codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next([String: JSONValue].self)
        return try JSONValueDecoder(value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([JSONValue].self)
        return try JSONValueDecoder(value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(JSONValue.self)
        return JSONValueDecoder(value, codingPath: path)
    }
}
