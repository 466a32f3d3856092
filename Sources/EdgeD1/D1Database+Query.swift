import EdgeRuntime
import EdgeSQLite

// The query backend: what Miniflare's `D1DatabaseObject` does with the queries a D1 binding
// sends (`#txn` and `#query` in packages/miniflare/src/workers/d1/database.worker.ts).

/// One SQL text with its bound values, as the binding sends it.
struct D1Query: Sendable {
    var sql: String
    var values: [D1Value]
}

/// A query's outcome with its column names, which `raw(columnNames:)` needs even without rows.
struct D1QueryResult: Sendable {
    var columns: [String]
    var rows: [[D1Value]]
    var meta: D1Meta

    var result: D1Result {
        D1Result(results: rows.map { D1Row(columns: columns, values: $0) }, meta: meta)
    }
}

/// A failed query set: the error and, when a query failed, its index in the (filtered) list.
struct D1QueryFailure: Error {
    var index: Int?
    var error: D1Error
}

extension D1Database {
    /// Runs `queries` in one transaction, dropping comment-only ones first.
    nonisolated(nonsending) func run(_ queries: [D1Query]) async throws(D1Error) -> [D1QueryResult] {
        do {
            return try await runQueries(queries.filter { !SQLScript.isBlank($0.sql) })
        } catch {
            throw error.error
        }
    }

    /// Runs `queries` in one transaction; any failure rolls back all of them. A transaction that
    /// changed the database moves the bookmark on.
    nonisolated(nonsending) func runQueries(_ queries: [D1Query]) async throws(D1QueryFailure) -> [D1QueryResult] {
        guard !queries.isEmpty else { throw D1QueryFailure(index: nil, error: .noStatements) }
        if let faults, IoContext.current != nil { return try await runQueries(queries, faults: faults) }
        return try await transaction(queries)
    }

    /// Runs `queries` in one transaction (the part of ``runQueries(_:)`` a fault can fail after).
    nonisolated(nonsending) func transaction(_ queries: [D1Query]) async throws(D1QueryFailure) -> [D1QueryResult] {
        var current: Int?
        do {
            return try await withConnection { connection throws(D1Error) in
                do {
                    let results = try connection.transaction {
                        // In one transaction the size after a query is the size before the next.
                        var size: Int64?
                        return try queries.enumerated().map { index, query in
                            current = index
                            let result = try connection.run(query, sizeBefore: size, region: region)
                            size = result.sizeAfter
                            return result.outcome
                        }
                    }
                    if results.contains(where: { $0.meta.changedDb || $0.meta.rowsWritten > 0 }) { commitBookmark() }
                    return results
                } catch let error as SQLiteError {
                    throw D1Error(sqlite: error)
                } catch {
                    // `transaction` rethrows untyped; only SQLite errors can arise in it here.
                    throw D1Error(.error, "\(error)")
                }
            }
        } catch {
            throw D1QueryFailure(index: current, error: error)
        }
    }
}

extension Connection {
    /// Runs one query and measures it as Miniflare's `#query` does; `sizeBefore` is the
    /// database size when the caller already knows it (the previous query of the same
    /// transaction measured it).
    fileprivate func run(_ query: D1Query, sizeBefore known: Int64?, region: String) throws(SQLiteError) -> (outcome: D1QueryResult, sizeAfter: Int64) {
        let clock = ContinuousClock()
        let start = clock.now
        let sizeBefore: Int64
        if let known { sizeBefore = known } else { sizeBefore = try databaseSize() }
        let changesBefore = totalChanges
        let lastRowIdBefore = lastInsertRowID

        let outcome = try execute(query.sql, query.values)

        let sizeAfter = try databaseSize()
        let changes = Int(totalChanges - changesBefore)
        let lastRowId = lastInsertRowID
        let elapsed = start.duration(to: clock.now).components
        let duration = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        let meta = D1Meta(
            duration: duration,
            changes: changes,
            lastRowId: lastRowId,
            changedDb: changes != 0 || lastRowId != lastRowIdBefore || sizeAfter != sizeBefore,
            sizeAfter: sizeAfter,
            rowsRead: outcome.rowsRead,
            rowsWritten: outcome.rowsWritten,
            servedByRegion: region,
            servedByPrimary: true,
            timings: D1Timings(sqlDurationMs: duration),
            totalAttempts: 1
        )
        let result = D1QueryResult(
            columns: outcome.columnNames, rows: outcome.rows, meta: meta)
        return (result, sizeAfter)
    }
}
