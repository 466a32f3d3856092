import Foundation

/// Where the Cache API keeps its entries: the host's storage, found through the running code's
/// ``IoContext`` (EdgeRuntime has no I/O). The server and the Durable Object host hand one to
/// each context (EdgeCache's `CacheFiles`, one SQLite file per cache under the state directory);
/// outside any host there is none, and the Cache API behaves as production's does in the
/// dashboard preview: `put` checks its arguments and stores nothing, `match` finds nothing.
package protocol CacheBackend: Sendable {
    /// Stores `entry` in the cache named `cache` (`nil`: `caches.default`), replacing any entry
    /// of the same key.
    func store(_ entry: CacheEntry, in cache: String?) async throws
    /// The entry stored under `key` in `cache`, if any (expired or not: the caller decides).
    func entry(for key: String, in cache: String?) async throws -> CacheEntry?
    /// Removes the entry stored under `key` in `cache`; whether there was one.
    func remove(_ key: String, from cache: String?) async throws -> Bool
}

/// One cached response, as a backend stores it.
package struct CacheEntry: Sendable {
    /// The cache key: the request's URL, query string included.
    package var key: String
    /// The response's status code.
    package var status: Int
    /// The response's headers, in order, as `(lowercased name, value)` pairs.
    package var headers: [(String, String)]
    /// The request's values of the headers the response's `Vary` names, at `put` time.
    package var varyValues: [(String, String)]
    /// The response's body.
    package var body: [UInt8]
    /// When it was stored.
    package var storedAt: Date
    /// When it stops matching.
    package var expiresAt: Date

    /// Creates an entry.
    package init(
        key: String, status: Int, headers: [(String, String)], varyValues: [(String, String)], body: [UInt8],
        storedAt: Date, expiresAt: Date
    ) {
        self.key = key
        self.status = status
        self.headers = headers
        self.varyValues = varyValues
        self.body = body
        self.storedAt = storedAt
        self.expiresAt = expiresAt
    }
}
