import VaporCSQLite

// SQLite keeps the names of its result codes internal; these tables are the public list
// (https://www.sqlite.org/rescode.html), as workerd's `namedErrorCode` and
// `namedExtendedErrorCode` spell them.
extension SQLiteError {
    /// The symbolic name of a primary result code, such as `SQLITE_BUSY`.
    public static func name(ofPrimaryCode code: Int32) -> String {
        switch code {
        case SQLITE_OK: "SQLITE_OK"
        case SQLITE_ERROR: "SQLITE_ERROR"
        case SQLITE_INTERNAL: "SQLITE_INTERNAL"
        case SQLITE_PERM: "SQLITE_PERM"
        case SQLITE_ABORT: "SQLITE_ABORT"
        case SQLITE_BUSY: "SQLITE_BUSY"
        case SQLITE_LOCKED: "SQLITE_LOCKED"
        case SQLITE_NOMEM: "SQLITE_NOMEM"
        case SQLITE_READONLY: "SQLITE_READONLY"
        case SQLITE_INTERRUPT: "SQLITE_INTERRUPT"
        case SQLITE_IOERR: "SQLITE_IOERR"
        case SQLITE_CORRUPT: "SQLITE_CORRUPT"
        case SQLITE_NOTFOUND: "SQLITE_NOTFOUND"
        case SQLITE_FULL: "SQLITE_FULL"
        case SQLITE_CANTOPEN: "SQLITE_CANTOPEN"
        case SQLITE_PROTOCOL: "SQLITE_PROTOCOL"
        case SQLITE_EMPTY: "SQLITE_EMPTY"
        case SQLITE_SCHEMA: "SQLITE_SCHEMA"
        case SQLITE_TOOBIG: "SQLITE_TOOBIG"
        case SQLITE_CONSTRAINT: "SQLITE_CONSTRAINT"
        case SQLITE_MISMATCH: "SQLITE_MISMATCH"
        case SQLITE_MISUSE: "SQLITE_MISUSE"
        case SQLITE_NOLFS: "SQLITE_NOLFS"
        case SQLITE_AUTH: "SQLITE_AUTH"
        case SQLITE_FORMAT: "SQLITE_FORMAT"
        case SQLITE_RANGE: "SQLITE_RANGE"
        case SQLITE_NOTADB: "SQLITE_NOTADB"
        case SQLITE_NOTICE: "SQLITE_NOTICE"
        case SQLITE_WARNING: "SQLITE_WARNING"
        case SQLITE_ROW: "SQLITE_ROW"
        case SQLITE_DONE: "SQLITE_DONE"
        default: "SQLITE_UNKNOWN_ERROR_CODE(\(code))"
        }
    }

    /// The symbolic name of an extended result code, such as `SQLITE_CONSTRAINT_UNIQUE`, or `nil`
    /// for a code this table does not know.
    public static func name(ofExtendedCode code: Int32) -> String? {
        extendedCodeNames[code]
    }

    private static let extendedCodeNames: [Int32: String] = {
        let primary: [(Int32, String)] = [
            (SQLITE_ERROR, "SQLITE_ERROR"), (SQLITE_IOERR, "SQLITE_IOERR"), (SQLITE_LOCKED, "SQLITE_LOCKED"),
            (SQLITE_BUSY, "SQLITE_BUSY"), (SQLITE_CANTOPEN, "SQLITE_CANTOPEN"), (SQLITE_CORRUPT, "SQLITE_CORRUPT"),
            (SQLITE_READONLY, "SQLITE_READONLY"), (SQLITE_ABORT, "SQLITE_ABORT"),
            (SQLITE_CONSTRAINT, "SQLITE_CONSTRAINT"), (SQLITE_NOTICE, "SQLITE_NOTICE"),
            (SQLITE_WARNING, "SQLITE_WARNING"), (SQLITE_AUTH, "SQLITE_AUTH"), (SQLITE_OK, "SQLITE_OK"),
        ]
        // Extended code = primary | (n << 8); the suffixes are in order of n, from sqlite3.h.
        let suffixes: [Int32: [String?]] = [
            SQLITE_ERROR: [nil, "MISSING_COLLSEQ", "RETRY", "SNAPSHOT"],
            SQLITE_IOERR: [
                nil, "READ", "SHORT_READ", "WRITE", "FSYNC", "DIR_FSYNC", "TRUNCATE", "FSTAT", "UNLOCK",
                "RDLOCK", "DELETE", "BLOCKED", "NOMEM", "ACCESS", "CHECKRESERVEDLOCK", "LOCK", "CLOSE",
                "DIR_CLOSE", "SHMOPEN", "SHMSIZE", "SHMLOCK", "SHMMAP", "SEEK", "DELETE_NOENT", "MMAP",
                "GETTEMPPATH", "CONVPATH", "VNODE", "AUTH", "BEGIN_ATOMIC", "COMMIT_ATOMIC",
                "ROLLBACK_ATOMIC", "DATA", "CORRUPTFS",
            ],
            SQLITE_LOCKED: [nil, "SHAREDCACHE", "VTAB"],
            SQLITE_BUSY: [nil, "RECOVERY", "SNAPSHOT", "TIMEOUT"],
            SQLITE_CANTOPEN: [nil, "NOTEMPDIR", "ISDIR", "FULLPATH", "CONVPATH", "DIRTYWAL", "SYMLINK"],
            SQLITE_CORRUPT: [nil, "VTAB", "SEQUENCE", "INDEX"],
            SQLITE_READONLY: [nil, "RECOVERY", "CANTLOCK", "ROLLBACK", "DBMOVED", "CANTINIT", "DIRECTORY"],
            SQLITE_ABORT: [nil, nil, "ROLLBACK"],
            SQLITE_CONSTRAINT: [
                nil, "CHECK", "COMMITHOOK", "FOREIGNKEY", "FUNCTION", "NOTNULL", "PRIMARYKEY", "TRIGGER",
                "UNIQUE", "VTAB", "ROWID", "PINNED", "DATATYPE",
            ],
            SQLITE_NOTICE: [nil, "RECOVER_WAL", "RECOVER_ROLLBACK"],
            SQLITE_WARNING: [nil, "AUTOINDEX"],
            SQLITE_AUTH: [nil, "USER"],
            SQLITE_OK: [nil, "LOAD_PERMANENTLY"],
        ]
        var names: [Int32: String] = [:]
        for (code, name) in primary {
            for (index, suffix) in (suffixes[code] ?? []).enumerated() {
                guard let suffix else { continue }
                names[code | Int32(index << 8)] = "\(name)_\(suffix)"
            }
        }
        return names
    }()
}
