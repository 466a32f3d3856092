import EdgeSQLite
import Foundation

extension D1Database {
    /// Runs a SQL script the way `wrangler d1 execute --local` runs `--command` or `--file`, and
    /// the way `wrangler d1 migrations apply` runs a migration.
    ///
    /// As wrangler does: one `BEGIN TRANSACTION;` ... `COMMIT;` wrapper (as `sqlite3 .dump` writes
    /// it) is stripped; the script is split into statements (with SQLite's own tokenizer, so `;`
    /// inside strings, comments and trigger bodies does not split); and all statements run as one
    /// ``batch(_:)``, atomically. Each statement is its own query, with its own limits and meta.
    ///
    /// - Returns: one result per statement.
    /// - Throws: `D1_ERROR` from the failing statement (nothing is kept); `D1_ERROR` when a
    ///   second transaction remains after stripping one.
    @discardableResult
    public func executeScript(_ sql: String) async throws(D1Error) -> [D1Result] {
        let script = try Self.strippingTransactionWrapper(sql)
        let statements = SQLScript(script).statements
        let queries = (statements.isEmpty ? [script] : statements).map { D1Query(sql: $0, values: []) }
        return try await run(queries).map(\.result)
    }

    /// wrangler's `trimSqlQuery`: when the text mentions `BEGIN TRANSACTION`, drop the first
    /// `BEGIN TRANSACTION;` and the first `COMMIT;` (exact case, as wrangler matches them).
    static func strippingTransactionWrapper(_ sql: String) throws(D1Error) -> String {
        guard sql.contains("BEGIN TRANSACTION") else { return sql }
        var trimmed = sql
        if let begin = trimmed.range(of: "BEGIN TRANSACTION;") { trimmed.removeSubrange(begin) }
        if let commit = trimmed.range(of: "COMMIT;") { trimmed.removeSubrange(commit) }
        if trimmed.contains("BEGIN TRANSACTION") {
            throw D1Error(
                .error,
                "Could not process the provided SQL, as it contains several transactions.\n"
                    + "D1 runs your SQL in a transaction for you.\n"
                    + "Please export an SQL file from your SQLite database and try again.")
        }
        return trimmed
    }
}
