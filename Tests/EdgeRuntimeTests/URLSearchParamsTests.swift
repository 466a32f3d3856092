import EdgeRuntime
import Testing

/// `URLSearchParams` against the WHATWG URL standard's application/x-www-form-urlencoded parser
/// and serializer (https://url.spec.whatwg.org/#urlencoded-parsing), as JavaScript reads and writes it.
@Suite struct URLSearchParamsTests {
    @Test func parsesAStringDecodingPlusAsSpace() {
        let params = URLSearchParams("?q=hot+dog&tag=a%2Bb&empty=&bare&=x&euro=%E2%82%AC&bad=%zz")
        #expect(params.get("q") == "hot dog")
        #expect(params.get("tag") == "a+b")
        #expect(params.get("empty") == "")
        #expect(params.get("bare") == "")
        #expect(params.get("") == "x")
        #expect(params.get("euro") == "€")
        #expect(params.get("bad") == "%zz", "a % without two hex digits stays as it is")
        #expect(params.size == 7)
    }

    @Test func requestSearchParamsDecodePlus() throws {
        let request = try Request("https://h/search?q=hot+dog&q=chili%20dog")
        #expect(request.searchParams.getAll("q") == ["hot dog", "chili dog"])
    }

    @Test func buildsFromPairsAndDictionaryLiterals() {
        let pairs = URLSearchParams([("a", "1"), ("a", "2"), ("b", "3")])
        #expect(pairs.toString() == "a=1&a=2&b=3")
        let literal: URLSearchParams = ["z": "1", "a": "2", "z": "3"]
        #expect(literal.toString() == "z=3&a=2", "an object keeps a key's first place and its last value")
    }

    @Test func changesAsJavaScriptDoes() {
        var params = URLSearchParams("a=1&b=2&a=3")
        params.append("c", "x y")
        #expect(params.toString() == "a=1&b=2&a=3&c=x+y")
        params.set("a", "9")
        #expect(params.toString() == "a=9&b=2&c=x+y", "set keeps the first place and drops the others")
        params.set("d", "new")
        params.delete("b")
        #expect(params.toString() == "a=9&c=x+y&d=new")
        params.append("a", "1")
        params.delete("a", "9")
        #expect(params.getAll("a") == ["1"])
        #expect(params.has("c", "x y") && !params.has("c", "nope"))
    }

    @Test func sortIsStableByUTF16CodeUnits() {
        var params = URLSearchParams("c=1&a=2&b=3&a=1&\u{1F600}=e&\u{FFFD}=f")
        params.sort()
        // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FFFD in UTF-16 (not in scalars).
        #expect(params.keys() == ["a", "a", "b", "c", "\u{1F600}", "\u{FFFD}"])
        #expect(params.values() == ["2", "1", "3", "1", "e", "f"])
    }

    @Test func serializesAsFormURLEncoded() {
        let params = URLSearchParams([("q", "a b&c=d"), ("sym", "*-._~!'()"), ("u", "é/?")])
        #expect(params.toString() == "q=a+b%26c%3Dd&sym=*-._%7E%21%27%28%29&u=%C3%A9%2F%3F")
        #expect("\(params)" == params.toString())
        #expect(URLSearchParams(params.toString()) == params, "what toString writes parses back")
    }

    @Test func iteratesInOrder() {
        var names: [String] = []
        for (name, value) in URLSearchParams("x=1&y=2") { names.append("\(name)=\(value)") }
        #expect(names == ["x=1", "y=2"])
    }
}
