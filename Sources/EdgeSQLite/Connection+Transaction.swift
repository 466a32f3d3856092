import VaporCSQLite

extension Connection {
    /// Runs `body` atomically: its changes are all committed when it returns, and all rolled
    /// back when it throws (the error is rethrown).
    ///
    /// Outside a transaction this is `BEGIN IMMEDIATE` ... `COMMIT`: the write lock is taken up
    /// front, so a busy database makes the `BEGIN` wait (up to the busy timeout) instead of
    /// failing half-way with `SQLITE_BUSY`. Inside one, it nests as a savepoint, so an inner
    /// failure undoes only the inner work. Transaction control runs as
    /// ``Authorization/trusted``, past the authorizer that refuses user `BEGIN`s.
    ///
    /// A failing `COMMIT` (a deferred foreign key still violated) rolls back and throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction {
            return try savepoint(body)
        }
        _ = try runInternal("BEGIN IMMEDIATE")
        let value: T
        do {
            value = try body()
            _ = try runInternal("COMMIT")
        } catch {
            rollBackIfActive("ROLLBACK")
            throw error
        }
        return value
    }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "edge_savepoint_\(savepointDepth)"
        _ = try runInternal("SAVEPOINT \(name)")
        let value: T
        do {
            value = try body()
        } catch {
            rollBackIfActive("ROLLBACK TO \(name)")
            _ = try? runInternal("RELEASE \(name)")
            throw error
        }
        _ = try runInternal("RELEASE \(name)")
        return value
    }

    /// Runs a rollback unless SQLite already ended the transaction itself (some errors, such as
    /// `SQLITE_FULL` or an `ON CONFLICT ROLLBACK` clause, roll back on their own).
    private func rollBackIfActive(_ sql: String) {
        guard isInTransaction else { return }
        _ = try? runInternal(sql)
    }
}
