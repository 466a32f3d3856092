import Foundation
import OrderedCollections

/// The `Encoder` behind `JSON.stringify`: builds a tree of the encoded values in the order
/// `encode(to:)` encodes them, which ``JSONWriter/write(_:sortedKeys:)`` then writes.
///
/// A keyed container's `encodeIfPresent(nil)` (what synthesised `Codable` calls for an optional
/// property) writes `null`, or nothing with ``JSON/Options/NilFields/omitted``; encoding a key
/// twice keeps its first place, as assigning a property twice does in JavaScript.
final class JSONStringifier: Encoder {
    let options: JSON.Options
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What was encoded, once a container or a single value was asked for.
    var result: EncodedJSON?

    init(options: JSON.Options, codingPath: [any CodingKey]) {
        self.options = options
        self.codingPath = codingPath
    }

    static func encode<T: Encodable>(_ value: T, options: JSON.Options) throws -> EncodedJSON {
        try JSONStringifier(options: options, codingPath: []).encoded(value, at: [])
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(ObjectContainer<Key>(object: object(), encoder: self, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        ArrayContainer(array: array(), encoder: self, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    private func object() -> EncodedJSON.Object {
        if case .object(let object)? = result { return object }
        let object = EncodedJSON.Object()
        result = .object(object)
        return object
    }

    private func array() -> EncodedJSON.Array {
        if case .array(let array)? = result { return array }
        let array = EncodedJSON.Array()
        result = .array(array)
        return array
    }

    /// `value` encoded at `codingPath`, Foundation's types as JavaScript would write theirs.
    func encoded<T: Encodable>(_ value: T, at codingPath: [any CodingKey]) throws -> EncodedJSON {
        switch value {
        case let string as String: return .string(string)
        case let json as JSONValue: return .json(json)
        case let date as Date:
            guard let text = date.isoString else {
                // The time, not the Date: describing an invalid Date traps in Foundation.
                let time = date.timeIntervalSince1970
                throw EncodingError.invalidValue(time, EncodingError.Context(codingPath: codingPath, debugDescription: "RangeError: Invalid time value"))
            }
            return .string(text)
        case let data as Data: return .string(data.base64EncodedString())
        case let url as URL: return .string(url.absoluteString)
        case let object as any JSONObjectEncodable:
            let child = JSONStringifier(options: options, codingPath: codingPath)
            try object.encodeJSONObject(to: child)
            return child.result ?? .object(EncodedJSON.Object())
        default:
            let child = JSONStringifier(options: options, codingPath: codingPath)
            try value.encode(to: child)
            guard let result = child.result else { return .object(EncodedJSON.Object()) }
            if value is any UnorderedKeys, case .object(let object) = result { object.sortsKeys = true }
            return result
        }
    }

    func child(_ key: any CodingKey) -> [any CodingKey] { codingPath + [key] }
}

/// A value as the encoder built it: a tree whose objects and arrays are filled in place.
indirect enum EncodedJSON {
    final class Object {
        var fields = OrderedDictionary<String, EncodedJSON>()
        /// A `Dictionary`'s keys, which have no order of their own.
        var sortsKeys = false
    }

    final class Array {
        var elements: [EncodedJSON] = []
    }

    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case number(Double)
    case string(String)
    case json(JSONValue)
    case object(Object)
    case array(Array)
    /// What a `superEncoder()` will have encoded by the time the tree is written.
    case deferred(JSONStringifier)
}

/// Types whose `Codable` form is not the object JSON should show: ``JSONStringifier`` asks them
/// to encode themselves as an object instead (an `OrderedDictionary` with `String` keys, which
/// `Codable` writes as `[key, value, key, value]`).
protocol JSONObjectEncodable {
    func encodeJSONObject(to encoder: any Encoder) throws
}

/// Types that encode keyed containers in no particular order (`Dictionary`): their keys are
/// written sorted, so the text does not change from run to run.
protocol UnorderedKeys {}

extension Dictionary: UnorderedKeys {}

extension JSONWriter {
    /// Writes what ``JSONStringifier`` built.
    mutating func write(_ encoded: EncodedJSON, sortedKeys: Bool) {
        switch encoded {
        case .null: null()
        case .bool(let bool): self.bool(bool)
        case .integer(let integer): self.integer(integer)
        case .unsigned(let unsigned): self.integer(unsigned)
        case .number(let number): self.number(number)
        case .string(let string): self.string(string)
        case .json(let json): value(json)
        case .deferred(let encoder): write(encoder.result ?? .object(EncodedJSON.Object()), sortedKeys: sortedKeys)
        case .array(let array):
            byte(UInt8(ascii: "["))
            for (index, element) in array.elements.enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                write(element, sortedKeys: sortedKeys)
            }
            byte(UInt8(ascii: "]"))
        case .object(let object):
            byte(UInt8(ascii: "{"))
            var fields = object.fields.elements.map { ($0.key, $0.value) }
            if sortedKeys || object.sortsKeys {
                fields.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            }
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                string(key)
                byte(UInt8(ascii: ":"))
                write(value, sortedKeys: sortedKeys)
            }
            byte(UInt8(ascii: "}"))
        }
    }
}
