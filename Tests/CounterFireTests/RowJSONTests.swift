import Foundation
import Testing

@testable import CounterFire

/// The reader of the JSON columns CounterFire writes (`items`, `status_times`).
@Suite struct RowJSONTests {
    static let awkward = [
        "plain", "", "quote \" backslash \\ slash /", "new\nline\ttab\r\u{08}\u{0C}", "bell \u{07} nul \u{00}",
        "é ü 中文", "emoji 🍔🍟 and a flag 🇫🇷", "DROP TABLE orders; --", "\u{2028}\u{2029}", String(repeating: "x", count: 500),
    ]

    @Test func itemsWrittenByJSONEncoderReadBackExactly() throws {
        let items = Self.awkward.enumerated().map { index, text in
            OrderItem(name: text, quantity: index % 99 + 1, notes: index.isMultiple(of: 2) ? nil : text)
        }
        let stored = String(decoding: try JSONEncoder().encode(items), as: UTF8.self)
        #expect(try RowJSON.items(stored) == items)
        let times = Dictionary(uniqueKeysWithValues: Self.awkward.map { ($0, "2026-11-29T07:00:00.000Z \($0)") })
        #expect(try RowJSON.statusTimes(String(decoding: try JSONEncoder().encode(times), as: UTF8.self)) == times)
    }

    @Test(arguments: [
        #"{"a": [1, -2, 3.5, 1e3, -0, 9223372036854775807, 9223372036854775808], "b": {"c": null, "d": true, "e": false}}"#,
        #"["\u0041\u00e9\u4e2d\ud83c\udf54", "\"\\\/\b\f\n\r\t"]"#,
        " \n\t[ ] ", #"{"k": 1, "k": 2}"#, "0", #""text""#,
    ])
    func readsWhatJSONSerializationReads(text: String) throws {
        let value = try RowJSON.parse(text)
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        #expect(Self.same(value, foundation), "\(value) vs \(foundation)")
    }

    @Test(arguments: [
        "", "[", "]", "[1,]", #"{"a":1,}"#, #"{"a"}"#, #"{a:1}"#, "01", "1.", ".5", "-", "1e", "+1", "[1] x", "tru", "nul",
        #""\x""#, "\"\u{01}\"", #""\ud83c""#, #""\ud83cx""#, #""\u12""#, "\"open", "NaN", "[1 2]",
    ])
    func refusesWhatIsNotJSON(text: String) {
        #expect(throws: RowJSON.Invalid.self) { try RowJSON.parse(text) }
    }

    @Test func nestingIsLimited() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: RowJSON.Invalid.self) { try RowJSON.parse(deep) }
        let allowed = String(repeating: "[", count: RowJSON.maxDepth) + String(repeating: "]", count: RowJSON.maxDepth)
        _ = try RowJSON.parse(allowed)
    }

    @Test func columnsOfTheWrongShapeAreCorruptData() throws {
        for items in [#"{}"#, #"[1]"#, #"[{"name":1,"quantity":1}]"#, #"[{"name":"a","quantity":1.5}]"#, #"[{"name":"a","quantity":1,"notes":2}]"#] {
            #expect(throws: StoreError.self) { try RowJSON.items(items) }
        }
        #expect(try RowJSON.items(#"[{"name":"a","quantity":2,"notes":null}]"#) == [OrderItem(name: "a", quantity: 2, notes: nil)])
        for times in ["[]", #"{"received":1}"#] {
            #expect(throws: StoreError.self) { try RowJSON.statusTimes(times) }
        }
    }

    /// Whether a parsed value equals what JSONSerialization made of the same text.
    static func same(_ value: JSONValue, _ object: Any) -> Bool {
        switch value {
        case .null: return object is NSNull
        case .bool(let bool): return (object as? Bool) == bool
        case .integer(let integer): return (object as? NSNumber)?.int64Value == integer
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
