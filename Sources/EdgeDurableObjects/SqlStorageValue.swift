import EdgeSQLite
import Foundation

/// A value in `storage.sql` (workers-types' `SqlStorageValue`): one of SQLite's five storage
/// classes, `.null`, `.integer(Int64)`, `.real(Double)`, `.text(String)`, `.blob([UInt8])`, as
/// `exec` binds and returns them (JavaScript sees `null`, numbers, strings and `ArrayBuffer`s).
/// An `INTEGER` keeps its 64 bits; JavaScript would round above 2^53.
///
/// Literals work (`nil`, `42`, `3.5`, `"text"`, `true` as 1); `isNull`, `doubleValue`,
/// `stringValue`, ``intValue`` and ``blobValue`` read it. It is the same type as D1's
/// `D1Value`: the SQLite layer's value, named as each API names it.
public typealias SqlStorageValue = SQLiteValue

extension SqlStorageValue {
    /// The integer, or `nil`.
    public var intValue: Int? {
        if case .integer(let value) = self { return Int(value) }
        return nil
    }

    /// The bytes, or `nil`.
    public var blobValue: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }

    /// The value as `JSONSerialization` takes it, for decoding rows.
    var jsonObject: Any {
        switch self {
        case .null: NSNull()
        case .integer(let value): NSNumber(value: value)
        case .real(let value): NSNumber(value: value)
        case .text(let value): value
        case .blob(let value): value.map { NSNumber(value: $0) }
        }
    }
}

/// A Swift value `storage.sql.exec` can bind to a `?` parameter.
public protocol SqlStorageBindable: Sendable {
    /// The value as SQLite stores it.
    var sqlStorageValue: SqlStorageValue { get }
}

extension SqlStorageValue: SqlStorageBindable {
    /// The value as SQLite stores it.
    public var sqlStorageValue: SqlStorageValue { self }
}

extension String: SqlStorageBindable {
    /// The value as SQLite stores it.
    public var sqlStorageValue: SqlStorageValue { .text(self) }
}

extension Substring: SqlStorageBindable {
    /// The value as SQLite stores it.
    public var sqlStorageValue: SqlStorageValue { .text(String(self)) }
}

extension Int: SqlStorageBindable {
    /// The value as SQLite stores it.
    public var sqlStorageValue: SqlStorageValue { .integer(Int64(self)) }
}

extension Int64: SqlStorageBindable {
    /// The value as SQLite stores it.
    public var sqlStorageValue: SqlStorageValue { .integer(self) }
}

extension Int32: SqlStorageBindable {
    /// The value as SQLite stores it.
    public var sqlStorageValue: SqlStorageValue { .integer(Int64(self)) }
}

extension Double: SqlStorageBindable {
    /// The value as SQLite stores it.
    public var sqlStorageValue: SqlStorageValue { .real(self) }
}

extension Bool: SqlStorageBindable {
    /// 1 or 0.
    public var sqlStorageValue: SqlStorageValue { .integer(self ? 1 : 0) }
}

extension Array: SqlStorageBindable where Element == UInt8 {
    /// The value as SQLite stores it.
    public var sqlStorageValue: SqlStorageValue { .blob(self) }
}

extension Data: SqlStorageBindable {
    /// The value as SQLite stores it.
    public var sqlStorageValue: SqlStorageValue { .blob(Array(self)) }
}

extension Optional: SqlStorageBindable where Wrapped: SqlStorageBindable {
    /// The wrapped value, or `NULL`.
    public var sqlStorageValue: SqlStorageValue { self?.sqlStorageValue ?? .null }
}
