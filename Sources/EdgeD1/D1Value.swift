import EdgeRuntime
import EdgeSQLite

/// One value in a D1 row or binding, in SQLite's storage classes: `.null`, `.integer(Int64)`,
/// `.real(Double)`, `.text(String)`, `.blob([UInt8])`.
///
/// Mirrors what D1 stores. D1's JavaScript API reads every INTEGER as a JS number (a double),
/// so integers above 2^53 lose precision there; in Swift an INTEGER stays an `Int64`, and
/// 2^53 + 1 or `Int64.max` round-trip exactly. A BLOB is `[UInt8]`, which D1 returns to
/// JavaScript as an array of numbers (and which its JSON encoding reproduces).
///
/// Literals work where a `D1Value` is expected: `nil`, `42`, `3.5`, `"text"`, `true` (stored as
/// the integer 1, as D1's `bind()` does). `isNull`, `int64Value`, `doubleValue`, `stringValue`
/// and `storageClass` read it. It is the same type as Durable Object storage's
/// `SqlStorageValue`: the SQLite layer's value, named as each API names it.
public typealias D1Value = SQLiteValue

extension D1Value {
    /// The bytes, for a BLOB value.
    public var bytes: [UInt8]? {
        if case .blob(let value) = self { value } else { nil }
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
