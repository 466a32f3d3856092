import CSQLite
import VaporCSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connection to one SQLite database file, configured the way D1 and SQLite-backed Durable
/// Objects configure theirs.
///
/// Threading: a connection is not `Sendable` and is not thread-safe. One owner uses it serially,
/// one call at a time; to share it, put it behind a lock (as `D1Database` does with its
/// `SerialAccess`) or inside an actor. It is opened with `SQLITE_OPEN_NOMUTEX`, since that owner already
/// serializes every call. Statements it prepares follow the same rule.
///
/// On opening, the connection sets:
/// - `journal_mode=WAL`: readers never block the writer, and another process (the CLI while the
///   dev server runs) can read and write the same file;
/// - `synchronous=NORMAL`: with WAL, a commit is durable against a crash of this process
///   (kill -9): the WAL is in the OS's page cache and is replayed on the next open. Only an OS
///   crash or a power loss can lose the last commits; the database is never corrupted;
/// - `foreign_keys=ON` and `recursive_triggers=OFF`, as production's SQLite build defaults;
/// - WAL checkpoints on a thread of their own instead of inside a commit (``Checkpointer``);
/// - a busy timeout (default 5 s), so a database another connection has locked makes this one
///   wait, and only then fail with `database is locked` (`SQLITE_BUSY`);
/// - production's ``Limits`` and `SQLITE_DBCONFIG_DEFENSIVE`;
/// - what production's SQLite build has and this one (sqlite-nio's) does not
///   (``configureAsProduction(_:)``): double-quoted string literals, `secure_delete` off, only
///   production's virtual table modules, the math functions (``ProductionFunctions``);
/// - the ``Authorization`` authorizer, in ``Authorization/user`` mode.
public final class Connection {
    /// How a connection is opened.
    public struct Configuration: Sendable, Hashable {
        /// How long a statement waits for a lock held by another connection before failing
        /// with `SQLITE_BUSY`.
        public var busyTimeout: Duration
        /// The `sqlite3_limit` values to apply.
        public var limits: Limits

        /// Production's limits and a 5-second busy timeout, unless given.
        public init(busyTimeout: Duration = .milliseconds(5000), limits: Limits = .production) {
            self.busyTimeout = busyTimeout
            self.limits = limits
        }
    }

    /// The database file's path.
    public let path: String
    /// The open `sqlite3*`, or `nil` once closed.
    private(set) var handle: OpaquePointer?
    let authorizer = Authorizer()
    /// Checkpoints the WAL off the commit path (see ``Checkpointer``).
    let checkpointer: Checkpointer
    /// Internal statements (transaction control, size) kept prepared, keyed by their SQL.
    var cachedStatements: [String: Statement] = [:]
    /// Single statements run by ``execute(_:_:)``, kept prepared for their next run, keyed by
    /// their SQL and the authorization they were prepared under (see `Connection+Execute.swift`).
    var preparedStatements: [PreparedKey: Statement] = [:]
    /// How many ``transaction(_:)`` savepoints are open inside the outer transaction.
    var savepointDepth = 0
    /// `PRAGMA page_size`, read once: SQL run here cannot change it (`page_size = N` is refused),
    /// and workerd's `getPageSize` memoizes it the same way.
    private var pageSize: Int64?

    /// Opens (creating if needed) the database at `path` and configures it.
    ///
    /// The file's directory must exist.
    public init(path: String, configuration: Configuration = Configuration()) throws(SQLiteError) {
        self.path = path
        self.checkpointer = Checkpointer(path: path)
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let result = sqlite_nio_sqlite3_open_v2(path, &db, flags, nil)
        guard result == SQLITE_OK, let db else {
            let error = SQLiteError(result: result, db: db)
            sqlite_nio_sqlite3_close_v2(db)
            throw error
        }
        handle = db
        sqlite_nio_sqlite3_extended_result_codes(db, 1)
        let timeout = configuration.busyTimeout.components
        sqlite_nio_sqlite3_busy_timeout(db, Int32(clamping: timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000))
        configuration.limits.apply(to: db)
        installAuthorizer(db)
        do {
            try Self.configureAsProduction(db)
            try withAuthorization(.trusted) { () throws(SQLiteError) in
                _ = try execute("PRAGMA journal_mode=WAL")
                _ = try execute("PRAGMA synchronous=NORMAL")
                _ = try execute("PRAGMA foreign_keys=ON")
                // Production's build leaves recursive triggers off, as SQLite's default is; said
                // here so the connection does not depend on how its library was compiled.
                _ = try execute("PRAGMA recursive_triggers=OFF")
                // sqlite-nio compiles SQLITE_SECURE_DELETE (deleted content overwritten with
                // zeros); production's build does not, so the default is off there.
                _ = try execute("PRAGMA secure_delete=OFF")
            }
            checkpointer.install(on: db)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Closes the connection. Later calls fail with ``SQLiteError/connectionClosed``; closing
    /// twice is harmless.
    public func close() {
        guard let db = handle else { return }
        // The checkpoint thread's connection first: the last one to close checkpoints and
        // removes the WAL.
        checkpointer.close()
        sqlite_nio_sqlite3_wal_hook(db, nil, nil)
        cachedStatements = [:]
        preparedStatements = [:]
        sqlite_nio_sqlite3_set_authorizer(db, nil, nil)
        // close_v2 defers the close until any statement still held elsewhere is finalized.
        sqlite_nio_sqlite3_close_v2(db)
        handle = nil
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { handle == nil }

    func database() throws(SQLiteError) -> OpaquePointer {
        guard let handle else { throw .connectionClosed }
        return handle
    }

    // MARK: Authorization

    /// Whose SQL the connection is running: ``Authorization/user`` (the default) applies
    /// workerd's authorizer rules, ``Authorization/trusted`` lifts them.
    public var authorization: Authorization {
        get { authorizer.authorization }
        set { authorizer.authorization = newValue }
    }

    /// Runs `body` with ``authorization`` set to `authorization`, then restores it.
    public func withAuthorization<T, E: Error>(
        _ authorization: Authorization, _ body: () throws(E) -> T
    ) throws(E) -> T {
        let saved = authorizer.authorization
        authorizer.authorization = authorization
        defer { authorizer.authorization = saved }
        return try body()
    }

    private func installAuthorizer(_ db: OpaquePointer) {
        let context = Unmanaged.passUnretained(authorizer).toOpaque()
        sqlite_nio_sqlite3_set_authorizer(db, { context, action, first, second, database, _ in
            guard let context else { return SQLITE_DENY }
            let authorizer = Unmanaged<Authorizer>.fromOpaque(context).takeUnretainedValue()
            let allowed = authorizer.isAuthorized(
                action: action, first.map { String(cString: $0) }, second.map { String(cString: $0) },
                database: database.map { String(cString: $0) })
            return allowed ? SQLITE_OK : SQLITE_DENY
        }, context)
    }

    // MARK: State

    /// Rows changed by every INSERT, UPDATE and DELETE since the connection opened, including
    /// trigger and foreign-key actions (`sqlite3_total_changes64`).
    public var totalChanges: Int64 {
        handle.map { sqlite_nio_sqlite3_total_changes64($0) } ?? 0
    }

    /// The rowid of the last row inserted into a rowid table on this connection
    /// (`sqlite3_last_insert_rowid`); 0 before any insert.
    public var lastInsertRowID: Int64 {
        handle.map { sqlite_nio_sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Whether a transaction is open (`sqlite3_get_autocommit` is off).
    public var isInTransaction: Bool {
        handle.map { sqlite_nio_sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// The bytes the database's pages hold: (page_count - freelist_count) * page_size, as
    /// workerd's `SqlStorage::getDatabaseSize` computes it.
    ///
    ///
    /// D1 reads it before and after every query (`meta.size_after`, `changed_db`). SQLite
    /// prepares a PRAGMA again each time it runs (and the `pragma_page_count()` functions prepare
    /// theirs on every scan), so this is the costliest part of a small query: the page size is
    /// read once, leaving two PRAGMAs per call.
    public func databaseSize() throws(SQLiteError) -> Int64 {
        let pageSize: Int64
        if let known = self.pageSize {
            pageSize = known
        } else {
            guard case .integer(let size) = try runInternal("PRAGMA page_size").first?[0] else { return 0 }
            pageSize = size
            self.pageSize = size
        }
        guard case .integer(let pages) = try runInternal("PRAGMA page_count").first?[0],
            case .integer(let free) = try runInternal("PRAGMA freelist_count").first?[0]
        else { return 0 }
        return (pages - free) * pageSize
    }

    /// A copy of the whole database as one SQLite file image, page for page, as `sqlite3 .backup`
    /// would write it.
    ///
    /// sqlite-nio's SQLite omits `sqlite3_serialize` (`SQLITE_OMIT_DESERIALIZE`), so the pages go
    /// through SQLite's online backup API into a temporary file, which is read and removed.
    public func serialize() throws(SQLiteError) -> [UInt8] {
        let db = try database()
        return try DatabaseImage.copy(of: db)
    }

    /// Runs one internal statement, kept prepared, in trusted mode; returns its rows.
    func runInternal(_ sql: String) throws(SQLiteError) -> [[SQLiteValue]] {
        try withAuthorization(.trusted) { () throws(SQLiteError) in
            let statement: Statement
            if let cached = cachedStatements[sql] {
                statement = cached
            } else {
                statement = try prepare(sql, persistent: true)
                cachedStatements[sql] = statement
            }
            defer { statement.reset() }
            return try statement.rows()
        }
    }

    // MARK: Production's build

    /// The virtual table modules production's SQLite has: workerd's build enables FTS5 and R*Tree
    /// besides SQLite's built-in JSON table functions (`build/BUILD.sqlite3`). sqlite-nio's adds
    /// FTS3/FTS4, `dbstat` and `sqlite_stmt`, which production answers with `no such table` or
    /// `no such module`; they are dropped from each connection.
    static let productionModules = [
        "json_each", "json_tree", "jsonb_each", "jsonb_tree", "fts5", "fts5vocab", "rtree", "rtree_i32",
    ]

    /// Sets what production's SQLite build has and sqlite-nio's does not, where SQLite lets a
    /// connection set it:
    /// - `SQLITE_DBCONFIG_DEFENSIVE`, as workerd's `SqliteDatabase::setupSecurity` sets it;
    /// - double-quoted string literals in DML and DDL (`SQLITE_DBCONFIG_DQS_DML`/`_DDL`):
    ///   workerd's build leaves `SQLITE_DQS` at SQLite's default (3, both allowed), so
    ///   `SELECT "x"` with no column `x` is the text `x` there; sqlite-nio compiles `SQLITE_DQS=0`;
    /// - only ``productionModules`` (`sqlite3_drop_modules`);
    /// - the math functions and `load_extension` (``ProductionFunctions``).
    static func configureAsProduction(_ db: OpaquePointer) throws(SQLiteError) {
        for option in [SQLITE_DBCONFIG_DEFENSIVE, SQLITE_DBCONFIG_DQS_DML, SQLITE_DBCONFIG_DQS_DDL] {
            let result = edge_sqlite3_db_config_int(db, option, 1, nil)
            guard result == SQLITE_OK else { throw SQLiteError(result: result, db: db) }
        }
        var keep = productionModules.map { strdup($0) } + [nil]
        defer { keep.forEach { free($0) } }
        let result = keep.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { sqlite_nio_sqlite3_drop_modules(db, $0.baseAddress) }
        }
        guard result == SQLITE_OK else { throw SQLiteError(result: result, db: db) }
        try ProductionFunctions.register(on: db)
    }
}
