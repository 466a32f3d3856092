import EdgeConfig
import Testing

@Suite("VarValue")
struct VarValueTests {
    @Test(
        "JSON text as JSON.stringify writes it",
        arguments: [
            (VarValue.string("plain"), #""plain""#),
            (.string("quote \" backslash \\ newline \n tab \t bell \u{07} é /"), #""quote \" backslash \\ newline \n tab \t bell \u0007 é /""#),
            (.int(-42), "-42"),
            (.double(2), "2"),
            (.double(0.25), "0.25"),
            (.double(.infinity), "null"),
            (.bool(false), "false"),
            (.array([.int(1), .string("a"), .array([])]), #"[1,"a",[]]"#),
            (.table(["b": .int(2), "a": .table([:])]), #"{"a":{},"b":2}"#),
        ]
    )
    func jsonText(value: VarValue, json: String) {
        #expect(value.jsonText == json)
    }

    @Test("a string is read as itself, anything else as its JSON text")
    func stringValue() {
        #expect(VarValue.string("https://x").stringValue == "https://x")
        #expect(VarValue.int(3).stringValue == "3")
        #expect(VarValue.table(["beta": .bool(true)]).stringValue == #"{"beta":true}"#)
    }
}
