import Foundation
import NIOCore
import Testing

@testable import EdgeRuntime

/// `JSON.parse` to a `JSONValue`, read loosely as JavaScript reads a parsed body.
@Suite struct JSONValueTests {
    static let body = #"{"title": "Hello", "count": 3, "ratio": 0.5, "tags": ["a", "b"], "draft": false, "owner": null, "z": 1, "a": 2}"#

    @Test func readsAsJavaScriptDoes() throws {
        let body = try JSON.parse(Self.body)
        #expect(body["title"]?.string == "Hello")
        #expect(body["count"]?.integer == 3)
        #expect(body["ratio"]?.integer == nil)
        #expect(body["ratio"]?.number == 0.5)
        #expect(body["tags"]?[1]?.string == "b")
        #expect(body["tags"]?[2] == nil)
        #expect(body["draft"]?.bool == false)
        #expect(body["owner"]?.isNull == true)
        #expect(body["missing"] == nil)
        #expect(body["title"]?["length"] == nil)
        if case .string(let title)? = body["title"] { #expect(title == "Hello") } else { Issue.record("title") }
        // typeof
        #expect(body["title"]?.typeof == "string")
        #expect(body["count"]?.typeof == "number")
        #expect(body["draft"]?.typeof == "boolean")
        #expect(body["owner"]?.typeof == "object")
        #expect(body["tags"]?.typeof == "object")
        #expect(body["tags"]?.isArray == true)
        #expect(body.typeof == "object")
        // Object.keys keeps the text's order.
        #expect(body.object?.keys.elementsEqual(["title", "count", "ratio", "tags", "draft", "owner", "z", "a"]) == true)
    }

    @Test func setsFieldsInPlaceAndWritesThemInOrder() {
        var value: JSONValue = ["b": 1, "a": [true, .null]]
        value["c"] = "x"
        value["b"] = 2.5
        #expect(value.description == #"{"b":2.5,"a":[true,null],"c":"x"}"#)
        var notAnObject: JSONValue = [1]
        notAnObject["a"] = 1
        #expect(notAnObject == [1])
    }

    /// Duplicate keys: the last value, at the first one's place (as V8 builds the object).
    @Test func duplicateKeysKeepTheFirstPlaceAndTheLastValue() throws {
        #expect(JSON.stringify(try JSON.parse(#"{"a":1,"b":2,"a":3}"#)) == #"{"a":3,"b":2}"#)
    }

    /// Every number is a double, as in JavaScript: `1e400` is Infinity (written back as null).
    @Test func numbersAreDoubles() throws {
        #expect(try JSON.parse("[1, 1.0, 1e0, -0, 1e400, -1e400, 9007199254740993]") == .array([1, 1, 1, 0, .number(.infinity), .number(-.infinity), 9_007_199_254_740_992]))
    }

    @Test(arguments: [
        #"{"a":[1,2.5,"x",true,false,null,{"b":{}}],"c":[]}"#, #""\u0000\"\\/\b\f\n\r\t""#, "[-1.5e-7,1e+21,0.1]",
        #"{"é":"中🍔","\u2028":"\u2029"}"#, "[[[[[[]]]]]]", "null", "\"\"",
    ])
    func parsedTextWritesBackAsJavaScriptWould(text: String) throws {
        let value = try JSON.parse(text)
        #expect(try JSON.parse(JSON.stringify(value)) == value)
        #expect(try JSON.parse(try JSON.stringify(value as JSONValue)) == value)
    }

    /// Unicode: escapes and raw text read the same; a lone surrogate, which a Swift String
    /// cannot hold, becomes U+FFFD (what JavaScript sends for it as UTF-8).
    @Test func unicode() throws {
        #expect(try JSON.parse(#"["\u00e9\u4E2D\ud83c\udf54", "é中🍔"]"#) == ["é中🍔", "é中🍔"])
        #expect(try JSON.parse(#"["\ud83c", "\udf54x", "\ud83c\u0041"]"#) == ["\u{FFFD}", "\u{FFFD}x", "\u{FFFD}A"])
        #expect(JSON.stringify(["🇫🇷 e\u{301}"] as JSONValue) == "[\"🇫🇷 e\u{301}\"]")
    }

    /// Bytes as `request.json()` reads them: a byte order mark skipped, invalid UTF-8 replaced.
    @Test func bytesAsRequestJSONReadsThem() throws {
        #expect(try JSON.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == [1])
        #expect(try JSON.parse(bytes: Array(#"["a"#.utf8) + [0xFF] + Array(#""]"#.utf8)) == ["a\u{FFFD}"])
        #expect(try ByteBuffer(string: #"{"a":1}"#).parseJSON() == ["a": 1])
        // The lossless reading refuses instead.
        #expect(throws: SyntaxError.self) { try JSON.parse(bytes: Array(#"["a"#.utf8) + [0xFF] + Array(#""]"#.utf8), fidelity: .lossless) }
        #expect(throws: SyntaxError.self) { try JSON.parse(bytes: Array(#"["\ud83c"]"#.utf8), fidelity: .lossless) }
        #expect(throws: SyntaxError.self) { try JSON.parse(bytes: Array("1e400".utf8), fidelity: .lossless) }
    }

    @Test func requestJSON() async throws {
        let url = try #require(URL(string: "http://127.0.0.1/v1"))
        let request = Request(url: url, method: .post, body: ReadableStream(Self.body))
        let body = try await request.json()
        #expect(body["tags"] == ["a", "b"])
        struct Post: Decodable { let title: String; let count: Int; let owner: String?; let missing: Int? }
        let post = try await Request(url: url, method: .post, body: ReadableStream(Self.body)).json(as: Post.self)
        #expect(post.title == "Hello" && post.count == 3 && post.owner == nil && post.missing == nil)
        await #expect(throws: SyntaxError("Unexpected token 'o', \"not json\" is not valid JSON")) {
            try await Request(url: url, method: .post, body: ReadableStream("not json")).json()
        }
    }
}
