import EdgeRuntime

// D1 under a fault plan: production's transient errors, before or after the commit.
//
// Asked for queries made by handler code only (a worker invocation or a Durable Object event:
// `IoContext.current` is set), so migrations at start and a test reading the database directly
// see no faults.
//
// | kind | when | error |
// |---|---|---|
// | `d1-before-commit` | before the transaction runs: nothing is written | `D1_ERROR: ` one of D1's transient texts (`transientBeforeCommit`) |
// | `d1-after-commit` | after the transaction committed: everything is written | `D1_ERROR: ` one of the texts that can follow a commit (`transientAfterCommit`) |
// | `slow-io` | before the transaction | none; it waits `slowIODelay` first |
//
// The caller cannot tell the two apart, which is the point: a write retried after either must be
// idempotent. As production's D1 does, a read-only query (every statement starts with SELECT,
// EXPLAIN or WITH and writes nothing) is retried by D1 itself up to two more times before its
// error reaches the caller ("D1 automatically retries read-only queries", Cloudflare changelog
// 2025-09-11); `meta.total_attempts` counts the attempts.

extension D1Database {
    /// D1's retryable errors that fail a query before it runs (the "List of D1_ERRORs" of
    /// developers.cloudflare.com/d1/observability/debug-d1/, whose recommended action is retry).
    package static let transientBeforeCommit = [
        "Network connection lost.",
        "D1 DB is overloaded. Requests queued for too long.",
        "D1 DB is overloaded. Too many requests queued.",
        "D1 DB reset because its code was updated.",
        "Internal error while starting up D1 DB storage caused object to be reset.",
        "Cannot resolve D1 DB due to transient issue on remote node.",
    ]

    /// The texts of the same list that can reach a caller whose write already committed: the
    /// connection or the database went away before the answer did.
    package static let transientAfterCommit = [
        "Network connection lost.",
        "Internal error in D1 DB storage caused object to be reset.",
        "D1 DB reset because its code was updated.",
    ]

    /// The attempts production's D1 makes for a read-only query (the first and two retries).
    static let readOnlyAttempts = 3

    /// ``runQueries(_:)`` with the plan's D1 faults.
    nonisolated(nonsending) func runQueries(_ queries: [D1Query], faults: FaultPlan) async throws(D1QueryFailure) -> [D1QueryResult] {
        faults.atObjectAwait()
        await faults.slowIO(at: .d1Query, "D1 \(name)")
        let readOnly = queries.allSatisfy { Self.isReadOnly($0.sql) }
        var attempt = 0
        while true {
            attempt += 1
            let retries = readOnly && attempt < Self.readOnlyAttempts
            if let roll = faults.fires(.d1BeforeCommit, at: .d1Query) {
                let text = Self.transientBeforeCommit[roll.pick(Self.transientBeforeCommit.count)]
                faults.record(roll, "D1 \(name): D1_ERROR: \(text) (nothing ran\(retries ? "; D1 retries the read" : ""))")
                if retries { continue }
                throw D1QueryFailure(index: nil, error: D1Error(.error, text))
            }
            var results = try await transaction(queries)
            if let roll = faults.fires(.d1AfterCommit, at: .d1Query) {
                let text = Self.transientAfterCommit[roll.pick(Self.transientAfterCommit.count)]
                faults.record(roll, "D1 \(name): D1_ERROR: \(text) (after the commit\(retries ? "; D1 retries the read" : ""))")
                if retries { continue }
                throw D1QueryFailure(index: nil, error: D1Error(.error, text))
            }
            for index in results.indices { results[index].meta.totalAttempts = attempt }
            return results
        }
    }

    /// Whether `sql` is a query production's D1 retries by itself: it starts with SELECT,
    /// EXPLAIN or WITH and names no keyword that writes.
    package static func isReadOnly(_ sql: String) -> Bool {
        let words = sql.uppercased().split { !($0.isLetter || $0 == "_") }
        guard let first = words.first, ["SELECT", "EXPLAIN", "WITH"].contains(first) else { return false }
        return !words.contains { writingKeywords.contains(String($0)) }
    }

    private static let writingKeywords: Set<String> = [
        "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "ATTACH", "DETACH", "PRAGMA", "VACUUM",
        "REINDEX", "ANALYZE", "UPSERT",
    ]
}
