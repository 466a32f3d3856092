// What D1's and Durable Object storage's value types share: `D1Value` (EdgeD1) and
// `SqlStorageValue` (EdgeDurableObjects) are this one enum under Cloudflare's names, so a row
// read from SQLite reaches either API without a copy. Each API adds its own names on top
// (`D1Value.bytes`, `SqlStorageValue.intValue`, D1's JSON and JavaScript text).

extension SQLiteValue {
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
}

extension SQLiteValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
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
    /// `true` and `false` are the INTEGERs 1 and 0, as D1's `bind()` and SQLite store booleans.
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}

extension SQLiteValue: Encodable {
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
