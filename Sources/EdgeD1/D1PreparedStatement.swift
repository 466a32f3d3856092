import EdgeRuntime
import Foundation

/// A SQL statement with its bound values, run by one of its methods.
///
/// Mirrors Cloudflare's `D1PreparedStatement`. `bind` returns a new statement, so one prepared
/// statement can be bound several times, for example to build a ``D1Database/batch(_:)``. The
/// SQL is checked only when the statement runs: a syntax error, an unknown table or a wrong
/// number of values (`D1_ERROR: Wrong number of parameter bindings for SQL query.`) surfaces
/// then. Placeholders are `?` and `?NNN`; with `?3`, exactly three values are expected. The SQL
/// may hold several statements: they all run, only the last may have placeholders, and the
/// result is the last one's.
public struct D1PreparedStatement: Sendable {
    /// The database the statement was prepared on.
    public let database: D1Database
    /// The SQL text (`statement` in JavaScript).
    public let sql: String
    /// The bound values (`params` in JavaScript).
    public let values: [D1Value]
    /// The session that prepared the statement, whose bookmark its results move on.
    let session: D1DatabaseSession?

    init(database: D1Database, sql: String, values: [D1Value], session: D1DatabaseSession? = nil) {
        self.database = database
        self.sql = sql
        self.values = values
        self.session = session
    }

    var query: D1Query { D1Query(sql: sql, values: values) }

    // MARK: Binding

    /// A new statement with `values` bound to parameters 1...n (mirrors `bind(...values)`).
    ///
    /// `nil` binds NULL. A byte-array literal needs its type, `[1, 2, 3] as [UInt8]`, to bind
    /// one BLOB (as JavaScript's `bind([1, 2, 3])` does) rather than three integers.
    ///
    /// - Throws: `D1_TYPE_ERROR: Type 'number' not supported for value 'NaN'` for a NaN or
    ///   infinite `Double` (JavaScript's D1 would send it as JSON `null`; Edge refuses it).
    public func bind(_ values: (any D1Bindable)?...) throws(D1Error) -> D1PreparedStatement {
        try bind(values)
    }

    /// A new statement with the values of an array bound to parameters 1...n.
    public func bind(_ values: [(any D1Bindable)?]) throws(D1Error) -> D1PreparedStatement {
        var bound: [D1Value] = []
        for value in values {
            bound.append(try Self.checked(value?.d1Value ?? .null))
        }
        return D1PreparedStatement(database: database, sql: sql, values: bound, session: session)
    }

    /// A new statement with values of types known only at run time (decoded JSON, a generic
    /// bridge) bound to parameters 1...n; each must be `nil` or ``D1Bindable``.
    ///
    /// - Throws: `D1_TYPE_ERROR: Type '<type>' not supported for value '<value>'` for any other
    ///   value, such as a `Date`, as D1 throws for a JavaScript `Date` or `bigint`.
    public func bind(dynamic values: [(any Sendable)?]) throws(D1Error) -> D1PreparedStatement {
        var bindable: [(any D1Bindable)?] = []
        for value in values {
            guard let value else {
                bindable.append(nil)
                continue
            }
            guard let value = value as? any D1Bindable else {
                throw D1Error(.typeError, "Type '\(type(of: value))' not supported for value '\(value)'")
            }
            bindable.append(value)
        }
        return try bind(bindable)
    }

    private static func checked(_ value: D1Value) throws(D1Error) -> D1Value {
        if case .real(let number) = value, !number.isFinite {
            throw D1Error(.typeError, "Type 'number' not supported for value '\(JSONWriter.javaScriptString(number))'")
        }
        return value
    }

    // MARK: Running

    /// Runs the statement and returns its first row, or `nil` when it returns none (mirrors
    /// `first()`). No `LIMIT 1` is added; a write still runs, and returns `nil`.
    public func first() async throws(D1Error) -> D1Row? {
        try await runOne().result.results.first
    }

    /// Runs the statement and returns column `column` of its first row, or `nil` when it
    /// returns no row (mirrors `first(column)`). A SQL NULL is ``D1Value/null``.
    ///
    /// - Throws: `D1_COLUMN_NOTFOUND: Column not found (<column>)` when the row has no such
    ///   column.
    public func first(_ column: String) async throws(D1Error) -> D1Value? {
        guard let row = try await first() else { return nil }
        guard let value = row[column] else { throw D1Error(.columnNotFound, "Column not found (\(column))") }
        return value
    }

    /// Runs the statement and decodes its first row as `T`, or returns `nil` when it returns
    /// none (mirrors `first<T>()`). A one-column row also decodes as a plain value, so
    /// `SELECT count(*) ...` reads with `first(as: Int.self)`.
    public func first<T: Decodable>(as type: T.Type) async throws -> T? {
        try await first()?.decode(as: T.self)
    }

    /// Runs the statement and decodes column `column` of its first row as `T`, or returns `nil`
    /// when it returns no row (mirrors `first<T>(column)`).
    public func first<T: Decodable>(_ column: String, as type: T.Type) async throws -> T? {
        guard let row = try await first() else { return nil }
        guard let value = row[column] else { throw D1Error(.columnNotFound, "Column not found (\(column))") }
        return try value.decode(as: T.self, column: column)
    }

    /// Runs the statement and returns all its rows with `meta` (mirrors `all()`).
    public func all() async throws(D1Error) -> D1Result {
        try await runOne().result
    }

    /// Runs the statement and decodes all its rows as `T` (mirrors `all<T>()`):
    /// `try await stmt.all(as: Order.self).results` is `[Order]`.
    ///
    /// - Throws: ``D1Error``, or a `DecodingError` naming the column that did not decode.
    public func all<T: Decodable>(as type: T.Type) async throws -> D1TypedResult<T> {
        let result = try await all()
        return D1TypedResult(
            results: try result.results.map { try $0.decode(as: T.self) }, success: result.success, meta: result.meta)
    }

    /// Runs the statement and returns its rows as arrays of values, without `meta` (mirrors
    /// `raw({columnNames})`). With `columnNames`, the first array holds the column names, every
    /// duplicate kept; it is there even when no row is returned (empty for a write).
    public func raw(columnNames: Bool = false) async throws(D1Error) -> [[D1Value]] {
        let outcome = try await runOne()
        return (columnNames ? [outcome.columns.map(D1Value.text)] : []) + outcome.rows
    }

    /// Runs the statement and returns the same shape as ``all()`` (mirrors `run()`); `results`
    /// is `[]` for a write without `RETURNING`.
    @discardableResult
    public func run() async throws(D1Error) -> D1Result {
        try await runOne().result
    }

    private func runOne() async throws(D1Error) -> D1QueryResult {
        let outcomes = try await database.run([query])
        session?.observe(database.bookmark)
        guard let outcome = outcomes.first else { throw D1Error.noStatements }
        return outcome
    }
}
