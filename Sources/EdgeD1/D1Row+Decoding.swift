import EdgeRuntime
import Foundation

extension D1Row {
    /// Decodes the row as `T`, property by column name (the last column wins among duplicates).
    ///
    /// Properties decode from their column's storage class: `Int`/`Int64`/`Int32` from INTEGER
    /// (or a whole REAL), `Double`/`Float` from REAL or INTEGER, `String` from TEXT, `Bool` from
    /// INTEGER 0 or 1, `[UInt8]`/`Data` from BLOB, and `RawRepresentable` enums through their raw
    /// value. An optional property is `nil` for NULL or a missing column. A row with a single
    /// column also decodes as a plain value (`Int` for `SELECT count(*)`).
    ///
    /// - Throws: `DecodingError` whose description names the column and what it held.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try T(from: RowDecoder(row: self))
    }
}

extension D1Value {
    /// Decodes the value as `T`, as a ``D1Row`` property decodes; `column` names it in errors.
    public func decode<T: Decodable>(as type: T.Type = T.self, column: String) throws -> T {
        try ValueDecoder(value: self, codingPath: [ColumnKey(column)]).decode(T.self)
    }
}

/// Decodes a row: a keyed container over its columns, or its only column as a single value.
private struct RowDecoder: Decoder {
    let row: D1Row
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: [], debugDescription: "A D1 row decodes as a keyed value, not an array."))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        guard row.count == 1 else {
            throw DecodingError.typeMismatch(
                Any.self,
                .init(
                    codingPath: [],
                    debugDescription:
                        "Only a row with one column decodes as a single value; this one has \(row.count): \(row.columns.joined(separator: ", "))."
                ))
        }
        return ValueDecoder(value: row[0], codingPath: [ColumnKey(row.columns[0])])
    }
}

private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: D1Row
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { row.fields.compactMap { Key(stringValue: $0.name) } }

    func contains(_ key: Key) -> Bool {
        row[key.stringValue] != nil
    }

    private func value(for key: Key) throws -> D1Value {
        guard let value = row[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                .init(
                    codingPath: [key],
                    debugDescription:
                        "No column \"\(key.stringValue)\" in the row (columns: \(row.columns.joined(separator: ", ")))."
                ))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try value(for: key) == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try ValueDecoder(value: value(for: key), codingPath: [key]).decode(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        throw ValueDecoder(value: try value(for: key), codingPath: [key]).notNested()
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw ValueDecoder(value: try value(for: key), codingPath: [key]).notNested()
    }

    func superDecoder() throws -> any Decoder {
        RowDecoder(row: row)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: try value(for: key), codingPath: [key])
    }
}

/// Decodes one column's value.
private struct ValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: D1Value
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    private var column: String { codingPath.last?.stringValue ?? "?" }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw notNested()
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw notNested()
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        self
    }

    func notNested() -> DecodingError {
        .typeMismatch(
            [String: Any].self,
            .init(
                codingPath: codingPath,
                debugDescription:
                    "Column \"\(column)\" holds \(held); a column decodes as a single value, not a nested one (decode JSON text yourself)."
            ))
    }

    private var held: String {
        switch value {
        case .null: "NULL"
        case .integer(let number): "the INTEGER \(number)"
        case .real(let number): "the REAL \(JSONWriter.javaScriptString(number))"
        case .text: "TEXT"
        case .blob(let bytes): "a BLOB of \(bytes.count) bytes"
        }
    }

    private func mismatch<T>(_ type: T.Type) -> DecodingError {
        if value == .null {
            return .valueNotFound(
                type, .init(codingPath: codingPath, debugDescription: "Column \"\(column)\" is NULL, expected \(type)."))
        }
        return .typeMismatch(
            type, .init(codingPath: codingPath, debugDescription: "Column \"\(column)\" holds \(held), expected \(type)."))
    }

    func decodeNil() -> Bool {
        value == .null
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch value.int64Value {
        case 0: false
        case 1: true
        default: throw mismatch(type)
        }
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .text(let text) = value else { throw mismatch(type) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard let number = value.doubleValue else { throw mismatch(type) }
        return number
    }

    func decode(_ type: Float.Type) throws -> Float {
        guard let number = value.doubleValue else { throw mismatch(type) }
        return Float(number)
    }

    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard let number = value.int64Value, let exact = I(exactly: number) else { throw mismatch(type) }
        return exact
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == [UInt8].self || type == Data.self {
            guard case .blob(let bytes) = value else { throw mismatch(type) }
            return type == Data.self ? Data(bytes) as! T : bytes as! T
        }
        if type == D1Value.self { return value as! T }
        return try T(from: self)
    }
}
