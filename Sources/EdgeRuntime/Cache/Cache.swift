import Foundation
import HTTPTypes
import NIOCore

/// `cache.match` / `cache.delete` options: Workers' `CacheQueryOptions` (only `ignoreMethod`;
/// workerd has no `ignoreSearch` or `ignoreVary`).
public struct CacheQueryOptions: Sendable {
    /// `ignoreMethod`: match or delete as if the request were a GET.
    public var ignoreMethod: Bool

    /// `{ ignoreMethod }`.
    public init(ignoreMethod: Bool = false) {
        self.ignoreMethod = ignoreMethod
    }
}

/// One cache of the Workers Cache API: `caches.default` or `await caches.open(name)`.
///
/// Entries are keyed by the request's URL (query string included) and kept in the host's storage
/// (under the state directory, one SQLite file per cache) on the emulator's clock, so a test that
/// advances its `VirtualClock` past an entry's lifetime sees it expire. The rules are
/// ``CachePolicy``'s; texts and behaviour follow workerd's src/workerd/api/cache.c++.
public struct Cache: Sendable {
    /// The cache's name; `nil` for `caches.default`.
    public let name: String?

    init(name: String?) {
        self.name = name
    }

    /// `await cache.put(request, response)`: stores `response` under `request`'s URL.
    ///
    /// Throws workerd's TypeErrors for a non-GET request, a 206, `Vary: *`, a WebSocket response,
    /// and a body that was already read; a 304 and a response the rules do not keep (`no-store`,
    /// `private`, `Set-Cookie`, no TTL, larger than ``CachePolicy/maxObjectSize``) are dropped
    /// silently. The body is read (used) either way.
    public func put(_ request: Request, _ response: Response) async throws {
        if let error = CachePolicy.putError(
            method: request.method.rawValue, status: response.status.code, headers: response.headers,
            isWebSocket: response.webSocket != nil)
        {
            throw error
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: CachePolicy.maxObjectSize)
        } catch let error as StreamError where error == .alreadyUsed {
            // workerd: Response::send on a disturbed body (src/workerd/api/http.c++).
            throw TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.")
        } catch let error as StreamError where error.isTooLarge {
            return
        }
        // workerd silently discards 304s (cache.c++: "Silently discard 304 status responses").
        guard response.status.code != 304 else { return }
        let io = IoContext.active
        guard let backend = io.caches else { return }
        let now = io.clock.now
        guard case .store(let ttl, let headers) = CachePolicy.decision(status: response.status.code, headers: response.headers, now: now)
        else { return }
        let vary = CachePolicy.varyValues(of: request.headers, names: CachePolicy.varyNames(headers))
        let entry = CacheEntry(
            key: Self.key(request), status: response.status.code, headers: headers, varyValues: vary,
            body: Array(buffer: body), storedAt: now, expiresAt: now.addingTimeInterval(ttl))
        try await backend.store(entry, in: name)
    }

    /// `await cache.put(url, response)`.
    public func put(_ url: String, _ response: Response) async throws {
        try await put(Request(url), response)
    }

    /// `await cache.match(request, options)`: the stored response for `request`'s URL, or `nil`.
    ///
    /// `nil` for a request other than GET (unless `ignoreMethod`), an expired entry, or one whose
    /// `Vary` headers differ from the request's. A hit carries `cf-cache-status: HIT` and an `Age`;
    /// a request whose `If-None-Match` / `If-Modified-Since` the entry satisfies gets a 304.
    public func match(_ request: Request, options: CacheQueryOptions = CacheQueryOptions()) async throws -> Response? {
        // workerd: a non-GET match resolves to undefined unless ignoreMethod (cache.c++).
        guard options.ignoreMethod || request.method == .get else { return nil }
        let io = IoContext.active
        guard let backend = io.caches, let entry = try await backend.entry(for: Self.key(request), in: name) else {
            return nil
        }
        let now = io.clock.now
        guard entry.expiresAt > now else { return nil }
        let current = CachePolicy.varyValues(of: request.headers, names: entry.varyValues.map(\.0))
        guard current.elementsEqual(entry.varyValues, by: ==) else { return nil }
        var headers = Headers()
        for (name, value) in entry.headers where name != "age" { headers.append(name, value) }
        let initialAge = entry.headers.first { $0.0 == "age" }.flatMap { Int($0.1) } ?? 0
        headers.set("age", "\(initialAge + max(0, Int(now.timeIntervalSince(entry.storedAt))))")
        headers.set("cf-cache-status", "HIT")
        if CachePolicy.notModified(request: request.headers, stored: entry.headers) {
            return Response(.empty, status: .notModified, headers: headers)
        }
        return Response(ReadableStream(entry.body), status: HTTPResponse.Status(code: entry.status), headers: headers)
    }

    /// `await cache.match(url, options)`.
    public func match(_ url: String, options: CacheQueryOptions = CacheQueryOptions()) async throws -> Response? {
        try await match(Request(url), options: options)
    }

    /// `await cache.delete(request, options)`: removes the entry for `request`'s URL; whether
    /// there was one. `false` for a request other than GET unless `ignoreMethod` (cache.c++).
    public func delete(_ request: Request, options: CacheQueryOptions = CacheQueryOptions()) async throws -> Bool {
        guard options.ignoreMethod || request.method == .get else { return false }
        guard let backend = IoContext.active.caches else { return false }
        return try await backend.remove(Self.key(request), from: name)
    }

    /// `await cache.delete(url, options)`.
    public func delete(_ url: String, options: CacheQueryOptions = CacheQueryOptions()) async throws -> Bool {
        try await delete(Request(url), options: options)
    }

    /// The cache key of `request`: its URL as given, query string included.
    static func key(_ request: Request) -> String { request.url.absoluteString }
}
