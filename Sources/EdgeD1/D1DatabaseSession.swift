import Synchronization

/// A run of queries with sequential consistency: Cloudflare's `D1DatabaseSession`, from
/// ``D1Database/withSession(_:)`` (developers.cloudflare.com/d1/best-practices/read-replication/).
///
/// In production a session's first query goes to any instance (`"first-unconstrained"`), to the
/// primary (`"first-primary"`), or to an instance at least as recent as the bookmark it was made
/// with; every later query goes to an instance at least as recent as the session's latest
/// bookmark, so a session never reads older than what it has seen or written. Locally the primary
/// is the only instance, always current, so every query is served by it
/// (`meta.served_by_primary` is `true`) and no bookmark is ever ahead of what it reads.
///
/// ``getBookmark()`` follows workerd's `d1-api.ts`: `nil` for a constraint until a query has
/// run, the given bookmark until then for a bookmark, and afterwards the latest bookmark seen
/// (bookmarks sort lexicographically, oldest first, and a session keeps the greatest).
public final class D1DatabaseSession: Sendable {
    /// `"first-unconstrained"`: the first query may go to any instance.
    public static let firstUnconstrained = "first-unconstrained"
    /// `"first-primary"`: the first query goes to the primary.
    public static let firstPrimary = "first-primary"

    /// The database the session runs on.
    public let database: D1Database
    /// The constraint or bookmark the session was made with.
    public let constraintOrBookmark: String
    private let latest: Mutex<String?>

    init(database: D1Database, constraintOrBookmark: String) {
        self.database = database
        self.constraintOrBookmark = constraintOrBookmark
        let isConstraint = constraintOrBookmark == Self.firstUnconstrained || constraintOrBookmark == Self.firstPrimary
        latest = Mutex(isConstraint ? nil : constraintOrBookmark)
    }

    /// A statement that runs in this session (mirrors `session.prepare`).
    public func prepare(_ sql: String) -> D1PreparedStatement {
        D1PreparedStatement(database: database, sql: sql, values: [], session: self)
    }

    /// Runs `statements` as one transaction in this session (mirrors `session.batch`); see
    /// ``D1Database/batch(_:)``.
    @discardableResult
    public func batch(_ statements: [D1PreparedStatement]) async throws(D1Error) -> [D1Result] {
        let results = try await database.run(statements.map(\.query)).map(\.result)
        observe(database.bookmark)
        return results
    }

    /// The latest bookmark of the session, to hand to a later ``D1Database/withSession(_:)``
    /// (mirrors `session.getBookmark()`); `nil` before the first query of a session made with a
    /// constraint.
    public func getBookmark() -> String? {
        latest.withLock { $0 }
    }

    /// Keeps `bookmark` if it is more recent than the session's (workerd's `_updateBookmark`).
    func observe(_ bookmark: String) {
        latest.withLock { latest in
            if latest.map({ bookmark > $0 }) ?? true { latest = bookmark }
        }
    }
}
