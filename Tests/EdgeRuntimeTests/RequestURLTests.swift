import EdgeRuntime
import Foundation
import Testing

/// `new Request(...)` and `url.pathname` as in production: bad URLs throw, paths keep their encoding.
@Suite struct RequestURLTests {
    @Test(arguments: ["bad", "/relative/path", "http://", "https://exa mple.com/", "://nohost", ""])
    func aBadURLThrowsTypeError(url: String) {
        #expect(throws: TypeError("Invalid URL: \(url)")) { try Request(url) }
        #expect(throws: TypeError("Invalid URL: \(url)")) { try Request(url, RequestInit(method: .post)) }
    }

    @Test func theTypeErrorReadsAsJavaScriptPrintsIt() {
        #expect("\(TypeError("Invalid URL: bad"))" == "TypeError: Invalid URL: bad")
    }

    @Test func pathnameKeepsPercentEncoding() throws {
        let request = try Request("https://h/v1/orders/a%2Fb")
        #expect(request.pathname == "/v1/orders/a%2Fb")
        #expect(request.path == request.pathname, "the older name reads the same text")
        #expect(request.pathname.split(separator: "/") == ["v1", "orders", "a%2Fb"])
    }

    @Test(arguments: [
        ("https://h", "/", "https://h/"),
        ("https://h/a/./b/../c", "/a/c", "https://h/a/c"),
        ("https://h/a/%2e%2E/b", "/b", "https://h/b"),
        ("https://h/a b/caf\u{E9}", "/a%20b/caf%C3%A9", "https://h/a%20b/caf%C3%A9"),
        ("https://h/a\\b", "/a/b", "https://h/a/b"),
        ("HTTPS://H.Example:443/x?q=1", "/x", "https://h.example/x?q=1"),
        ("http://h:8080/x/", "/x/", "http://h:8080/x/"),
    ])
    func theURLIsParsedAsNewURLParsesIt(input: String, pathname: String, href: String) throws {
        let request = try Request(input)
        #expect(request.pathname == pathname)
        #expect(request.url.absoluteString == href)
    }

    @Test func aNewRequestFromAnOldOneWithAnotherURL() async throws {
        let original = try Request("https://a/one", RequestInit(method: .put, headers: ["x-a": "1"], text: "body"))
        let moved = try Request("https://b/two?x=1", original)
        #expect(moved.url.absoluteString == "https://b/two?x=1")
        #expect(moved.method == .put)
        #expect(moved.headers.get("x-a") == "1")
        #expect(try await moved.text() == "body")
        #expect(throws: TypeError("Invalid URL: nope")) { try Request("nope", original) }
    }

    @Test func initReplacesWhatItSets() async throws {
        let original = try Request("https://a/one", method: .post, headers: ["x-a": "1"], text: "old")
        let changed = try Request(original, RequestInit(headers: ["x-b": "2"], text: "new"))
        #expect(changed.url == original.url)
        #expect(changed.method == .post)
        #expect(changed.headers.get("x-a") == nil && changed.headers.get("x-b") == "2")
        #expect(try await changed.text() == "new")
    }

    @Test func aGetOrHeadWithABodyThrows() throws {
        let error = TypeError("Request with a GET or HEAD method cannot have a body.")
        #expect(throws: error) { try Request("https://h/", RequestInit(text: "x")) }
        #expect(throws: error) { try Request("https://h/", RequestInit(method: .head, text: "x")) }
        let post = try Request("https://h/", method: .post, text: "x")
        #expect(throws: error) { try Request(post, RequestInit(method: .get, text: "y")) }
        #expect(try Request("https://h/", RequestInit(method: .post, text: "x")).method == .post)
    }

    @Test func fetcherTakesAURLAndInit() async throws {
        let echo = Echo()
        let response = try await echo.fetch("https://svc/echo", RequestInit(method: .post, headers: ["x-k": "v"], text: "hi"))
        #expect(try await response.text() == "POST https://svc/echo v hi")
        let again = try await echo.fetch(try Request("https://svc/first"), RequestInit(method: .delete))
        #expect(try await again.text() == "DELETE https://svc/first  ")
        await #expect(throws: TypeError("Invalid URL: svc")) { try await echo.fetch("svc") }
    }
}

/// A service binding that answers with what it received.
private struct Echo: Fetcher {
    func fetch(_ request: Request) async throws -> Response {
        Response("\(request.method) \(request.url.absoluteString) \(request.headers.get("x-k") ?? "") \(try await request.text())")
    }
}
