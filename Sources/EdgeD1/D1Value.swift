import EdgeRuntime
import EdgeSQLite

/// One value in a D1 row or binding, in SQLite's storage classes.
///
/// Mirrors what D1 stores. D1's JavaScript API reads every INTEGER as a JS number (a double),
/// so integers above 2^53 lose precision there; in Swift an INTEGER stays an `Int64`, and
/// 2^53 + 1 or `Int64.max` round-trip exactly. A BLOB is `[UInt8]`, which D1 returns to
/// JavaScript as an array of numbers (and which ``D1Row``'s JSON encoding reproduces).
///
/// Literals work where a `D1Value` is expected: `nil`, `42`, `3.5`, `"text"`, `true` (stored as
/// the integer 1, as D1's `bind()` does).
public enum D1Value: Sendable, Hashable {
    /// SQL `NULL` (JavaScript `null`).
    case null
    /// An INTEGER.
    case integer(Int64)
    /// A REAL.
    case real(Double)
    /// TEXT.
    case text(String)
    /// A BLOB (JavaScript: an array of byte values).
    case blob([UInt8])

    /// Whether this is SQL `NULL`.
    public var isNull: Bool { self == .null }

    /// The integer, or a REAL that is a whole number representable as `Int64`.
    public var int64Value: Int64? {
        switch self {
        case .integer(let value): value
        case .real(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// The number as a `Double`, whether stored as INTEGER or REAL.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    /// The text, for a TEXT value.
    public var stringValue: String? {
        if case .text(let value) = self { value } else { nil }
    }

    /// The bytes, for a BLOB value.
    public var bytes: [UInt8]? {
        if case .blob(let value) = self { value } else { nil }
    }

    /// SQLite's name for the storage class: `null`, `integer`, `real`, `text` or `blob`.
    public var storageClass: String { sqliteValue.storageClass }

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
}

extension D1Value: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    /// `nil` is SQL `NULL`.
    public init(nilLiteral: ()) { self = .null }
    /// An integer literal is an INTEGER.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A floating-point literal is a REAL.
    public init(floatLiteral value: Double) { self = .real(value) }
    /// A string literal is TEXT.
    public init(stringLiteral value: String) { self = .text(value) }
    /// `true` and `false` are the INTEGERs 1 and 0, as D1's `bind()` converts booleans.
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}

extension D1Value: Encodable {
    /// Encodes as D1 returns the value in JSON: `null`, a number, a string, or a BLOB as an
    /// array of byte values. Non-finite REALs encode as `null`, as `JSON.stringify` writes them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .real(let value): value.isFinite ? try container.encode(value) : try container.encodeNil()
        case .text(let value): try container.encode(value)
        case .blob(let value): try container.encode(value)
        }
    }
}

extension D1Value: CustomStringConvertible {
    /// The value as JavaScript's `String(v)` would show D1's result: `null`, numbers as
    /// JavaScript prints them, text as is, BLOBs as `[1, 2, 3]` (as `wrangler d1 execute` does).
    public var description: String {
        switch self {
        case .null: "null"
        case .integer(let value): String(value)
        case .real(let value): JSONWriter.javaScriptString(value)
        case .text(let value): value
        case .blob(let bytes): "[" + bytes.map(String.init).joined(separator: ", ") + "]"
        }
    }
}
