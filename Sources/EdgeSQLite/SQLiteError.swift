import VaporCSQLite

/// An error from SQLite, or from one of the rules this layer enforces on SQLite's behalf.
///
/// `description` is workerd's `dbErrorMessage()` text, which is what D1 and Durable Object SQL
/// put after their own prefixes: `<sqlite3_errmsg>[ at offset N]: <SQLITE_CODE>`, for example
/// `no such table: users: SQLITE_ERROR`. workerd's newest builds append
/// ` (extended: SQLITE_CONSTRAINT_UNIQUE)` when the extended code differs; production D1 texts
/// seen in the wild do not, so neither do we: the extended code is available as
/// ``extendedCodeName`` instead.
///
/// Errors raised by this layer's own rules (a refused transaction statement, a wrong number of
/// bindings, ...) read exactly as workerd words them, with no code suffix, as workerd raises them
/// outside SQLite too.
///
/// Statement arguments never appear in an error: only SQLite's message, which names tables and
/// columns but not bound values.
public struct SQLiteError: Error, Sendable, Hashable {
    private enum Origin: Hashable, Sendable {
        /// Reported by SQLite: the description carries the code name.
        case sqlite
        /// Reported by this layer with workerd's wording: the description is the message.
        case rule
    }

    /// The primary result code, such as `SQLITE_CONSTRAINT` (19).
    public let code: Int32
    /// The extended result code, such as `SQLITE_CONSTRAINT_UNIQUE` (2067); equal to ``code``
    /// when SQLite gave no extended code.
    public let extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`), or this layer's text for its own rules.
    public let message: String
    /// The byte offset in the SQL text that SQLite blamed (`sqlite3_error_offset`), if any.
    public let offset: Int?
    private let origin: Origin

    /// An error as SQLite reported it.
    public init(code: Int32, extendedCode: Int32? = nil, message: String, offset: Int? = nil) {
        self.code = code
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.offset = offset
        self.origin = .sqlite
    }

    private init(rule message: String, code: Int32) {
        self.code = code
        self.extendedCode = code
        self.message = message
        self.offset = nil
        self.origin = .rule
    }

    /// Reads the error SQLite recorded on `db` for the result code `result`.
    init(result: Int32, db: OpaquePointer?) {
        let message: String
        if let db, let text = sqlite_nio_sqlite3_errmsg(db) {
            message = String(cString: text)
        } else {
            message = String(cString: sqlite_nio_sqlite3_errstr(result))
        }
        let offset = db.map { Int(sqlite_nio_sqlite3_error_offset($0)) } ?? -1
        let extended = db.map { sqlite_nio_sqlite3_extended_errcode($0) } ?? result
        self.init(
            code: result & 0xff,
            extendedCode: (extended & 0xff) == (result & 0xff) ? extended : result,
            message: message,
            offset: offset >= 0 ? offset : nil
        )
    }

    /// The primary code's symbolic name, such as `SQLITE_CONSTRAINT`.
    public var codeName: String { Self.name(ofPrimaryCode: code) }

    /// The extended code's symbolic name, such as `SQLITE_CONSTRAINT_UNIQUE`, when SQLite gave an
    /// extended code that differs from the primary one.
    public var extendedCodeName: String? {
        extendedCode == code ? nil : Self.name(ofExtendedCode: extendedCode)
    }

    /// Whether another connection held a lock for longer than the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY }
}

extension SQLiteError: CustomStringConvertible {
    /// workerd's `dbErrorMessage()` text: `<message>[ at offset N]: <SQLITE_CODE>`; for this
    /// layer's own rules, the message alone.
    public var description: String {
        switch origin {
        case .rule:
            return message
        case .sqlite:
            let at = offset.map { " at offset \($0)" } ?? ""
            return "\(message)\(at): \(codeName)"
        }
    }
}

// MARK: - This layer's rules, worded as workerd words them

extension SQLiteError {
    /// A `BEGIN`, `COMMIT`, `ROLLBACK`, `SAVEPOINT` or `RELEASE` statement in user SQL
    /// (workerd `SqlStorageRegulator::allowTransactions`).
    public static let transactionRefused = SQLiteError(
        rule: "To execute a transaction, please use the state.storage.transaction() or "
            + "state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT "
            + "statements. The JavaScript API is safer because it will automatically roll back on "
            + "exceptions, and because it interacts correctly with Durable Objects' automatic atomic "
            + "write coalescing.",
        code: SQLITE_AUTH
    )

    /// A statement other than the last of a multi-statement string has parameters.
    public static let parametersBeforeLastStatement = SQLiteError(
        rule: "When executing multiple SQL statements in a single call, only the last statement can have parameters.",
        code: SQLITE_ERROR
    )

    /// The number of values bound differs from the statement's parameter count
    /// (`sqlite3_bind_parameter_count`, so `?3` expects exactly three).
    public static let wrongParameterCount = SQLiteError(
        rule: "Wrong number of parameter bindings for SQL query.",
        code: SQLITE_RANGE
    )

    /// The SQL text holds no statement at all (only whitespace, comments or `;`).
    public static let noStatement = SQLiteError(
        rule: "SQL code did not contain a statement.",
        code: SQLITE_ERROR
    )

    /// ``Connection/prepare(_:)`` was given more than one statement.
    public static let multipleStatements = SQLiteError(
        rule: "A prepared SQL statement must contain only one statement.",
        code: SQLITE_ERROR
    )

    /// The connection was closed before this call.
    public static let connectionClosed = SQLiteError(
        rule: "The database connection is closed.",
        code: SQLITE_MISUSE
    )
}
