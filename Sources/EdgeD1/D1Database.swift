import EdgeRuntime
import EdgeSQLite
import Foundation
import Synchronization

/// A D1 database on a local SQLite file.
///
/// Mirrors Cloudflare's `D1Database` binding (`env.DB`): ``prepare(_:)``, ``batch(_:)``,
/// ``exec(_:)`` and ``dump()``, with D1's semantics and error texts as Miniflare reproduces them
/// (see `reference/workers-d1.md` §2). Every query runs in its own transaction, as Miniflare
/// runs it inside `transactionSync`; a batch runs in one.
///
/// One SQLite connection serves the database, one caller at a time (``SerialAccess``). The async
/// methods run their SQLite work synchronously on the caller's thread, without hopping to another
/// executor: a query takes microseconds, far less than a thread hop would; a caller that finds
/// the connection busy is suspended, not blocked, until it is handed over. The exception is a
/// database another process has locked (the CLI writing while the dev server runs): then the
/// call waits in SQLite's busy handler, up to the busy timeout (5 s by default), before failing
/// with `D1_ERROR: database is locked: SQLITE_BUSY`.
public final class D1Database: Sendable {
    /// The database's name (`database_name`, or the binding name when there is none).
    public let name: String
    /// The SQLite file.
    public let path: URL
    /// The region `meta.served_by_region` reports: production names the region of the instance
    /// that answered; locally the one instance is the primary, reported in this region.
    public let region: String
    /// The emulator's fault plan; `nil` (the default) asks nothing.
    let faults: FaultPlan?
    private let connection: Mutex<Connection?>
    private let access = SerialAccess()
    /// The last commit's number, behind ``D1DatabaseSession/getBookmark()``: microseconds since
    /// 1970 when the database opened or last changed, at least one more than the previous one.
    private let commits: Mutex<UInt64>

    /// Opens (creating it and its directories if needed) the database file at `path`.
    ///
    /// - Parameters:
    ///   - path: the SQLite file, usually ``path(stateRoot:databaseName:)``.
    ///   - name: the database's name, for messages.
    ///   - busyTimeout: how long a query waits for another connection's lock before failing.
    ///   - region: what `meta.served_by_region` reports (production's docs show `WEUR`).
    /// - Throws: `D1_ERROR` when the file cannot be created or opened.
    public convenience init(path: URL, name: String, busyTimeout: Duration = .milliseconds(5000), region: String = "WEUR") throws(D1Error) {
        try self.init(path: path, name: name, busyTimeout: busyTimeout, region: region, faults: nil)
    }

    /// Opens the database as ``init(path:name:busyTimeout:region:)`` does, with the emulator's
    /// fault plan, which handler code's queries ask (`D1Database+Faults.swift`).
    package init(path: URL, name: String, busyTimeout: Duration = .milliseconds(5000), region: String = "WEUR", faults: FaultPlan?) throws(D1Error) {
        self.faults = faults
        self.name = name
        self.path = path
        self.region = region
        commits = Mutex(Self.microsecondsNow())
        do {
            try FileManager.default.createDirectory(
                at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw D1Error(.error, "Could not create the directory for D1 database '\(name)' at \(path.path): \(error)")
        }
        do {
            let opened = try Connection(path: path.path, configuration: .init(busyTimeout: busyTimeout))
            connection = Mutex(opened)
        } catch {
            throw D1Error(sqlite: error)
        }
    }

    /// Where a database's file lives in a state directory: `<stateRoot>/d1/<databaseName>.sqlite`.
    ///
    /// `databaseName` is the binding's `database_name`, or its `binding` when it has none. Any name
    /// stays one file inside `<stateRoot>/d1/`: a name with `/`, `..` or other characters a path
    /// cannot hold as written is escaped (`my%2F Database.sqlite`), a very long one hashed; a
    /// name that is already safe is used as written (see `StateFileName`).
    public static func path(stateRoot: URL, databaseName: String) -> URL {
        stateRoot.appendingPathComponent("d1", isDirectory: true)
            .appendingPathComponent("\(StateFileName.component(for: databaseName)).sqlite", isDirectory: false)
    }

    /// A statement for `sql`, not yet run (mirrors `D1Database.prepare`). Nothing is checked
    /// until it runs.
    public func prepare(_ sql: String) -> D1PreparedStatement {
        D1PreparedStatement(database: self, sql: sql, values: [])
    }

    /// Runs `statements` in order, as one transaction: if one fails, none of their changes are
    /// kept and the error is thrown (mirrors `D1Database.batch`).
    ///
    /// Statements whose SQL holds only comments are dropped, as Miniflare drops them, so they
    /// have no result.
    ///
    /// - Throws: `D1_ERROR: No SQL statements detected.` for an empty batch; the failing
    ///   statement's `D1_ERROR` otherwise.
    @discardableResult
    public func batch(_ statements: [D1PreparedStatement]) async throws(D1Error) -> [D1Result] {
        try await run(statements.map(\.query)).map(\.result)
    }

    /// Runs `sql` one line at a time, each line its own query, without bindings (mirrors
    /// `D1Database.exec`).
    ///
    /// As in D1, the text is split on `"\n"`, so a statement spanning lines breaks; empty and
    /// comment-only lines are skipped. The lines run in one transaction, as Miniflare runs them.
    ///
    /// - Returns: the number of lines executed and the sum of their durations.
    /// - Throws: `D1_EXEC_ERROR: Error in line <n>: <line>: <message>`. D1 always reports line 1
    ///   and the first line here, because its backend returns only the first error; this one
    ///   names the line that failed.
    @discardableResult
    public func exec(_ sql: String) async throws(D1Error) -> D1ExecResult {
        let lines = sql.trimmingWhitespace().unicodeScalars
            .split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        let numbered = lines.enumerated().filter { !SQLScript.isBlank($0.element) }
        guard !numbered.isEmpty else {
            throw D1Error(.execError, "Error in line 1: \(lines[0]): \(D1Error.noStatements.message)")
        }
        do throws(D1QueryFailure) {
            let results = try await runQueries(numbered.map { D1Query(sql: $0.element, values: []) })
            return D1ExecResult(count: results.count, duration: results.reduce(0) { $0 + $1.meta.duration })
        } catch {
            let line = error.index.map { numbered[$0].offset } ?? 0
            throw D1Error(.execError, "Error in line \(line + 1): \(lines[line]): \(error.error.message)")
        }
    }

    /// The whole database as a SQLite file image (mirrors the deprecated `D1Database.dump`,
    /// which production serves only for alpha databases).
    ///
    /// - Throws: `D1_DUMP_ERROR` when the database cannot be read.
    public func dump() async throws(D1Error) -> [UInt8] {
        let image = try await withConnection { connection in
            Result { () throws(SQLiteError) in try connection.serialize() }
        }
        switch image {
        case .success(let bytes): return bytes
        case .failure(let error): throw D1Error(.dumpError, sqlite: error)
        }
    }

    /// A session (mirrors `D1Database.withSession(constraintOrBookmark)`): `"first-primary"`,
    /// `"first-unconstrained"` (also for `nil` or blank text), or a bookmark from
    /// ``D1DatabaseSession/getBookmark()`` of an earlier session, whose reads then see at least
    /// what that session had seen.
    public func withSession(_ constraintOrBookmark: String? = nil) -> D1DatabaseSession {
        let trimmed = constraintOrBookmark?.trimmingWhitespace() ?? ""
        return D1DatabaseSession(database: self, constraintOrBookmark: trimmed.isEmpty ? D1DatabaseSession.firstUnconstrained : trimmed)
    }

    /// The bookmark of the database's current state: its last commit number as 16 hex digits,
    /// so that later bookmarks sort after earlier ones, as production's do.
    var bookmark: String {
        let number = commits.withLock { $0 }
        let hex = String(number, radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    /// Moves the bookmark on after a transaction that changed the database.
    func commitBookmark() {
        let now = Self.microsecondsNow()
        commits.withLock { $0 = max($0 + 1, now) }
    }

    private static func microsecondsNow() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1_000_000))
    }

    /// Closes the database file. Later calls fail with `D1_ERROR: D1 database '<name>' is closed.`
    public func close() {
        connection.withLock { connection in
            connection?.close()
            connection = nil
        }
    }

    /// Runs `body` with the open connection, once the callers before it are done.
    nonisolated(nonsending) func withConnection<T: Sendable>(
        _ body: (Connection) throws(D1Error) -> T
    ) async throws(D1Error) -> T {
        try await access.run { () throws(D1Error) -> T in
            try connection.withLock { connection throws(D1Error) -> T in
                guard let connection else { throw D1Error(.error, "D1 database '\(name)' is closed.") }
                return try body(connection)
            }
        }
    }
}

extension String {
    /// The string without leading and trailing whitespace, as JavaScript's `trim()`.
    fileprivate func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
