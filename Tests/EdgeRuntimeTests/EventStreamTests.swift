import Foundation
import Testing

@testable import EdgeRuntime

@Suite struct EventStreamTests {
    @Test func eventsAreFramedAndParsedBack() async throws {
        let events = EventStream()
        try await events.send(event: "snapshot", id: "7", data: "{\"a\":1}\nsecond line")
        try events.comment("keep-alive")
        try events.enqueue(event: "order", id: "8", data: "x")
        events.close()
        let response = Response(eventStream: events)
        #expect(response.headers.get("content-type") == "text/event-stream")
        let text = try await response.text()
        var parser = ServerSentEventParser()
        let parsed = parser.feed(Array(text.utf8))
        #expect(parsed == [
            ServerSentEvent(event: "snapshot", id: "7", data: "{\"a\":1}\nsecond line"),
            ServerSentEvent(event: "order", id: "8", data: "x"),
        ])
        #expect(parser.comments == 1)
    }

    @Test func parserHandlesSplitChunksAndCRLF() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("event: a\r\nda".utf8)).isEmpty)
        #expect(parser.feed(Array("ta: 1\r".utf8)).isEmpty)
        let events = parser.feed(Array("\n\r\n".utf8))
        #expect(events == [ServerSentEvent(event: "a", id: nil, data: "1")])
    }
}

@Suite struct ResponseTests {
    @Test func jsonSetsContentTypeAndStatus() async throws {
        struct Body: Codable { var ok: Bool }
        let response = Response.json(Body(ok: true), status: .created)
        #expect(response.status == .created)
        #expect(response.headers.get("Content-Type") == "application/json")
        #expect(try await response.text() == "{\"ok\":true}")
    }

    @Test func constructionChecksMatchWorkerd() {
        #expect(Response(status: .init(code: 99)).constructionError?.hasPrefix("RangeError: Responses may only") == true)
        #expect(Response("x", status: .noContent).constructionError?.hasPrefix("TypeError: Response with null body") == true)
        #expect(Response("fine").constructionError == nil)
    }

    @Test func headersAreCaseInsensitive() {
        var headers: Headers = ["Content-Type": "a"]
        headers.append("x-One", "1")
        headers.append("X-ONE", "2")
        #expect(headers.get("content-type") == "a")
        #expect(headers.get("x-one") == "1, 2")
        headers.delete("X-One")
        #expect(!headers.has("x-one"))
    }

    @Test func searchParamsDecode() throws {
        let request = try Request("http://h/v1/kds/stream?restaurant=demo&after=12&key=a%20b")
        #expect(request.searchParams.get("after") == "12")
        #expect(request.searchParams.get("key") == "a b")
        #expect(request.path == "/v1/kds/stream")
    }
}

@Suite struct ExecutionContextTests {
    @Test func settledWaitsForAllWorkEvenWhenOneFails() async {
        struct Boom: Error {}
        let failures = Counter()
        let ctx = ExecutionContext(onError: { _ in failures.increment() })
        let done = Counter()
        ctx.waitUntil { try await Task.sleep(for: .milliseconds(30)); done.increment() }
        ctx.waitUntil { throw Boom() }
        ctx.waitUntil { try await Task.sleep(for: .milliseconds(10)); done.increment() }
        await ctx.settled()
        #expect(done.value == 2)
        #expect(failures.value == 1)
        #expect(ctx.pendingCount == 0)
    }
}

@Suite struct CryptoTests {
    @Test func digestAndTimingSafeEqual() throws {
        #expect(crypto.subtle.digest(.sha256, Array("abc".utf8)).hexString
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(crypto.subtle.timingSafeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!crypto.subtle.timingSafeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!crypto.subtle.timingSafeEqual([1, 2], [1, 2, 3]))
        for count in 0...17 { #expect(try crypto.getRandomValues(count: count).count == count) }
        #expect(try crypto.getRandomValues(count: 32) != crypto.getRandomValues(count: 32))
        // Every byte drawn, not only the first of each eight: 4 096 bytes cover nearly all values.
        let bytes = try crypto.getRandomValues(count: 4_096)
        // Workers' limit, as workerd words it; a handler asking for more gets an error, not a trap.
        #expect(try crypto.getRandomValues(count: 65_536).count == 65_536)
        for count in [65_537, Int.max] {
            #expect(throws: DOMException("getRandomValues() only accepts buffers of size <= 64K but provided \(count) bytes.", name: "QuotaExceededError")) {
                try crypto.getRandomValues(count: count)
            }
        }
        #expect(throws: TypeError.self) { try crypto.getRandomValues(count: -1) }
        #expect(Set(bytes).count > 230)
        #expect(Set(stride(from: 7, to: 4_096, by: 8).map { bytes[$0] }).count > 150)
        #expect(crypto.randomUUID().count == 36)
    }

    /// RFC 4648 §5 (URL-safe alphabet, no padding): the test vectors of §10, and Foundation's
    /// base64 with `+/` swapped and `=` dropped for every length up to 64 random bytes.
    @Test func base64URLIsRFC4648Section5WithoutPadding() throws {
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (input, expected) in vectors { #expect(Array(input.utf8).base64URLString == expected) }
        #expect([0xFB, 0xFF, 0xBF].base64URLString == "-_-_")
        for length in 0...64 {
            let bytes = try crypto.getRandomValues(count: length)
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(bytes.base64URLString == foundation, "\(bytes)")
        }
    }

    @Test func bindingsNameWhatIsMissing() throws {
        let bindings = Bindings(vars: ["A": "1"], resources: ["DB": "not a db"])
        #expect(throws: BindingError.self) { try bindings.get("ORDER_HUB", as: Int.self) }
        do {
            _ = try bindings.get("DB", as: Int.self)
            Issue.record("a binding of the wrong type was handed out")
        } catch {
            #expect("\(error)".contains("\"DB\""))
        }
        #expect(try bindings.text("A") == "1")
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLockish()
    private var count = 0
    func increment() { lock.with { count += 1 } }
    var value: Int { lock.with { count } }
}
