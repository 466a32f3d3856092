/// The global `caches` of Workers: `caches.default` and `await caches.open(name)`.
public let caches = CacheStorage()

/// Workers' `CacheStorage`: the default cache and named caches, each a separate store.
public final class CacheStorage: Sendable {
    init() {}

    /// `caches.default`: the worker's default cache.
    public var `default`: Cache { Cache(name: nil) }

    /// `await caches.open(name)`: the cache named `cacheName`, separate from ``default`` and from
    /// caches of other names. A name of 1024 bytes or more throws workerd's
    /// `TypeError: Cache name is too long.` (src/workerd/api/cache.c++, `CacheStorage::open`).
    public func open(_ cacheName: String) async throws -> Cache {
        guard cacheName.utf8.count < 1024 else { throw TypeError("Cache name is too long.") }
        return Cache(name: cacheName)
    }
}
