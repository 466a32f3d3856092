import EdgeRuntime
import Testing

/// `URLPattern` against the examples of the URLPattern standard (https://urlpattern.spec.whatwg.org)
/// and MDN's page on it.
@Suite struct URLPatternTests {
    @Test func namedGroups() throws {
        let pattern = try URLPattern(pathname: "/v1/orders/:id")
        let result = try #require(pattern.exec("https://shop.example/v1/orders/42"))
        #expect(result.pathname.groups["id"] == "42")
        #expect(result.pathname.input == "/v1/orders/42")
        #expect(result.hostname.input == "shop.example")
        #expect(!pattern.test("https://shop.example/v1/orders/42/status"))
        #expect(!pattern.test("https://shop.example/v1/orders/"))
    }

    @Test func anEncodedSlashStaysInItsSegment() throws {
        let pattern = try URLPattern(pathname: "/v1/orders/:id")
        #expect(pattern.exec("https://h/v1/orders/a%2Fb")?.pathname.groups["id"] == "a%2Fb")
        #expect(!pattern.test("https://h/v1/orders/a/b"))
    }

    @Test func regexpGroups() throws {
        let pattern = try URLPattern(pathname: "/books/:id(\\d+)")
        #expect(pattern.exec("https://example.com/books/123")?.pathname.groups == ["id": "123"])
        #expect(!pattern.test("https://example.com/books/abc"))
        let unnamed = try URLPattern(pathname: "/(\\d+)/*")
        #expect(unnamed.exec("https://h/1/2/3")?.pathname.groups == ["0": "1", "1": "2/3"], "unnamed groups are numbered")
    }

    @Test func wildcardsAndOptionals() throws {
        let wildcard = try URLPattern(pathname: "/books/*")
        #expect(wildcard.exec("https://h/books/a/b")?.pathname.groups["0"] == "a/b")
        let optional = try URLPattern(pathname: "/books/:id?")
        #expect(optional.test("https://h/books") && optional.test("https://h/books/1") && !optional.test("https://h/books/1/2"))
        #expect(optional.exec("https://h/books")?.pathname.groups["id"] == nil, "an unmatched group is absent, as undefined")
        let group = try URLPattern(pathname: "/foo{/bar}?")
        #expect(group.test("https://h/foo") && group.test("https://h/foo/bar") && !group.test("https://h/foo/baz"))
    }

    @Test func repeatedModifiers() throws {
        let oneOrMore = try URLPattern(pathname: "/files/:path+")
        #expect(oneOrMore.exec("https://h/files/a/b/c")?.pathname.groups["path"] == "a/b/c")
        #expect(!oneOrMore.test("https://h/files"))
        let zeroOrMore = try URLPattern(pathname: "/files/:path*")
        #expect(zeroOrMore.test("https://h/files"))
        #expect(zeroOrMore.exec("https://h/files/a/b")?.pathname.groups["path"] == "a/b")
    }

    @Test func otherComponents() throws {
        let pattern = try URLPattern(protocol: "http{s}?", hostname: "{*.}?example.com", pathname: "/api/*", search: "v=:version")
        #expect(pattern.test("https://a.b.example.com/api/x?v=2"))
        #expect(pattern.test("http://example.com/api/?v=1"))
        #expect(!pattern.test("ftp://example.com/api/x?v=1"))
        #expect(!pattern.test("https://exampleXcom/api/x?v=1"))
        #expect(pattern.exec("https://example.com/api/x?v=2")?.search.groups["version"] == "2")
        let port = try URLPattern(port: "(80|8080)")
        #expect(port.test("http://h:8080/") && !port.test("http://h:9000/"))
    }

    @Test func ignoreCase() throws {
        #expect(!(try URLPattern(pathname: "/Books")).test("https://h/books"))
        #expect(try URLPattern(pathname: "/Books", ignoreCase: true).test("https://h/books"))
    }

    @Test func aStringThatIsNotAURLDoesNotMatch() throws {
        #expect(try URLPattern(pathname: "*").exec("not a url") == nil)
    }

    @Test(arguments: [
        ("/:", "Missing parameter name"),
        ("/(", "Unbalanced regular expression group"),
        ("/((x))", "Capturing groups are not allowed"),
        ("/(?x)", "cannot start with \"?\""),
        ("/{abc", "Expected \"}\""),
        ("/:a/:a", "Duplicate group name \"a\""),
        ("/abc\\", "Trailing backslash"),
        ("/([a-)", "Invalid regular expression"),
    ])
    func invalidPatternsThrowTypeError(pattern: String, reason: String) {
        #expect {
            _ = try URLPattern(pathname: pattern)
        } throws: { error in
            guard let error = error as? TypeError else { return false }
            return error.message.hasPrefix("Failed to construct URLPattern: ") && error.message.contains(reason)
        }
    }
}
