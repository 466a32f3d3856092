/// Whose SQL a statement is, which decides what the connection's authorizer lets it do.
///
/// Every connection installs an authorizer (`sqlite3_set_authorizer`) that applies workerd's
/// rules for SQL written by applications (``user``), and steps aside for SQL written by this
/// runtime (``trusted``). Switch with ``Connection/authorization`` or, for a scope,
/// ``Connection/withAuthorization(_:_:)``.
public enum Authorization: Sendable, Hashable {
    /// SQL from an application, checked as workerd's `SqlStorageRegulator` checks D1 and Durable
    /// Object SQL:
    /// - `BEGIN`, `COMMIT`, `ROLLBACK`, `SAVEPOINT` and `RELEASE` are refused with
    ///   ``SQLiteError/transactionRefused`` (transactions belong to the runtime's API);
    /// - tables, indexes, triggers and views whose names start with `_cf_` (any case) are reserved:
    ///   creating, reading, writing, dropping or renaming them is refused;
    /// - only the PRAGMAs D1 documents are allowed: `table_list`, `table_info(t)`,
    ///   `table_xinfo(t)`, `index_list(t)`, `index_info(i)`, `index_xinfo(i)`,
    ///   `foreign_key_check[(t)]`, `foreign_key_list(t)`, `quick_check[(t|n)]`, `optimize[(n)]`,
    ///   `data_version` and `page_size` without argument, and the boolean toggles
    ///   `case_sensitive_like`, `foreign_keys`, `defer_foreign_keys`, `ignore_check_constraints`,
    ///   `legacy_alter_table`, `recursive_triggers`, `reverse_unordered_selects`;
    /// - only workerd's allowlisted SQL functions may be called (no `sqlite_version()`,
    ///   `sqlite_source_id()`, `sqlite_compileoption_*`);
    /// - no ATTACH/DETACH, no TEMP objects, and no virtual tables other than FTS5 and R*Tree.
    ///
    /// Anything else refused fails as SQLite reports it: `not authorized` with `SQLITE_AUTH`.
    case user
    /// SQL from this runtime itself (Durable Object storage's `_cf_KV` table, D1's bookkeeping,
    /// transaction control): nothing is refused.
    case trusted
}
