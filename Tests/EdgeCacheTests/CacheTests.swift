import EdgeCache
import EdgeRuntime
import Foundation
import Testing

/// `caches` inside an IoContext whose storage is `CacheFiles` in a fresh state directory and
/// whose clock is a `VirtualClock`, as the server sets one up per invocation.
struct CacheHarness {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-cache-\(UUID().uuidString)")
    let clock = VirtualClock(now: Date(timeIntervalSince1970: 1_800_000_000))

    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let io = IoContext(
            IoContext.Services(clock: clock, console: ConsoleSink { _, _ in }, caches: CacheFiles(stateRoot: root)),
            label: nil, deliver: { await $0() })
        defer { try? FileManager.default.removeItem(at: root) }
        return try await IoContext.$current.withValue(io) { try await body() }
    }
}

@Suite struct CacheTests {
    let url = "https://example.com/items?page=2"

    @Test func putThenMatchReturnsTheResponseWithHitAndAge() async throws {
        let harness = CacheHarness()
        try await harness.run {
            try await caches.default.put(url, Response("hello", headers: ["cache-control": "max-age=60", "x-a": "1"]))
            await harness.clock.advance(by: .seconds(7))
            let hit = try #require(try await caches.default.match(url))
            #expect(hit.status == .ok)
            #expect(hit.headers.get("cf-cache-status") == "HIT")
            #expect(hit.headers.get("age") == "7")
            #expect(hit.headers.get("x-a") == "1")
            #expect(try await hit.text() == "hello")
        }
    }

    @Test func keysIncludeTheQueryString() async throws {
        let harness = CacheHarness()
        try await harness.run {
            try await caches.default.put(url, Response("p2", headers: ["cache-control": "max-age=60"]))
            #expect(try await caches.default.match("https://example.com/items?page=3") == nil)
            #expect(try await caches.default.match("https://example.com/items") == nil)
            #expect(try await caches.default.match(url) != nil)
        }
    }

    @Test func entriesExpireOnTheEmulatorsClock() async throws {
        let harness = CacheHarness()
        try await harness.run {
            try await caches.default.put(url, Response("a", headers: ["cache-control": "max-age=10, s-maxage=30"]))
            await harness.clock.advance(by: .seconds(29))
            #expect(try await caches.default.match(url) != nil)  // s-maxage wins over max-age
            await harness.clock.advance(by: .seconds(1))
            #expect(try await caches.default.match(url) == nil)
        }
    }

    @Test func expiresHeaderSetsTheLifetime() async throws {
        let harness = CacheHarness()
        try await harness.run {
            // The clock starts at 2027-01-15T08:00:00Z; Expires is 100 s later.
            try await caches.default.put(url, Response("a", headers: ["expires": "Fri, 15 Jan 2027 08:01:40 GMT"]))
            await harness.clock.advance(by: .seconds(99))
            #expect(try await caches.default.match(url) != nil)
            await harness.clock.advance(by: .seconds(1))
            #expect(try await caches.default.match(url) == nil)
        }
    }

    @Test(arguments: ["no-store", "private", "no-cache", "max-age=0", "public, max-age=abc"])
    func uncacheableDirectivesStoreNothing(_ cacheControl: String) async throws {
        let harness = CacheHarness()
        try await harness.run {
            try await caches.default.put(url, Response("a", headers: ["cache-control": cacheControl]))
            #expect(try await caches.default.match(url) == nil)
        }
    }

    @Test func setCookieIsNeverCachedUnlessPrivateSetCookieDropsIt() async throws {
        let harness = CacheHarness()
        try await harness.run {
            try await caches.default.put(url, Response("a", headers: ["cache-control": "max-age=60", "set-cookie": "s=1"]))
            #expect(try await caches.default.match(url) == nil)
            try await caches.default.put(
                url, Response("b", headers: ["cache-control": "max-age=60, private=Set-Cookie", "set-cookie": "s=1"]))
            let hit = try #require(try await caches.default.match(url))
            #expect(hit.headers.get("set-cookie") == nil)
            #expect(try await hit.text() == "b")
        }
    }

    @Test func defaultEdgeTTLByStatus() {
        #expect(CachePolicy.defaultTTL(status: 200) == 7200)
        #expect(CachePolicy.defaultTTL(status: 302) == 1200)
        #expect(CachePolicy.defaultTTL(status: 404) == 180)
        #expect(CachePolicy.defaultTTL(status: 500) == 0)
        #expect(CachePolicy.decision(status: 500, headers: [:], now: Date()) == .skip)
    }

    @Test func putRefusesWhatWorkerdRefuses() async throws {
        let harness = CacheHarness()
        try await harness.run {
            let post = try Request(url, method: .post, text: "x")
            await #expect(throws: TypeError("Cannot cache response to non-GET request.")) {
                try await caches.default.put(post, Response("a"))
            }
            await #expect(throws: TypeError("Cannot cache response to a range request (206 Partial Content).")) {
                try await caches.default.put(url, Response("a", status: .partialContent))
            }
            await #expect(throws: TypeError("Cannot cache response with 'Vary: *' header.")) {
                try await caches.default.put(url, Response("a", headers: ["vary": "*"]))
            }
            let used = Response("a", headers: ["cache-control": "max-age=60"])
            _ = try await used.text()
            await #expect(
                throws: TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice.")
            ) {
                try await caches.default.put(url, used)
            }
            #expect(try await caches.default.match(url) == nil)
        }
    }

    @Test func aNotModifiedResponseIsDiscardedSilently() async throws {
        let harness = CacheHarness()
        try await harness.run {
            try await caches.default.put(url, Response(.empty, status: .notModified, headers: ["cache-control": "max-age=60"]))
            #expect(try await caches.default.match(url) == nil)
        }
    }

    @Test func nonGetMatchAndDeleteNeedIgnoreMethod() async throws {
        let harness = CacheHarness()
        try await harness.run {
            try await caches.default.put(url, Response("a", headers: ["cache-control": "max-age=60"]))
            let head = try Request(url, method: .head)
            #expect(try await caches.default.match(head) == nil)
            #expect(try await caches.default.match(head, options: CacheQueryOptions(ignoreMethod: true)) != nil)
            #expect(try await caches.default.delete(head) == false)
            #expect(try await caches.default.delete(head, options: CacheQueryOptions(ignoreMethod: true)) == true)
            #expect(try await caches.default.match(url) == nil)
            #expect(try await caches.default.delete(url) == false)
        }
    }

    @Test func varyMatchesOnlyTheSameRequestHeaderValues() async throws {
        let harness = CacheHarness()
        try await harness.run {
            let english = try Request(url, headers: ["accept-language": "en"])
            try await caches.default.put(english, Response("hi", headers: ["cache-control": "max-age=60", "vary": "Accept-Language"]))
            #expect(try await caches.default.match(english) != nil)
            #expect(try await caches.default.match(try Request(url, headers: ["accept-language": "fr"])) == nil)
            #expect(try await caches.default.match(url) == nil)
        }
    }

    @Test func conditionalMatchGivesNotModified() async throws {
        let harness = CacheHarness()
        try await harness.run {
            try await caches.default.put(url, Response("a", headers: ["cache-control": "max-age=60", "etag": "\"v1\""]))
            let hit = try #require(try await caches.default.match(try Request(url, headers: ["if-none-match": "W/\"v1\""])))
            #expect(hit.status == .notModified)
            let miss = try #require(try await caches.default.match(try Request(url, headers: ["if-none-match": "\"v2\""])))
            #expect(miss.status == .ok)
        }
    }

    @Test func namedCachesAreSeparate() async throws {
        let harness = CacheHarness()
        try await harness.run {
            let custom = try await caches.open("custom:cache/../x")
            try await custom.put(url, Response("named", headers: ["cache-control": "max-age=60"]))
            #expect(try await caches.default.match(url) == nil)
            #expect(try await caches.open("other").match(url) == nil)
            #expect(try await custom.match(url)?.text() == "named")
            await #expect(throws: TypeError("Cache name is too long.")) {
                _ = try await caches.open(String(repeating: "n", count: 1024))
            }
            let long = try await caches.open(String(repeating: "é", count: 500))
            try await long.put(url, Response("long", headers: ["cache-control": "max-age=60"]))
            #expect(try await long.match(url)?.text() == "long")
        }
    }

    @Test func bodiesLargerThanD1sRowLimitRoundTrip() async throws {
        let harness = CacheHarness()
        try await harness.run {
            let body = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0) }
            try await caches.default.put(url, Response(body, headers: ["cache-control": "max-age=60"]))
            #expect(try await caches.default.match(url)?.bytes() == body)
        }
    }

    @Test func withoutAHostNothingIsStored() async throws {
        try await caches.default.put(url, Response("a", headers: ["cache-control": "max-age=60"]))
        #expect(try await caches.default.match(url) == nil)
    }

    @Test func filesLiveUnderTheStateDirectory() {
        let files = CacheFiles(stateRoot: URL(fileURLWithPath: "/state"))
        #expect(files.file(of: nil).path == "/state/cache/default.sqlite")
        #expect(files.file(of: "custom:cache").path == "/state/cache/named/custom%3Acache.sqlite")
        #expect(files.file(of: "..").path == "/state/cache/named/%2E%2E.sqlite")
    }
}
