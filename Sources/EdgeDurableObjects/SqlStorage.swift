import EdgeSQLite

/// `ctx.storage.sql`: the SQL API of a SQLite-backed Durable Object (Cloudflare's `SqlStorage`).
///
/// `exec` is synchronous. It runs every statement of `query` (separated by `;`), binds
/// `bindings` to the last one, and returns a cursor over the last one's rows. Application SQL
/// may not use `BEGIN`/`SAVEPOINT` (use ``DurableObjectStorage/transactionSync(_:)``), names
/// starting with `_cf_`, `ATTACH`, or PRAGMAs outside D1's list; production's limits apply
/// (100 000-byte statements, 100 parameters, 2 MB values, 100 columns).
public final class SqlStorage: Sendable {
    let file: SQLiteFile
    /// Whether the class is SQLite-backed (`new_sqlite_classes`).
    let enabled: Bool

    init(file: SQLiteFile, enabled: Bool) {
        self.file = file
        self.enabled = enabled
    }

    /// `sql.exec(query, ...bindings)`.
    public func exec(_ query: String, _ bindings: any SqlStorageBindable...) throws -> SqlStorageCursor {
        try exec(query, bindings: bindings.map(\.sqlStorageValue))
    }

    /// `sql.exec(query, ...bindings)` with the bindings as an array.
    public func exec(_ query: String, bindings: [SqlStorageValue]) throws -> SqlStorageCursor {
        guard enabled else { throw DurableObjectError.sqlNotEnabled }
        let result = try file.withConnection { try $0.execute(query, bindings) }
        return SqlStorageCursor(result)
    }

    /// `sql.databaseSize`: the bytes the database's pages hold.
    public var databaseSize: Int {
        get throws {
            guard enabled else { throw DurableObjectError.sqlNotEnabled }
            return Int(try file.withConnection { try $0.databaseSize() })
        }
    }
}
