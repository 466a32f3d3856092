/// What `all()`, `run()` and each element of `batch()` return.
///
/// Mirrors Cloudflare's `D1Result`: `{ results, success, meta }`. Encodes to the same JSON.
public struct D1Result: Sendable, Hashable, Encodable {
    /// The rows; `[]` for a write without `RETURNING`.
    public var results: [D1Row]
    /// Always `true`: a failed query throws instead.
    public var success: Bool
    /// How the query ran.
    public var meta: D1Meta

    /// Creates a result.
    public init(results: [D1Row], success: Bool = true, meta: D1Meta) {
        self.results = results
        self.success = success
        self.meta = meta
    }
}

/// What `all(as:)` returns: rows decoded as `T`, with the same `success` and `meta` as
/// ``D1Result``.
///
/// Mirrors `D1Result<T>` in Cloudflare's types: `let r = try await stmt.all(as: Order.self)`,
/// then `r.results` is `[Order]`.
public struct D1TypedResult<T> {
    /// The decoded rows.
    public var results: [T]
    /// Always `true`: a failed query throws instead.
    public var success: Bool
    /// How the query ran.
    public var meta: D1Meta

    /// Creates a result.
    public init(results: [T], success: Bool = true, meta: D1Meta) {
        self.results = results
        self.success = success
        self.meta = meta
    }
}

extension D1TypedResult: Sendable where T: Sendable {}
extension D1TypedResult: Equatable where T: Equatable {}
extension D1TypedResult: Encodable where T: Encodable {}

/// How a query ran: Cloudflare's `D1Result.meta`, as Miniflare computes it locally.
///
/// Encodes with D1's JSON keys: `served_by`, `duration`, `changes`, `last_row_id`,
/// `changed_db`, `size_after`, `rows_read`, `rows_written`, and, when set (every query Edge
/// runs sets them, as production does), `served_by_region`, `served_by_primary`,
/// `timings.sql_duration_ms` and `total_attempts`.
public struct D1Meta: Sendable, Hashable, Codable {
    /// `served_by`: which backend answered: `"edge.db"` here (Miniflare says `"miniflare.db"`,
    /// production `"v3-prod"`).
    public var servedBy: String
    /// `duration`: milliseconds the query took, measured around it (often well under 1 locally).
    public var duration: Double
    /// `changes`: rows changed by the query (growth of SQLite's `total_changes()`, across every
    /// statement of a multi-statement query, including trigger and foreign-key actions).
    public var changes: Int
    /// `last_row_id`: `last_insert_rowid()` after the query; for a query that inserts nothing it
    /// is whatever the connection inserted last.
    public var lastRowId: Int64
    /// `changed_db`: whether the query changed rows, the last row id, or the database size.
    public var changedDb: Bool
    /// `size_after`: the database's size in bytes after the query,
    /// (page_count - freelist_count) * page_size.
    public var sizeAfter: Int64
    /// `rows_read`: rows the query's last statement read (an estimate: see the README).
    public var rowsRead: Int
    /// `rows_written`: rows the query's last statement wrote.
    public var rowsWritten: Int
    /// `served_by_region`: the region of the instance that answered (production: `WNAM`, `ENAM`,
    /// `WEUR`, `EEUR`, `APAC`, `OC`); locally the database's ``D1Database/region``.
    public var servedByRegion: String?
    /// `served_by_primary`: whether the primary answered rather than a read replica; always
    /// `true` locally, where the primary is the only instance.
    public var servedByPrimary: Bool?
    /// `timings`: `{ sql_duration_ms }`, the time spent running the SQL.
    public var timings: D1Timings?
    /// `total_attempts`: how many times the query was tried (production retries some failures
    /// itself); `1` locally.
    public var totalAttempts: Int?

    /// Creates a meta record.
    public init(
        servedBy: String = "edge.db", duration: Double, changes: Int, lastRowId: Int64, changedDb: Bool,
        sizeAfter: Int64, rowsRead: Int, rowsWritten: Int, servedByRegion: String? = nil, servedByPrimary: Bool? = nil,
        timings: D1Timings? = nil, totalAttempts: Int? = nil
    ) {
        self.servedByRegion = servedByRegion
        self.servedByPrimary = servedByPrimary
        self.timings = timings
        self.totalAttempts = totalAttempts
        self.servedBy = servedBy
        self.duration = duration
        self.changes = changes
        self.lastRowId = lastRowId
        self.changedDb = changedDb
        self.sizeAfter = sizeAfter
        self.rowsRead = rowsRead
        self.rowsWritten = rowsWritten
    }

    enum CodingKeys: String, CodingKey {
        case servedBy = "served_by"
        case duration
        case changes
        case lastRowId = "last_row_id"
        case changedDb = "changed_db"
        case sizeAfter = "size_after"
        case rowsRead = "rows_read"
        case rowsWritten = "rows_written"
        case servedByRegion = "served_by_region"
        case servedByPrimary = "served_by_primary"
        case timings
        case totalAttempts = "total_attempts"
    }
}

/// `meta.timings` of a D1 result.
public struct D1Timings: Sendable, Hashable, Codable {
    /// `sql_duration_ms`: milliseconds spent executing the SQL.
    public var sqlDurationMs: Double

    /// Creates a timings record.
    public init(sqlDurationMs: Double) {
        self.sqlDurationMs = sqlDurationMs
    }

    enum CodingKeys: String, CodingKey {
        case sqlDurationMs = "sql_duration_ms"
    }
}

/// What `exec()` returns: Cloudflare's `D1ExecResult`.
public struct D1ExecResult: Sendable, Hashable, Codable {
    /// `count`: the queries executed (non-empty, non-comment lines).
    public var count: Int
    /// `duration`: the sum of the queries' durations, in milliseconds.
    public var duration: Double

    /// Creates an exec result.
    public init(count: Int, duration: Double) {
        self.count = count
        self.duration = duration
    }
}
