import VaporCSQLite

/// Run-time limits applied to a connection with `sqlite3_limit`
/// (<https://www.sqlite.org/c3ref/c_limit_attached.html>).
///
/// ``production`` is what Cloudflare enforces for D1 and SQLite-backed Durable Objects; workerd
/// sets the same values locally except where noted. A statement over a limit fails with SQLite's
/// own error (`statement too long`, `too many SQL variables`, `string or blob too big`, ...).
public struct Limits: Sendable, Hashable {
    /// Longest SQL text one prepare call accepts, in bytes (`SQLITE_LIMIT_SQL_LENGTH`).
    public var sqlLength: Int32
    /// Highest parameter number, so the most values one statement binds (`SQLITE_LIMIT_VARIABLE_NUMBER`).
    public var variableNumber: Int32
    /// Most columns in a table, index, view or result (`SQLITE_LIMIT_COLUMN`).
    public var columns: Int32
    /// Longest string or BLOB, and largest row record, in bytes (`SQLITE_LIMIT_LENGTH`).
    public var length: Int32
    /// Most arguments to one SQL function (`SQLITE_LIMIT_FUNCTION_ARG`).
    public var functionArguments: Int32
    /// Longest LIKE or GLOB pattern, in bytes (`SQLITE_LIMIT_LIKE_PATTERN_LENGTH`).
    public var likePatternLength: Int32
    /// Most terms in a compound SELECT (`SQLITE_LIMIT_COMPOUND_SELECT`).
    public var compoundSelect: Int32
    /// Deepest expression tree (`SQLITE_LIMIT_EXPR_DEPTH`).
    public var expressionDepth: Int32
    /// Deepest trigger recursion (`SQLITE_LIMIT_TRIGGER_DEPTH`).
    public var triggerDepth: Int32
    /// Most attached databases (`SQLITE_LIMIT_ATTACHED`).
    public var attached: Int32

    /// Creates a set of limits.
    public init(
        sqlLength: Int32, variableNumber: Int32, columns: Int32, length: Int32, functionArguments: Int32,
        likePatternLength: Int32, compoundSelect: Int32, expressionDepth: Int32, triggerDepth: Int32,
        attached: Int32
    ) {
        self.sqlLength = sqlLength
        self.variableNumber = variableNumber
        self.columns = columns
        self.length = length
        self.functionArguments = functionArguments
        self.likePatternLength = likePatternLength
        self.compoundSelect = compoundSelect
        self.expressionDepth = expressionDepth
        self.triggerDepth = triggerDepth
        self.attached = attached
    }

    /// Production D1 / Durable Object limits: 100 000-byte statements, 100 parameters,
    /// 100 columns, 2 000 000-byte strings, BLOBs and rows (workerd allows 4 MiB locally),
    /// 32 function arguments (workerd allows 127 locally), 50-byte LIKE patterns, 5 compound
    /// terms, expression depth 100, trigger depth 10, no attached databases.
    public static let production = Limits(
        sqlLength: 100_000, variableNumber: 100, columns: 100, length: 2_000_000, functionArguments: 32,
        likePatternLength: 50, compoundSelect: 5, expressionDepth: 100, triggerDepth: 10, attached: 0
    )

    func apply(to db: OpaquePointer) {
        sqlite_nio_sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, sqlLength)
        sqlite_nio_sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, variableNumber)
        sqlite_nio_sqlite3_limit(db, SQLITE_LIMIT_COLUMN, columns)
        sqlite_nio_sqlite3_limit(db, SQLITE_LIMIT_LENGTH, length)
        sqlite_nio_sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, functionArguments)
        sqlite_nio_sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, likePatternLength)
        sqlite_nio_sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, compoundSelect)
        sqlite_nio_sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, expressionDepth)
        sqlite_nio_sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, triggerDepth)
        sqlite_nio_sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, attached)
    }
}
