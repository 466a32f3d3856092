/// What ``Connection/execute(_:_:)`` returns: the last statement's rows and counters.
public struct QueryResult: Sendable, Hashable {
    /// Result column names in order, duplicates kept (empty for statements returning no rows).
    public var columnNames: [String]
    /// The rows, each with one value per column.
    public var rows: [[SQLiteValue]]
    /// The last statement's estimated rows read (see ``Statement/rowsRead``).
    public var rowsRead: Int
    /// The last statement's rows written (see ``Statement/rowsWritten``).
    public var rowsWritten: Int

    /// Creates a result.
    public init(columnNames: [String], rows: [[SQLiteValue]], rowsRead: Int, rowsWritten: Int) {
        self.columnNames = columnNames
        self.rows = rows
        self.rowsRead = rowsRead
        self.rowsWritten = rowsWritten
    }
}
