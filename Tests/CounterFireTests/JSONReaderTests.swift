import EdgeRuntime
import Foundation
import Testing

@testable import CounterFire

/// CounterFire's reading of JSON through the runtime's parser: the JSON columns it writes
/// (`items`, `status_times`) and request bodies, which it reads losslessly (refusing what
/// `request.json()` would change) so a changed value is never stored.
@Suite struct JSONReaderTests {
    static let awkward = [
        "plain", "", "quote \" backslash \\ slash /", "new\nline\ttab\r\u{08}\u{0C}", "bell \u{07} nul \u{00}",
        "é ü 中文", "emoji 🍔🍟 and a flag 🇫🇷", "DROP TABLE orders; --", "\u{2028}\u{2029}", String(repeating: "x", count: 500),
    ]

    @Test func itemsWrittenByJSONEncoderReadBackExactly() throws {
        let items = Self.awkward.enumerated().map { index, text in
            OrderItem(name: text, quantity: index % 99 + 1, notes: index.isMultiple(of: 2) ? nil : text)
        }
        let stored = String(decoding: try JSONEncoder().encode(items), as: UTF8.self)
        #expect(try OrderRows.items(stored) == items)
        let times = Dictionary(uniqueKeysWithValues: Self.awkward.map { ($0, "2026-11-29T07:00:00.000Z \($0)") })
        #expect(try OrderRows.statusTimes(String(decoding: try JSONEncoder().encode(times), as: UTF8.self)) == times)
    }

    @Test(arguments: [
        #"{"a": [1, -2, 3.5, 1e3, -0, 9223372036854775807, 9223372036854775808], "b": {"c": null, "d": true, "e": false}}"#,
        #"["\u0041\u00e9\u4e2d\ud83c\udf54", "\"\\\/\b\f\n\r\t"]"#,
        " \n\t[ ] ", "0", #""text""#,
    ])
    func readsWhatJSONSerializationReads(text: String) throws {
        let value = try #require(JSONValue.parse(Array(text.utf8)))
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        #expect(Self.same(value, foundation), "\(value) vs \(foundation)")
    }

    /// Bodies CounterFire answers `invalid_json`: not JSON, or JSON whose value `request.json()`
    /// would change (a lone surrogate, a number past a double, invalid UTF-8).
    @Test(arguments: [
        "", "[", "]", "[1,]", #"{"a":1,}"#, #"{"a"}"#, #"{a:1}"#, "01", "1.", ".5", "-", "1e", "+1", "[1] x", "tru", "nul",
        #""\x""#, "\"\u{01}\"", #""\ud83c""#, #""\ud83cx""#, #""\ud83c\u0041""#, #""\udc00""#, #""\u12""#, "\"open", "NaN", "[1 2]", "1e400", "-1e999",
    ])
    func refusesWhatIsNotJSON(text: String) {
        #expect(JSONValue.parse(Array(text.utf8)) == nil)
    }

    /// As `request.json()` on Workers: numbers are doubles, the last duplicate key counts, a
    /// byte order mark is skipped; invalid UTF-8 is refused.
    @Test func readsAsWorkersDo() throws {
        #expect(JSONValue.parse(Array("[2, 2.0, 2e0, 20E-1, -0, 2.5, 1e300]".utf8)) == .array([2, 2, 2, 2, 0, 2.5, 1e300]))
        #expect(JSONValue.parse(Array("[2.0, 2.5]".utf8))?[0]?.integer == 2)
        #expect(JSONValue.parse(Array("[2.0, 2.5]".utf8))?[1]?.integer == nil)
        #expect(JSONValue.parse(Array(#"{"k": 1, "k": 2}"#.utf8)) == ["k": 2])
        #expect(JSONValue.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == [1])
        #expect(JSONValue.parse(Array(#"["a"#.utf8) + [0xFF] + Array(#""]"#.utf8)) == nil)
        #expect(JSONValue.parse([0xC0, 0x80]) == nil)
        #expect(JSONValue.parse(Array(#"["é🍔"]"#.utf8)) == ["é🍔"])
    }

    @Test func nestingIsLimited() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(JSONValue.parse(Array(deep.utf8)) == nil)
        let allowed = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(JSONValue.parse(Array(allowed.utf8)) != nil)
    }

    @Test func columnsOfTheWrongShapeAreCorruptData() throws {
        for items in [#"{}"#, #"[1]"#, #"[{"name":1,"quantity":1}]"#, #"[{"name":"a","quantity":1.5}]"#, #"[{"name":"a","quantity":1,"notes":2}]"#] {
            #expect(throws: StoreError.self) { try OrderRows.items(items) }
        }
        #expect(try OrderRows.items(#"[{"name":"a","quantity":2,"notes":null}]"#) == [OrderItem(name: "a", quantity: 2, notes: nil)])
        for times in ["[]", #"{"received":1}"#] {
            #expect(throws: StoreError.self) { try OrderRows.statusTimes(times) }
        }
        #expect(throws: StoreError.self) { try OrderRows.items("[") }
    }

    /// Whether a parsed value equals what JSONSerialization made of the same text.
    static func same(_ value: JSONValue, _ object: Any) -> Bool {
        switch value {
        case .null: return object is NSNull
        case .bool(let bool): return (object as? Bool) == bool
        case .number(let number): return (object as? NSNumber)?.doubleValue == number
        case .string(let string): return (object as? String) == string
        case .array(let values):
            guard let array = object as? [Any], array.count == values.count else { return false }
            return zip(values, array).allSatisfy { same($0, $1) }
        case .object(let fields):
            guard let dictionary = object as? [String: Any], dictionary.count == fields.count else { return false }
            return fields.allSatisfy { key, value in dictionary[key].map { same(value, $0) } ?? false }
        }
    }
}
