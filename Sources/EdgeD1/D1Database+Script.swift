import EdgeSQLite
import Foundation

extension D1Database {
    /// Runs a SQL script the way production runs `wrangler d1 execute --remote` (`--command` or
    /// `--file`) and `wrangler d1 migrations apply --remote`.
    ///
    /// The script is split into statements (with SQLite's own tokenizer, so `;` inside strings,
    /// comments and trigger bodies does not split) and all statements run as one ``batch(_:)``,
    /// atomically. Each statement is its own query, with its own limits and meta.
    ///
    /// Transaction statements are refused, wrapper or not: production runs the SQL inside its own
    /// transaction and answers `BEGIN TRANSACTION` with workerd's "To execute a transaction, please
    /// use the state.storage.transaction() ..." (cloudflare/workerd#5411, a migration that applied
    /// with `wrangler --local` and failed when deployed). wrangler's local mode strips one
    /// `BEGIN TRANSACTION;` ... `COMMIT;` wrapper first (workers-sdk `d1/trimmer.ts`); Edge does not,
    /// so such a file fails here as it will in production.
    ///
    /// - Returns: one result per statement.
    /// - Throws: `D1_ERROR` from the failing statement (nothing is kept).
    @discardableResult
    public func executeScript(_ sql: String) async throws(D1Error) -> [D1Result] {
        let statements = SQLScript(sql).statements
        let queries = (statements.isEmpty ? [sql] : statements).map { D1Query(sql: $0, values: []) }
        return try await run(queries).map(\.result)
    }
}
