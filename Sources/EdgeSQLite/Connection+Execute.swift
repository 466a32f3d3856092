import VaporCSQLite

extension Connection {
    /// Prepares `sql`, which must hold exactly one statement.
    ///
    /// - Throws: ``SQLiteError/multipleStatements`` when more follows the first statement,
    ///   ``SQLiteError/noStatement`` when there is none, ``SQLiteError/transactionRefused`` or
    ///   `not authorized` when the authorizer refuses it, or SQLite's error.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        try prepare(sql, persistent: false)
    }

    func prepare(_ sql: String, persistent: Bool) throws(SQLiteError) -> Statement {
        let text = SQLText(sql)
        defer { text.deallocate() }
        let (statement, tail) = try prepareNext(text, from: 0, persistent: persistent)
        guard let statement else { throw .noStatement }
        guard text.skippingWhitespace(from: tail) == text.count else { throw .multipleStatements }
        return statement
    }

    /// Runs every statement in `sql` and returns the last one's rows, binding `bindings` to the
    /// last statement, as workerd's `SqlStorage.exec` and D1 run a multi-statement string.
    ///
    /// Statements before the last run as soon as they are prepared (so later ones can use the
    /// tables earlier ones create), and must not have parameters. The last statement must have
    /// exactly as many parameters as `bindings` has values. A `;` followed by nothing but
    /// whitespace ends the text; a `;` followed by only a comment is, as in workerd, an empty
    /// statement and fails with ``SQLiteError/noStatement``.
    ///
    /// - Throws: ``SQLiteError/parametersBeforeLastStatement``,
    ///   ``SQLiteError/wrongParameterCount``, ``SQLiteError/noStatement``, the authorizer's
    ///   refusals, or SQLite's error. Statements that ran before the failure are not undone:
    ///   run inside ``transaction(_:)`` for that.
    ///
    /// SQL holding one statement is kept prepared (up to ``preparedLimit`` texts) and reused the
    /// next time the same text runs under the same ``authorization``: parsing and planning
    /// cost more than running a small query. A reused statement is reset (bindings cleared,
    /// counters restarted) before it runs again, and SQLite prepares it again by itself, through
    /// the authorizer, when the schema has changed since.
    public func execute(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> QueryResult {
        let key = PreparedKey(sql: sql, authorization: authorization)
        if let statement = preparedStatements[key] {
            _ = try database()
            return try run(statement, bindings)
        }
        let text = SQLText(sql)
        defer { text.deallocate() }
        var offset = 0
        while true {
            let (prepared, tail) = try prepareNext(text, from: offset, persistent: false)
            guard let statement = prepared else { throw .noStatement }
            let single = offset == 0
            offset = text.skippingWhitespace(from: tail)
            if offset < text.count {
                guard statement.parameterCount == 0 else { throw .parametersBeforeLastStatement }
                while try statement.step() {}
                continue
            }
            let result = try run(statement, bindings)
            if single {
                if preparedStatements.count >= Self.preparedLimit { preparedStatements.remove(at: preparedStatements.startIndex) }
                preparedStatements[key] = statement
            }
            return result
        }
    }

    /// How many single-statement texts ``execute(_:_:)`` keeps prepared.
    static let preparedLimit = 64

    /// Binds, runs to the end and resets `statement`.
    private func run(_ statement: Statement, _ bindings: [SQLiteValue]) throws(SQLiteError) -> QueryResult {
        defer { statement.reset() }
        try statement.bind(bindings)
        let rows = try statement.rows()
        return QueryResult(
            columnNames: statement.columnNames, rows: rows,
            rowsRead: statement.rowsRead, rowsWritten: statement.rowsWritten)
    }

    /// Prepares the statement starting at byte `offset` of `text`; returns it (nil when only
    /// whitespace and comments remain) and the byte offset just after it.
    private func prepareNext(
        _ text: SQLText, from offset: Int, persistent: Bool
    ) throws(SQLiteError) -> (Statement?, Int) {
        let db = try database()
        clearErrorOffset(db)
        authorizer.beginPrepare()
        var handle: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let start = text.base + offset
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let result = sqlite_nio_sqlite3_prepare_v3(db, start, Int32(clamping: text.count - offset), flags, &handle, &tail)
        guard result == SQLITE_OK else {
            if result & 0xff == SQLITE_AUTH, authorizer.refusedTransaction { throw .transactionRefused }
            throw SQLiteError(result: result, db: db)
        }
        let end = tail.map { UnsafePointer(start).distance(to: $0) + offset } ?? text.count
        guard let handle else { return (nil, end) }
        let statement = Statement(handle: handle, db: db)
        if authorizer.sawAlterTable, authorization == .user, Authorizer.renamesIntoReservedName(statement.sql) {
            throw SQLiteError(code: SQLITE_AUTH, message: "not authorized")
        }
        return (statement, end)
    }
}

/// What a statement kept prepared by `execute` is found by: its text, and whose SQL it was, since
/// the authorizer checked it under that authorization when it was prepared.
struct PreparedKey: Hashable {
    let sql: String
    let authorization: Authorization
}

/// Forgets the byte offset of the connection's last error.
///
/// Some errors (`statement too long`) leave `sqlite3_error_offset` as the previous error set
/// it, so that a stale "at offset N" would appear in their message. Preparing an empty string
/// succeeds and resets it; it is only done when an error is pending.
private func clearErrorOffset(_ db: OpaquePointer) {
    guard sqlite_nio_sqlite3_errcode(db) != SQLITE_OK else { return }
    var handle: OpaquePointer?
    sqlite_nio_sqlite3_prepare_v3(db, "", 0, 0, &handle, nil)
    sqlite_nio_sqlite3_finalize(handle)
}

/// SQL text copied into a buffer SQLite can point into, with byte offsets.
struct SQLText {
    let base: UnsafeMutablePointer<CChar>
    let count: Int

    init(_ sql: String) {
        let bytes = Array(sql.utf8)
        count = bytes.count
        base = .allocate(capacity: count + 1)
        bytes.withUnsafeBytes { source in
            if let address = source.baseAddress { UnsafeMutableRawPointer(base).copyMemory(from: address, byteCount: count) }
        }
        base[count] = 0
    }

    func deallocate() {
        base.deallocate()
    }

    /// The offset of the first byte at or after `offset` that is not whitespace, as workerd
    /// skips it between statements (space, tab, newline, carriage return, vertical tab, form feed).
    func skippingWhitespace(from offset: Int) -> Int {
        var offset = offset
        while offset < count, [0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c].contains(base[offset]) { offset += 1 }
        return offset
    }
}
