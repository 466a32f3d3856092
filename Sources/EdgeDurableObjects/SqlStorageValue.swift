import EdgeSQLite
import Foundation

/// A value in `storage.sql`: one of SQLite's five storage classes, as `exec` binds and returns
/// them (JavaScript sees `null`, numbers, strings and `ArrayBuffer`s).
public enum SqlStorageValue: Sendable, Hashable {
    /// `NULL`.
    case null
    /// An `INTEGER` (kept as 64 bits; JavaScript would round above 2^53).
    case integer(Int64)
    /// A `REAL`.
    case real(Double)
    /// `TEXT`.
    case text(String)
    /// A `BLOB`.
    case blob([UInt8])

    init(_ value: SQLiteValue) {
        switch value {
        case .null: self = .null
        case .integer(let value): self = .integer(value)
        case .real(let value): self = .real(value)
        case .text(let value): self = .text(value)
        case .blob(let value): self = .blob(value)
        }
    }

    var sqliteValue: SQLiteValue {
        switch self {
        case .null: .null
        case .integer(let value): .integer(value)
        case .real(let value): .real(value)
        case .text(let value): .text(value)
        case .blob(let value): .blob(value)
        }
    }

    /// The integer, or `nil`.
    public var intValue: Int? {
        if case .integer(let value) = self { return Int(value) }
        return nil
    }

    /// The number (integer or real), or `nil`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    /// The text, or `nil`.
    public var stringValue: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The bytes, or `nil`.
    public var blobValue: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }

    /// Whether this is `NULL`.
    public var isNull: Bool { self == .null }

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

extension SqlStorageValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    /// `nil` is `NULL`.
    public init(nilLiteral: ()) { self = .null }
    /// An integer literal is an `INTEGER`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A floating-point literal is a `REAL`.
    public init(floatLiteral value: Double) { self = .real(value) }
    /// A string literal is `TEXT`.
    public init(stringLiteral value: String) { self = .text(value) }
    /// Booleans are stored as 1 and 0, as SQLite does.
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
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
