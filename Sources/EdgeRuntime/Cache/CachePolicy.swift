import Foundation

/// The rules of Workers' Cache API that need no storage: what `cache.put` refuses, whether and for
/// how long a response is kept, which stored entry a request matches, and what `cache.match`
/// returns.
///
/// Cloudflare's docs (developers.cloudflare.com/workers/runtime-apis/cache/) say the cache
/// respects `Cache-Control` (Cloudflare's directives), `Expires`, `ETag` and `Last-Modified` on
/// the response given to `put`, never caches a response with `Set-Cookie` (unless
/// `Cache-Control: private=Set-Cookie`, which drops the header), and otherwise keeps responses
/// for the "Edge TTL" of their status (developers.cloudflare.com/cache/how-to/configure-cache-status-code/:
/// 200, 206, 301 for 120 min; 302, 303 for 20 min; 404, 410 for 3 min; others not cached).
/// A response that cannot be stored is dropped silently, as production's cache answers 413 and
/// workerd ignores it (src/workerd/api/cache.c++, `Cache::put`). Miniflare's cache
/// (packages/miniflare/src/workers/cache/cache.worker.ts) applies the same rules locally.
package enum CachePolicy {
    /// The largest object production caches: 512 MB per file on Free, Pro and Business plans
    /// (5 GB on Enterprise), developers.cloudflare.com/cache/how-to/configure-cache-status-code/.
    /// A larger body is not stored.
    package static let maxObjectSize = 512 * 1024 * 1024

    /// What `put` does with a response.
    package enum Decision: Equatable, Sendable {
        /// Store it with these headers (without `Set-Cookie` when `private=Set-Cookie` removed
        /// it) until `ttl` seconds from now.
        case store(ttl: TimeInterval, headers: [(String, String)])
        /// Drop it silently (production's cache answers 413; workerd resolves `put` anyway).
        case skip

        package static func == (lhs: Decision, rhs: Decision) -> Bool {
            switch (lhs, rhs) {
            case (.skip, .skip): true
            case (.store(let a, let h1), .store(let b, let h2)): a == b && h1.elementsEqual(h2, by: ==)
            default: false
            }
        }
    }

    /// The TypeError `cache.put(request, response)` throws before reading the body, or `nil`.
    /// Texts from workerd's `Cache::put` (src/workerd/api/cache.c++).
    package static func putError(method: String, status: Int, headers: Headers, isWebSocket: Bool) -> TypeError? {
        if method != "GET" { return TypeError("Cannot cache response to non-GET request.") }
        if status == 206 { return TypeError("Cannot cache response to a range request (206 Partial Content).") }
        if let vary = headers.get("vary"), vary.contains("*") {
            return TypeError("Cannot cache response with 'Vary: *' header.")
        }
        if isWebSocket { return TypeError("Cannot cache WebSocket upgrade response.") }
        return nil
    }

    /// Whether and how long to keep a response of `status` with `headers`, put at `now`.
    package static func decision(status: Int, headers: Headers, now: Date) -> Decision {
        var kept = Array(headers)
        let directives = cacheControl(headers.get("cache-control"))
        if headers.has("set-cookie") {
            guard directives.contains(where: { $0.name == "private" && $0.value?.lowercased() == "set-cookie" }) else {
                return .skip
            }
            kept.removeAll { $0.0 == "set-cookie" }
        }
        let names = Set(directives.map(\.name))
        if names.contains("no-store") { return .skip }
        if directives.contains(where: { ($0.name == "private" || $0.name == "no-cache") && $0.value == nil }) {
            return .skip
        }
        let ttl: TimeInterval
        if let sMaxAge = directives.first(where: { $0.name == "s-maxage" }) {
            ttl = seconds(sMaxAge.value)
        } else if let maxAge = directives.first(where: { $0.name == "max-age" }) {
            ttl = seconds(maxAge.value)
        } else if let expires = headers.get("expires") {
            // An Expires that is not a date means "already expired" (RFC 9111 §5.3).
            guard let date = httpDate(expires) else { return .skip }
            ttl = date.timeIntervalSince(headers.get("date").flatMap(httpDate) ?? now)
        } else {
            ttl = defaultTTL(status: status)
        }
        return ttl > 0 ? .store(ttl: ttl, headers: kept) : .skip
    }

    /// Cloudflare's default Edge TTL of a status, when neither `Cache-Control` nor `Expires` says.
    package static func defaultTTL(status: Int) -> TimeInterval {
        switch status {
        case 200, 206, 301: 120 * 60
        case 302, 303: 20 * 60
        case 404, 410: 3 * 60
        default: 0
        }
    }

    /// The header names a response's `Vary` lists, lowercased.
    package static func varyNames(_ headers: [(String, String)]) -> [String] {
        headers.filter { $0.0 == "vary" }
            .flatMap { $0.1.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
    }

    /// A request's values of the headers named by `names` (`""` when absent), for `Vary`.
    package static func varyValues(of request: Headers, names: [String]) -> [(String, String)] {
        names.map { ($0, request.get($0) ?? "") }
    }

    /// Whether a conditional request (`If-None-Match`, `If-Modified-Since`) is satisfied by the
    /// stored response's `ETag` / `Last-Modified`: `cache.match` then returns a 304, as the docs
    /// say it evaluates them.
    package static func notModified(request: Headers, stored: [(String, String)]) -> Bool {
        let etag = stored.first { $0.0 == "etag" }?.1
        if let ifNoneMatch = request.get("if-none-match"), let etag {
            if ifNoneMatch.trimmingCharacters(in: .whitespaces) == "*" { return true }
            let wanted = opaqueTag(etag)
            return ifNoneMatch.split(separator: ",").contains { opaqueTag(String($0)) == wanted }
        }
        if let since = request.get("if-modified-since").flatMap(httpDate),
            let modified = stored.first(where: { $0.0 == "last-modified" }).flatMap({ httpDate($0.1) })
        {
            return modified <= since
        }
        return false
    }

    /// `Cache-Control` split into directives with lowercased names and unquoted values.
    package static func cacheControl(_ value: String?) -> [(name: String, value: String?)] {
        guard let value else { return [] }
        return value.split(separator: ",").compactMap { part in
            let pieces = part.split(separator: "=", maxSplits: 1)
            let name = pieces.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard !name.isEmpty else { return nil }
            let raw = pieces.count > 1 ? pieces[1].trimmingCharacters(in: .whitespaces) : nil
            return (name, raw.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) })
        }
    }

    /// A delta-seconds value; a malformed one counts as 0 (not cached).
    private static func seconds(_ value: String?) -> TimeInterval {
        value.flatMap { Int($0) }.map { TimeInterval(max(0, $0)) } ?? 0
    }

    /// An entity tag without its weak prefix (`If-None-Match` compares weakly).
    private static func opaqueTag(_ tag: String) -> String {
        let trimmed = tag.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed
    }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    package static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}
