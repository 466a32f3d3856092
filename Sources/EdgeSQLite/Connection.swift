import CSQLite

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
        let result = sqlite3_open_v2(path, &db, flags, nil)
        guard result == SQLITE_OK, let db else {
            let error = SQLiteError(result: result, db: db)
            sqlite3_close_v2(db)
            throw error
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        let timeout = configuration.busyTimeout.components
        sqlite3_busy_timeout(db, Int32(clamping: timeout.seconds * 1000 + timeout.attoseconds / 1_000_000_000_000_000))
        configuration.limits.apply(to: db)
        Self.enableDefensiveMode(db)
        installAuthorizer(db)
        do {
            try withAuthorization(.trusted) { () throws(SQLiteError) in
                _ = try execute("PRAGMA journal_mode=WAL")
                _ = try execute("PRAGMA synchronous=NORMAL")
                _ = try execute("PRAGMA foreign_keys=ON")
                // Debian's SQLite defaults recursive triggers on; production's build leaves them off.
                _ = try execute("PRAGMA recursive_triggers=OFF")
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
        sqlite3_wal_hook(db, nil, nil)
        cachedStatements = [:]
        preparedStatements = [:]
        sqlite3_set_authorizer(db, nil, nil)
        // close_v2 defers the close until any statement still held elsewhere is finalized.
        sqlite3_close_v2(db)
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
        sqlite3_set_authorizer(db, { context, action, first, second, database, _ in
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
        handle.map { sqlite3_total_changes64($0) } ?? 0
    }

    /// The rowid of the last row inserted into a rowid table on this connection
    /// (`sqlite3_last_insert_rowid`); 0 before any insert.
    public var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Whether a transaction is open (`sqlite3_get_autocommit` is off).
    public var isInTransaction: Bool {
        handle.map { sqlite3_get_autocommit($0) == 0 } ?? false
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

    /// A copy of the whole database as one SQLite file image (`sqlite3_serialize`), as
    /// `sqlite3 .backup` would write it.
    public func serialize() throws(SQLiteError) -> [UInt8] {
        let db = try database()
        var size: sqlite3_int64 = 0
        // sqlite3_serialize reads `PRAGMA page_count` itself, which the user authorizer refuses.
        let data = withAuthorization(.trusted) { sqlite3_serialize(db, "main", &size, 0) }
        guard let data else {
            if size == 0 { return [] }
            throw SQLiteError(code: SQLITE_ERROR, message: "unable to serialize the database")
        }
        defer { sqlite3_free(data) }
        return Array(UnsafeBufferPointer(start: data, count: Int(size)))
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

    // MARK: Defensive mode

    /// Sets `SQLITE_DBCONFIG_DEFENSIVE`, which stops SQL from corrupting the file on purpose
    /// (writable_schema, FTS shadow tables, sqlite_dbpage).
    ///
    /// `sqlite3_db_config` is variadic and Swift cannot call C variadic functions, so it is
    /// called through a fixed prototype where that is the same call: on x86-64 (System V and
    /// macOS) and on Linux arm64, the variadic integer arguments travel in the same registers as
    /// fixed ones. Apple arm64 passes variadic arguments on the stack, so it is skipped there.
    /// A one-line non-variadic wrapper in CSQLite's shim header would remove this.
    private static func enableDefensiveMode(_ db: OpaquePointer) {
        #if arch(x86_64) || (os(Linux) && arch(arm64))
        typealias DBConfigInt = @convention(c) (OpaquePointer?, Int32, Int32, UnsafeMutablePointer<Int32>?) -> Int32
        guard let program = dlopen(nil, RTLD_NOW) else { return }
        defer { dlclose(program) }
        guard let symbol = dlsym(program, "sqlite3_db_config") else { return }
        let dbConfig = unsafeBitCast(symbol, to: DBConfigInt.self)
        _ = dbConfig(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nil)
        #endif
    }
}
