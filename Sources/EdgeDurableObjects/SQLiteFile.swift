import EdgeSQLite
import Foundation

/// One SQLite file the host opened: an object's database, or a namespace's `metadata.sqlite`.
///
/// A `Connection` is used by one owner at a time. Storage calls are synchronous and may come
/// from any thread (the object's actor, its `waitUntil` tasks, a test), so every call takes a
/// recursive lock: `transactionSync` holds it for its whole body, during which the body's own
/// storage calls (same thread) re-enter it while other threads wait for the commit.
///
/// ``close(because:)`` is how an instance loses its storage when it is evicted or reset: the
/// connection is closed and every later call throws `reason`, so a stale instance that keeps
/// running can never write behind the new one's back.
final class SQLiteFile: @unchecked Sendable {
    /// Guards `connection` and `closedReason` (`@unchecked Sendable` rests on it).
    private let lock = NSRecursiveLock()
    private var connection: Connection?
    private var closedReason: (any Error)?
    let path: String

    /// Opens (creating) the file at `path` with production's limits.
    init(path: String) throws(DurableObjectError) {
        self.path = path
        do {
            connection = try Connection(path: path)
        } catch {
            throw .sqlite(error)
        }
    }

    /// Runs `body` with the connection, or throws why it was closed. SQLite errors become
    /// ``DurableObjectError``s with workerd's text.
    func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if let closedReason { throw closedReason }
        guard let connection else { fatalError("an open SQLite file has no connection") }
        do {
            return try body(connection)
        } catch let error as SQLiteError {
            throw DurableObjectError.sqlite(error)
        }
    }

    /// Throws why the file was closed, if it was.
    func checkOpen() throws {
        lock.lock()
        defer { lock.unlock() }
        if let closedReason { throw closedReason }
    }

    /// Whether ``close(because:)`` was called.
    var isClosed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closedReason != nil
    }

    /// Closes the connection; every later call throws `reason`. Closing again does nothing.
    func close(because reason: any Error) {
        lock.lock()
        defer { lock.unlock() }
        guard closedReason == nil else { return }
        closedReason = reason
        connection?.close()
        connection = nil
    }
}

extension Connection {
    /// Runs SQL of the runtime's own (past the authorizer that refuses `_cf_` names and
    /// transaction statements in application SQL).
    func trusted(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> QueryResult {
        try withAuthorization(.trusted) { () throws(SQLiteError) in try execute(sql, bindings) }
    }
}
