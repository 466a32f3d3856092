/// One result row: its columns in order, with their values.
///
/// Mirrors a row object in D1's `results`. D1 builds each row with `Object.fromEntries`, so when
/// two columns share a name (`SELECT a.id, b.id ...`) the later one wins; the by-name subscript and
/// the JSON encoding do the same. Every column, duplicates included, stays reachable by
/// index, and `raw()` returns them all.
public struct D1Row: Sendable, Hashable {
    /// The column names in order, duplicates kept.
    public let columns: [String]
    /// The values, one per column.
    public let values: [D1Value]

    /// Creates a row; `columns` and `values` have the same count.
    public init(columns: [String], values: [D1Value]) {
        precondition(columns.count == values.count, "a row has one value per column")
        self.columns = columns
        self.values = values
    }

    /// The value of the column named `column` (the last one, if several share the name), or
    /// `nil` when the row has no such column. A SQL NULL is ``D1Value/null``, not `nil`.
    public subscript(_ column: String) -> D1Value? {
        columns.lastIndex(of: column).map { values[$0] }
    }

    /// The value in column `index` (0-based).
    public subscript(_ index: Int) -> D1Value {
        values[index]
    }

    /// The number of columns.
    public var count: Int { columns.count }

    /// The distinct column names in first-appearance order, each with the value that wins
    /// (the last), which is what a JavaScript row object holds.
    public var fields: [(name: String, value: D1Value)] {
        var seen = Set<String>()
        return columns.filter { seen.insert($0).inserted }.map { ($0, self[$0]!) }
    }
}

extension D1Row: Encodable {
    /// Encodes as D1's JSON row object: `{"column": value, ...}`, later duplicates winning,
    /// BLOBs as arrays of numbers.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ColumnKey.self)
        for (name, value) in fields {
            try container.encode(value, forKey: ColumnKey(name))
        }
    }
}

/// A coding key that is a column name.
struct ColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) {
        stringValue = name
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}
