import VaporCSQLite

/// The connection's `sqlite3_set_authorizer` callback state and rules (workerd's
/// `SqliteDatabase::isAuthorized` with the `SqlStorageRegulator`).
///
/// SQLite calls the authorizer while it *prepares* a statement (and again if it re-prepares one
/// after a schema change), once per action: each table read, each column written, each function
/// called, each PRAGMA. A denial makes the prepare fail with `not authorized` (`SQLITE_AUTH`).
/// The callback cannot throw a better message, so it records why it refused a transaction
/// statement and ``Connection`` substitutes ``SQLiteError/transactionRefused``.
final class Authorizer {
    var authorization: Authorization = .user
    /// Set when the last denial was a transaction statement.
    var refusedTransaction = false
    /// Set when the statement being prepared is an `ALTER TABLE` (checked for `RENAME TO _cf_...`).
    var sawAlterTable = false

    func beginPrepare() {
        refusedTransaction = false
        sawAlterTable = false
    }

    /// Decides one action; the parameters are the callback's, already converted to Swift.
    func isAuthorized(action: Int32, _ first: String?, _ second: String?, database: String?) -> Bool {
        if authorization == .trusted { return true }
        var (first, second, database) = (first, second, database)
        // For these two actions SQLite passes the database name first and the table second
        // (workerd treats it as a SQLite quirk and swaps them back the same way).
        if action == SQLITE_ALTER_TABLE || action == SQLITE_DETACH {
            (first, second, database) = (second, nil, first)
        }
        if let database {
            if database == "temp" {
                return (action == SQLITE_READ || action == SQLITE_UPDATE) && Self.isAllowedName(first)
            }
            if database != "main" { return false }
        }

        switch action {
        case SQLITE_SELECT, SQLITE_RECURSIVE, SQLITE_ANALYZE:
            // ANALYZE is allowed on every table: `PRAGMA optimize` analyzes all of them, and
            // sqlite_stat1 holds statistics, not data.
            return true
        case SQLITE_CREATE_TABLE, SQLITE_DELETE, SQLITE_DROP_TABLE, SQLITE_INSERT, SQLITE_CREATE_VIEW,
            SQLITE_DROP_VIEW, SQLITE_REINDEX, SQLITE_READ, SQLITE_UPDATE:
            return Self.isAllowedName(first)
        case SQLITE_ALTER_TABLE:
            sawAlterTable = true
            return Self.isAllowedName(first)
        case SQLITE_CREATE_INDEX, SQLITE_DROP_INDEX, SQLITE_CREATE_TRIGGER, SQLITE_DROP_TRIGGER:
            return Self.isAllowedName(first) && Self.isAllowedName(second)
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            refusedTransaction = true
            return false
        case SQLITE_PRAGMA:
            return Self.isAllowedPragma(first ?? "", argument: second)
        case SQLITE_FUNCTION:
            return second.map(Self.isAllowedFunction) ?? false
        case SQLITE_CREATE_VTABLE, SQLITE_DROP_VTABLE:
            guard let module = second?.lowercased(), Self.allowedModules.contains(module) else { return false }
            return Self.isAllowedName(first)
        default:
            // ATTACH, DETACH, TEMP objects, and anything SQLite adds later.
            return false
        }
    }

    /// workerd `SqlStorageRegulator::isAllowedName`: names starting with `_cf_`, in any case,
    /// are reserved for the runtime.
    static func isAllowedName(_ name: String?) -> Bool {
        guard let name else { return false }
        return !name.lowercased().hasPrefix("_cf_")
    }

    /// Whether `sql` renames a table into the reserved `_cf_` namespace.
    ///
    /// workerd patches SQLite so the authorizer sees a RENAME's destination; stock SQLite does not
    /// pass it, so the statement text is checked instead (comments removed, any quoting).
    static func renamesIntoReservedName(_ sql: String) -> Bool {
        let words = SQLScript.tokens(of: sql)
        for index in words.indices.dropLast(2)
        where words[index].lowercased() == "rename" && words[index + 1].lowercased() == "to" {
            let target = words[index + 2].trimmingQuotes()
            if !isAllowedName(target) { return true }
        }
        return false
    }

    // MARK: PRAGMA

    private enum PragmaSignature {
        case noArgument, boolean, objectName, optionalObjectName, optionalNumber, optionalNumberOrObjectName
    }

    private static let allowedPragmas: [String: PragmaSignature] = [
        "data_version": .noArgument,
        // R*Tree reads `PRAGMA page_size` internally; `page_size = N` stays refused.
        "page_size": .noArgument,
        "case_sensitive_like": .boolean,
        "foreign_keys": .boolean,
        "defer_foreign_keys": .boolean,
        "ignore_check_constraints": .boolean,
        "legacy_alter_table": .boolean,
        "recursive_triggers": .boolean,
        "reverse_unordered_selects": .boolean,
        "foreign_key_check": .optionalObjectName,
        "foreign_key_list": .objectName,
        "index_info": .objectName,
        "index_list": .objectName,
        "index_xinfo": .objectName,
        "quick_check": .optionalNumberOrObjectName,
        "optimize": .optionalNumber,
    ]

    // workerd compares pragma names case-sensitively; SQLite itself does not, and neither do we.
    private static func isAllowedPragma(_ name: String, argument: String?) -> Bool {
        let name = name.lowercased()
        if name == "table_list" { return true }
        if name == "table_info" || name == "table_xinfo" { return argument.map { isAllowedName($0) } ?? false }
        guard let signature = allowedPragmas[name] else { return false }
        switch signature {
        case .noArgument:
            return argument == nil
        case .boolean:
            guard var value = argument else { return true }
            if value.count >= 2, let quote = value.first, quote == "'" || quote == "\"", value.last == quote {
                value = String(value.dropFirst().dropLast())
            }
            // workerd compares each spelling as a case-insensitive prefix (strncasecmp).
            let lowered = value.lowercased()
            return ["true", "false", "yes", "no", "on", "off", "1", "0"].contains { lowered.hasPrefix($0) }
        case .objectName:
            return argument.map { isAllowedName($0) } ?? false
        case .optionalObjectName:
            return argument.map { isAllowedName($0) } ?? true
        case .optionalNumber:
            return argument.map { parseInteger($0) != nil } ?? true
        case .optionalNumberOrObjectName:
            guard let argument else { return true }
            if let number = parseInteger(argument), number >= 0 { return true }
            return isAllowedName(argument)
        }
    }

    private static func parseInteger(_ text: String) -> Int32? {
        let lowered = text.lowercased()
        if lowered.hasPrefix("0x") { return Int32(lowered.dropFirst(2), radix: 16) }
        return Int32(text)
    }

    // MARK: Functions and virtual tables

    private static let allowedModules: Set<String> = ["fts5", "fts5vocab", "rtree", "rtree_i32"]

    /// Whether application SQL may call the function `name`, compared as SQLite compares names
    /// (`sqlite3_stricmp`: ASCII letters only), as workerd does since cloudflare/workerd#7192.
    /// Recent SQLite (3.54.1 here) asks the authorizer about the functions of a column's DEFAULT
    /// expression with the name as written (`DEFAULT CURRENT_TIMESTAMP`), elsewhere with its own
    /// lowercase name.
    static func isAllowedFunction(_ name: String) -> Bool {
        if allowedFunctions.contains(name) { return true }
        let folded = String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        return allowedFunctions.contains(folded)
    }

    /// workerd's `ALLOWED_SQLITE_FUNCTIONS` (src/workerd/util/sqlite.c++). Functions this SQLite
    /// build lacks are listed anyway; calling them fails with `no such function`.
    static let allowedFunctions: Set<String> = [
        // Core functions.
        "abs", "changes", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull", "iif",
        "instr", "last_insert_rowid", "length", "like", "likelihood", "likely", "load_extension", "lower",
        "ltrim", "max_scalar", "min_scalar", "nullif", "octet_length", "printf", "quote", "random",
        "randomblob", "replace", "round", "rtrim", "sign", "soundex", "substr", "substring", "total_changes",
        "trim", "typeof", "unhex", "unicode", "unlikely", "upper", "zeroblob",
        // Date and time.
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff", "current_date",
        "current_time", "current_timestamp",
        // Aggregates.
        "avg", "count", "group_concat", "max", "min", "string_agg", "sum", "total",
        // Window functions.
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
        "first_value", "last_value", "nth_value",
        // Math.
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "cos", "cosh", "degrees", "exp",
        "floor", "ln", "log", "log2", "mod", "pi", "pow", "radians", "sin", "sinh", "sqrt", "tan", "tanh",
        "trunc",
        // JSON.
        "json", "jsonb", "json_array", "jsonb_array", "json_array_length", "json_extract", "jsonb_extract",
        "->", "->>", "json_insert", "jsonb_insert", "json_object", "jsonb_object", "json_patch", "jsonb_patch",
        "json_remove", "jsonb_remove", "json_replace", "jsonb_replace", "json_set", "jsonb_set", "json_type",
        "json_valid", "json_quote", "json_group_array", "jsonb_group_array", "json_group_object",
        "jsonb_group_object", "json_each", "json_tree",
        // FTS5 and R*Tree.
        "match", "highlight", "bm25", "snippet", "rtreecheck",
        // Used by ALTER TABLE internally.
        "sqlite_rename_column", "sqlite_rename_table", "sqlite_rename_test", "sqlite_drop_column",
        "sqlite_rename_quotefix",
    ]
}

extension String {
    /// The identifier without one level of SQL quoting (`"x"`, `'x'`, `` `x` ``, `[x]`).
    fileprivate func trimmingQuotes() -> String {
        guard count >= 2, let first, let last else { return self }
        switch (first, last) {
        case ("\"", "\""), ("'", "'"), ("`", "`"), ("[", "]"): return String(dropFirst().dropLast())
        default: return self
        }
    }
}
