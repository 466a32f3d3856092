import Testing

@testable import EdgeRuntime

/// `JSON.parse` refuses what V8 refuses, with V8's messages. The cases and texts are V8's own
/// tests (`test/mjsunit/messages.js`, "kJsonParse..." cases), which workerd's `JSON.parse`
/// and `request.json()` give.
@Suite struct JSONParseErrorTests {
    @Test(arguments: [
        (#"{"a" : "}"#, "Unterminated string in JSON at position 9 (line 1 column 10)"),
        ("{", "Expected property name or '}' in JSON at position 1 (line 1 column 2)"),
        (#"{"foo" : 1, }"#, "Expected double-quoted property name in JSON at position 12 (line 1 column 13)"),
        ("{'foo': 1}", "Expected property name or '}' in JSON at position 1 (line 1 column 2)"),
        ("[1, 2, 3, 4", "Expected ',' or ']' after array element in JSON at position 11 (line 1 column 12)"),
        ("[1, 2, 3, 4g", "Expected ',' or ']' after array element in JSON at position 11 (line 1 column 12)"),
        ("[1e]", "Exponent part is missing a number in JSON at position 3 (line 1 column 4)"),
        (#"{"a"}"#, "Expected ':' after property name in JSON at position 4 (line 1 column 5)"),
        (#"{"a": 0.bs}"#, "Unterminated fractional number in JSON at position 8 (line 1 column 9)"),
        (#"{"a": 3}a"#, "Unexpected non-whitespace character after JSON at position 8 (line 1 column 9)"),
        (#"{"b" : "\a"}"#, "Bad escaped character in JSON at position 9 (line 1 column 10)"),
        ("\"a\u{08}z\"", "Bad control character in string literal in JSON at position 2 (line 1 column 3)"),
        (#"["\t\u"#, "Bad Unicode escape in JSON at position 6 (line 1 column 7)"),
        ("-", "No number after minus sign in JSON at position 1 (line 1 column 2)"),
        ("NaN", "\"NaN\" is not valid JSON"),
        ("/", "Unexpected token '/', \"/\" is not valid JSON"),
        ("undefined", "\"undefined\" is not valid JSON"),
        ("Infinity", "\"Infinity\" is not valid JSON"),
        ("Bad string", "Unexpected token 'B', \"Bad string\" is not valid JSON"),
        ("[object Object]", "\"[object Object]\" is not valid JSON"),
        ("{ 1", "Expected property name or '}' in JSON at position 2 (line 1 column 3)"),
        (#"""""#, "Unexpected non-whitespace character after JSON at position 2 (line 1 column 3)"),
        ("[1, 2,]", "Unexpected token ']', \"[1, 2,]\" is not valid JSON"),
        ("[1, 2, 3, 4, ]", "Unexpected token ']', \"[1, 2, 3, 4, ]\" is not valid JSON"),
        ("[1, 2, 3, 4, 5, , 7, 8, 9, 10]", "Unexpected token ',', ...\" 3, 4, 5, , 7, 8, 9,\"... is not valid JSON"),
        ("[, 2, 3, 4, 5, 6, 7, 8, 9, 10]", "Unexpected token ',', \"[, 2, 3, 4,\"... is not valid JSON"),
        ("[1, 2, 3, 4, 5, 6, 7, ]", "Unexpected token ']', ...\" 5, 6, 7, ]\" is not valid JSON"),
    ])
    func v8sMessages(text: String, message: String) {
        #expect(throws: SyntaxError(message)) { try JSON.parse(text) }
    }

    /// The rest of V8's templates: the end of input, a number or string where none may be, a
    /// literal cut short or misspelt, positions past a line break and in UTF-16 units.
    @Test(arguments: [
        ("", "Unexpected end of JSON input"),
        ("  ", "Unexpected end of JSON input"),
        (#"{"a":"#, "Unexpected end of JSON input"),
        ("tru", "Unexpected end of JSON input"),
        ("trux", "Unexpected token 'x', \"trux\" is not valid JSON"),
        ("01", "Unexpected number in JSON at position 1 (line 1 column 2)"),
        ("n\"", "Unexpected string in JSON at position 1 (line 1 column 2)"),
        ("{\n\"a\" 1}", "Expected ':' after property name in JSON at position 6 (line 2 column 5)"),
        ("[1,\r\n2\r\n3]", "Expected ',' or ']' after array element in JSON at position 8 (line 3 column 1)"),
        ("[\"🍔\" 1]", "Expected ',' or ']' after array element in JSON at position 6 (line 1 column 7)"),
        ("\u{FEFF}1", "Unexpected token '\u{FEFF}', \"\u{FEFF}1\" is not valid JSON"),
        ("'single'", "Unexpected token ''', \"'single'\" is not valid JSON"),
    ])
    func theOtherTemplates(text: String, message: String) {
        #expect(throws: SyntaxError(message)) { try JSON.parse(text) }
    }

    @Test func theErrorPrintsAsJavaScriptDoes() {
        #expect(SyntaxError("Unexpected end of JSON input").description == "SyntaxError: Unexpected end of JSON input")
    }

    /// Edge's limit, where V8 has none: deep input is an error, never a crashed process.
    @Test func nestingIsLimited() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: SyntaxError("Nesting deeper than 512 levels in JSON at position 512 (line 1 column 513)")) { try JSON.parse(deep) }
        let objects = String(repeating: #"{"a":"#, count: 100_000)
        #expect(throws: SyntaxError.self) { try JSON.parse(objects) }
        let allowed = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        #expect(try JSON.parse(allowed) != .null)
    }
}
