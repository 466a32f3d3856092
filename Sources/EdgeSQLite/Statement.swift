import VaporCSQLite

/// One prepared SQL statement (`sqlite3_stmt`): bind values, step through rows, read columns.
///
/// Created by ``Connection/prepare(_:)`` and used, like its connection, by one owner at a time.
/// The statement is finalized when it is released; release it before closing its connection
/// (a closed connection lingers until its last statement is finalized, and runs nothing).
public final class Statement {
    let handle: OpaquePointer
    private let db: OpaquePointer
    /// `sqlite3_total_changes64` when the current execution started, for ``rowsWritten``.
    private var changesAtStart: Int64?
    /// `sqlite3_total_changes64` when the current execution finished.
    private var changesAtEnd: Int64?

    /// Rows returned by the current execution so far.
    public private(set) var rowsReturned = 0

    init(handle: OpaquePointer, db: OpaquePointer) {
        self.handle = handle
        self.db = db
    }

    deinit {
        sqlite_nio_sqlite3_finalize(handle)
    }

    /// The SQL text of this statement.
    public var sql: String {
        sqlite_nio_sqlite3_sql(handle).map { String(cString: $0) } ?? ""
    }

    /// How many values the statement expects: the largest parameter number, so `?3` alone
    /// expects three (`sqlite3_bind_parameter_count`).
    public var parameterCount: Int {
        Int(sqlite_nio_sqlite3_bind_parameter_count(handle))
    }

    /// The number of result columns (0 for statements returning no rows).
    public var columnCount: Int {
        Int(sqlite_nio_sqlite3_column_count(handle))
    }

    /// The result column names in order; duplicate names are kept.
    public var columnNames: [String] {
        (0..<sqlite_nio_sqlite3_column_count(handle)).map { String(cString: sqlite_nio_sqlite3_column_name(handle, $0)) }
    }

    /// Whether the statement leaves the database unchanged (`sqlite3_stmt_readonly`).
    public var isReadOnly: Bool {
        sqlite_nio_sqlite3_stmt_readonly(handle) != 0
    }

    // MARK: Binding

    /// Binds `values` to parameters 1...n, after checking that n is the statement's
    /// ``parameterCount``.
    ///
    /// - Throws: ``SQLiteError/wrongParameterCount`` on a count mismatch; SQLite's error for a
    ///   value over a limit (`string or blob too big`).
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        guard values.count == parameterCount else { throw .wrongParameterCount }
        sqlite_nio_sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Binds one value to the parameter numbered `index` (1-based).
    public func bind(_ value: SQLiteValue, at index: Int) throws(SQLiteError) {
        let index = Int32(index)
        let result: Int32
        switch value {
        case .null:
            result = sqlite_nio_sqlite3_bind_null(handle, index)
        case .integer(let integer):
            result = sqlite_nio_sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            result = sqlite_nio_sqlite3_bind_double(handle, index, real)
        case .text(let text):
            var text = text
            result = text.withUTF8 { buffer in
                // An empty buffer may have no address, and a NULL pointer would bind NULL.
                let pointer = buffer.baseAddress.map { UnsafeRawPointer($0) } ?? Self.emptyBytes
                return sqlite_nio_sqlite3_bind_text64(
                    handle, index, pointer.assumingMemoryBound(to: CChar.self), UInt64(buffer.count),
                    Self.transient, UInt8(SQLITE_UTF8))
            }
        case .blob(let bytes):
            if bytes.isEmpty {
                result = sqlite_nio_sqlite3_bind_zeroblob(handle, index, 0)
            } else {
                result = bytes.withUnsafeBytes { buffer in
                    sqlite_nio_sqlite3_bind_blob64(handle, index, buffer.baseAddress, UInt64(buffer.count), Self.transient)
                }
            }
        }
        guard result == SQLITE_OK else { throw SQLiteError(result: result, db: db) }
    }

    // MARK: Stepping

    /// Advances to the next row: `true` when a row is available through ``row`` or
    /// ``value(at:)``, `false` when the statement has finished.
    public func step() throws(SQLiteError) -> Bool {
        if changesAtStart == nil { changesAtStart = sqlite_nio_sqlite3_total_changes64(db) }
        switch sqlite_nio_sqlite3_step(handle) {
        case SQLITE_ROW:
            rowsReturned += 1
            return true
        case SQLITE_DONE:
            changesAtEnd = sqlite_nio_sqlite3_total_changes64(db)
            return false
        case let result:
            changesAtEnd = sqlite_nio_sqlite3_total_changes64(db)
            throw SQLiteError(result: result, db: db)
        }
    }

    /// Steps to the end, collecting every row.
    public func rows() throws(SQLiteError) -> [[SQLiteValue]] {
        var rows: [[SQLiteValue]] = []
        while try step() { rows.append(row) }
        return rows
    }

    /// Rewinds the statement so it can run again; bindings are kept, counters restart.
    public func reset() {
        sqlite_nio_sqlite3_reset(handle)
        sqlite_nio_sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1)
        changesAtStart = nil
        changesAtEnd = nil
        rowsReturned = 0
    }

    // MARK: Columns

    /// The current row's values, in column order.
    public var row: [SQLiteValue] {
        (0..<columnCount).map(value(at:))
    }

    /// The current row's value in column `index` (0-based), in its storage class.
    public func value(at index: Int) -> SQLiteValue {
        let column = Int32(index)
        switch sqlite_nio_sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite_nio_sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite_nio_sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(handle, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            guard let blob = sqlite_nio_sqlite3_column_blob(handle, column) else { return .blob([]) }
            let count = Int(sqlite_nio_sqlite3_column_bytes(handle, column))
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }

    // MARK: Counters

    /// Rows inserted, updated or deleted by the current execution, including by triggers and
    /// foreign-key actions (the growth of `sqlite3_total_changes64` while it ran). Index entries
    /// and schema rows are not counted.
    ///
    /// workerd counts writes with `LIBSQL_STMTSTATUS_ROWS_WRITTEN`, a counter its patched SQLite
    /// adds; stock SQLite has no such counter, so this is the nearest public figure. It matches
    /// Miniflare's examples (`INSERT` of one row: 1).
    public var rowsWritten: Int {
        guard let changesAtStart else { return 0 }
        return Int((changesAtEnd ?? sqlite_nio_sqlite3_total_changes64(db)) - changesAtStart)
    }

    /// An estimate of the rows the current execution read, standing in for workerd's
    /// `LIBSQL_STMTSTATUS_ROWS_READ` (a counter of every b-tree row visit that stock SQLite lacks).
    ///
    /// When the statement scanned a table (`SQLITE_STMTSTATUS_FULLSCAN_STEP` > 0), the rows
    /// scanned: the steps plus the first row. Otherwise each returned row and each written row
    /// counts as one read, as a keyed lookup or insert reads one row. This reproduces Miniflare's
    /// examples: `SELECT` over 3 rows reads 3, `INSERT` reads 1, `INSERT ... RETURNING` of one
    /// row reads 2, `SELECT ... WHERE id = ?` reads 1. It undercounts joins and `COUNT(*)`.
    public var rowsRead: Int {
        let scanSteps = Int(sqlite_nio_sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0))
        return scanSteps > 0 ? scanSteps + 1 : rowsReturned + rowsWritten
    }

    // MARK: Constants

    /// `SQLITE_TRANSIENT`: SQLite copies bound text and blobs before the call returns.
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
    /// A valid pointer for empty text, which SQLite must not read as SQL NULL.
    private static var emptyBytes: UnsafeRawPointer { UnsafeRawPointer(("" as StaticString).utf8Start) }
}
