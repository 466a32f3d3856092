/// A value as SQLite stores it: exactly one of SQLite's five storage classes.
///
/// SQLite has no booleans, dates or JSON: those are conventions over these five classes
/// (<https://www.sqlite.org/datatype3.html>). Keeping the storage class exact means an
/// integer column read back is an `.integer`, never a `Double` that lost precision above 2^53.
public enum SQLiteValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A signed 64-bit integer (`INTEGER` storage class).
    case integer(Int64)
    /// An IEEE 754 double (`REAL` storage class).
    case real(Double)
    /// UTF-8 text (`TEXT` storage class).
    case text(String)
    /// Raw bytes (`BLOB` storage class).
    case blob([UInt8])

    /// SQLite's name for the storage class, as `typeof()` returns it: `null`, `integer`,
    /// `real`, `text` or `blob`.
    public var storageClass: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }
}
