import EdgeSQLite
import Foundation
import Synchronization

/// `SqlStorageCursor`: the rows of one `sql.exec`, read once.
///
/// It is both a sequence and its own iterator, as in JavaScript: `next()`, `toArray()`, `one()`
/// and `raw()` all move the same position. Rows are read when `exec` returns (there is no lazy
/// stepping), so ``rowsRead`` and ``rowsWritten`` are final at once and a cursor kept across an
/// await shows the rows as they were then.
public final class SqlStorageCursor: Sequence, IteratorProtocol, Sendable {
    /// `cursor.columnNames`.
    public let columnNames: [String]
    /// `cursor.rowsRead`.
    public let rowsRead: Int
    /// `cursor.rowsWritten`.
    public let rowsWritten: Int
    private let rows: [[SqlStorageValue]]
    private let position = Mutex(0)

    init(_ result: QueryResult) {
        columnNames = result.columnNames
        rowsRead = result.rowsRead
        rowsWritten = result.rowsWritten
        rows = result.rows
    }

    /// `cursor.next()`: the next row, or `nil` when done.
    public func next() -> SqlStorageRow? {
        nextValues().map { SqlStorageRow(columnNames: columnNames, values: $0) }
    }

    /// `cursor.toArray()`: the remaining rows.
    public func toArray() -> [SqlStorageRow] {
        Array(self)
    }

    /// The remaining rows, each decoded as `T` from an object keyed by column name.
    public func toArray<T: Decodable>(as type: T.Type) throws -> [T] {
        try toArray().map { try $0.decode(as: T.self) }
    }

    /// `cursor.one()`: the only remaining row; throws workerd's errors when there is none or
    /// more than one.
    public func one() throws -> SqlStorageRow {
        guard let row = next() else { throw DurableObjectError.oneWithoutResults }
        guard nextValues() == nil else { throw DurableObjectError.oneWithMultipleResults }
        return row
    }

    /// `cursor.one()`, decoded as `T`.
    public func one<T: Decodable>(as type: T.Type) throws -> T {
        try one().decode(as: T.self)
    }

    /// `cursor.raw()`: the remaining rows as arrays of values, sharing this cursor's position.
    public func raw() -> RawRows {
        RawRows(cursor: self)
    }

    fileprivate func nextValues() -> [SqlStorageValue]? {
        position.withLock { position in
            guard position < rows.count else { return nil }
            defer { position += 1 }
            return rows[position]
        }
    }

    /// The iterator `raw()` returns: rows as value arrays.
    public struct RawRows: Sequence, IteratorProtocol, Sendable {
        let cursor: SqlStorageCursor

        /// The next row's values, or `nil` when done.
        public mutating func next() -> [SqlStorageValue]? { cursor.nextValues() }

        /// `raw().toArray()`.
        public func toArray() -> [[SqlStorageValue]] { Array(self) }

        /// The cursor's column names.
        public var columnNames: [String] { cursor.columnNames }
    }
}

/// One row of a ``SqlStorageCursor``: JavaScript's row object, a value per column name.
public struct SqlStorageRow: Sendable, Hashable {
    /// The column names, in order.
    public let columnNames: [String]
    /// The values, in column order.
    public let values: [SqlStorageValue]

    /// `row[column]`: the value of the named column (the last one, when names repeat, as in a
    /// JavaScript object), or `nil` for an unknown column.
    public subscript(_ column: String) -> SqlStorageValue? {
        columnNames.lastIndex(of: column).map { values[$0] }
    }

    /// The value in column `index`.
    public subscript(_ index: Int) -> SqlStorageValue {
        values[index]
    }

    /// The row decoded as `T` from an object keyed by column name (integers and reals as
    /// numbers, text as strings, blobs as byte arrays, `NULL` as `nil`).
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        var object: [String: Any] = [:]
        for (name, value) in zip(columnNames, values) { object[name] = value.jsonObject }
        let data = try JSONSerialization.data(withJSONObject: object)
        return try JSONDecoder().decode(T.self, from: data)
    }
}
