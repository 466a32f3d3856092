import Foundation
import Testing

@testable import EdgeRuntime

/// `JSON.stringify` of `Encodable` values: JavaScript's key order, `null` for `nil`, its
/// string escapes.
@Suite struct JSONStringifyTests {
    struct Order: Codable, Equatable {
        var zebra: String
        var id: Int
        var note: String?
        var items: [Item]
        var apple: Bool
    }

    struct Item: Codable, Equatable {
        var name: String
        var quantity: Int
        var price: Double?
    }

    static let order = Order(zebra: "z", id: 7, note: nil, items: [Item(name: "Fries", quantity: 2, price: 3.5), Item(name: "Cola", quantity: 1, price: nil)], apple: true)

    /// Keys in declaration order (as an object literal's), `null` for each `nil`: the same text
    /// on every run, where Foundation's unsorted `JSONEncoder` changes its order from run to run.
    @Test func keysInDeclarationOrderAndNullForNil() throws {
        let expected = #"{"zebra":"z","id":7,"note":null,"items":[{"name":"Fries","quantity":2,"price":3.5},{"name":"Cola","quantity":1,"price":null}],"apple":true}"#
        #expect(try JSON.stringify(Self.order) == expected)
    }

    /// `undefined`-like omission and Foundation's sorted form, as options.
    @Test func nilFieldsCanBeLeftOutAndKeysSorted() throws {
        let omitted = try JSON.stringify(Self.order, options: JSON.Options(nilFields: .omitted))
        #expect(omitted == #"{"zebra":"z","id":7,"items":[{"name":"Fries","quantity":2,"price":3.5},{"name":"Cola","quantity":1}],"apple":true}"#)
        let sorted = try JSON.stringify(Self.order, options: JSON.Options(nilFields: .omitted, sortedKeys: true))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(sorted == String(decoding: try encoder.encode(Self.order), as: UTF8.self))
    }

    /// A hand-written `encode(to:)` decides the order and what is left out, as code building
    /// an object key by key does.
    @Test func aHandWrittenEncodeKeepsItsOrder() throws {
        struct Custom: Encodable {
            enum Keys: String, CodingKey { case b, a, c }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(1, forKey: .b)
                try container.encode(2, forKey: .a)
                try container.encodeNil(forKey: .c)
                try container.encode(3, forKey: .b)  // assigned again: keeps its place
            }
        }
        #expect(try JSON.stringify(Custom()) == #"{"b":3,"a":2,"c":null}"#)
    }

    /// A Dictionary has no order: its keys are sorted so the text is stable. An
    /// OrderedDictionary (a Map's twin) keeps its order, as an object.
    @Test func dictionariesAreSortedOrderedDictionariesKeepTheirOrder() throws {
        #expect(try JSON.stringify(["b": 1, "a": 2, "B": 3, "é": 4]) == #"{"B":3,"a":2,"b":1,"é":4}"#)
        let map: OrderedDictionary = ["b": 1, "a": 2, "c": 3]
        #expect(try JSON.stringify(map) == #"{"b":1,"a":2,"c":3}"#)
        #expect(try JSON.parse(#"{"b":1,"a":2,"c":3}"#, as: OrderedDictionary<String, Int>.self).keys.elementsEqual(["b", "a", "c"]))
        let set: OrderedSet = ["z", "a"]
        #expect(try JSON.stringify(set) == #"["z","a"]"#)
    }

    /// ECMA-262 `QuoteJSONString`: `"` `\` and control characters escaped, `/`, DEL, U+2028 and
    /// everything else as it is.
    @Test func stringsAreEscapedAsJavaScriptDoes() throws {
        #expect(try JSON.stringify(["quote \" backslash \\ slash /"]) == #"["quote \" backslash \\ slash /"]"#)
        #expect(try JSON.stringify(["\u{08}\u{0C}\n\r\t\u{00}\u{01}\u{1F}"]) == #"["\b\f\n\r\t\u0000\u0001\u001f"]"#)
        #expect(try JSON.stringify(["\u{7F} \u{2028}\u{2029} é 中 🍔"]) == "[\"\u{7F} \u{2028}\u{2029} é 中 🍔\"]")
        #expect(JSON.stringify(["k\"": "v\n"] as JSONValue) == #"{"k\"":"v\n"}"#)
    }

    /// Foundation's types as JavaScript's would be written: a Date by `toISOString()`, Data as
    /// base64, a URL as its text; an invalid Date is refused as `JSON.stringify` refuses one.
    @Test func foundationTypes() throws {
        struct Stamp: Codable, Equatable { let at: Date; let data: Data; let url: URL }
        let stamp = Stamp(at: Date(timeIntervalSince1970: 1_764_000_000.125), data: Data([0, 1, 255]), url: URL(string: "https://example.com/a?b=c")!)
        let text = try JSON.stringify(stamp)
        #expect(text == #"{"at":"2025-11-24T16:00:00.125Z","data":"AAH/","url":"https://example.com/a?b=c"}"#)
        #expect(try JSON.parse(text, as: Stamp.self) == stamp)
        #expect(throws: EncodingError.self) { try JSON.stringify([Date(timeIntervalSince1970: .nan)]) }
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (951_782_400.25, "2000-02-29T00:00:00.250Z"), (-0.5, "1969-12-31T23:59:59.500Z"),
        (253_402_300_800.0, "+010000-01-01T00:00:00.000Z"), (-62_198_755_200.0, "-000001-01-01T00:00:00.000Z"),
        (8.64e12, "+275760-09-13T00:00:00.000Z"),
    ])
    func toISOString(seconds: Double, expected: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(date.toISOString() == expected)
        if expected.count == 24 { #expect(Date(isoString: expected) == date) }
    }

    @Test func datesJavaScriptCannotHoldAreInvalid() {
        #expect(Date(timeIntervalSince1970: 8.64e12 + 1).toISOString() == "Invalid Date")
        #expect(Date(timeIntervalSince1970: .infinity).toISOString() == "Invalid Date")
        for text in ["2025-02-29T00:00:00.000Z", "2025-13-01T00:00:00.000Z", "2025-01-01 00:00:00.000Z", "2025-01-01T00:00:00.000", "x"] {
            #expect(Date(isoString: text) == nil, "\(text)")
        }
    }

    /// `Response.json` writes with it.
    @Test func responseJSONWritesAsStringifyDoes() async throws {
        let response = Response.json(Self.order, status: .created)
        #expect(response.status == .created)
        #expect(response.headers.get("content-type") == "application/json")
        #expect(try await response.text() == (try JSON.stringify(Self.order)))
    }
}
