import Foundation
import Testing

@testable import EdgeRuntime

/// `JSON.parse(text, as: T.self)`: a parsed value read into a `Decodable` type.
@Suite struct JSONDecodingTests {
    struct Everything: Codable, Equatable {
        var string: String
        var bool: Bool
        var double: Double
        var float: Float
        var int: Int
        var int8: Int8
        var uint64: UInt64
        var optional: Int?
        var array: [String]
        var nested: [String: [Int]]
        var ordered: OrderedDictionary<String, Bool>
        var value: JSONValue
    }

    static let value = Everything(
        string: "s \"é\" 🍔", bool: true, double: 0.1, float: 1.5, int: -42, int8: -128, uint64: 12_345, optional: nil,
        array: ["a", "b"], nested: ["x": [1, 2], "a": []], ordered: ["z": true, "a": false], value: ["any": [1, .null, "x"]])

    @Test func roundTrips() throws {
        let text = try JSON.stringify(Self.value)
        #expect(try JSON.parse(text, as: Everything.self) == Self.value)
        #expect(try JSON.parse(bytes: Array(text.utf8), as: Everything.self) == Self.value)
        #expect(text.contains(#""optional":null"#))
        #expect(text.contains(#""ordered":{"z":true,"a":false}"#))
    }

    /// Integers take numbers that are integers exactly and fit, as `Number.isInteger` and a
    /// range check would.
    @Test func integersMustBeExact() throws {
        #expect(try JSON.parse("[2.0]", as: [Int].self) == [2])
        #expect(throws: DecodingError.self) { try JSON.parse("[2.5]", as: [Int].self) }
        #expect(throws: DecodingError.self) { try JSON.parse("[300]", as: [UInt8].self) }
        #expect(throws: DecodingError.self) { try JSON.parse("[-1]", as: [UInt].self) }
        #expect(throws: DecodingError.self) { try JSON.parse(#"["1"]"#, as: [Int].self) }
    }

    @Test func missingAndNullFields() throws {
        struct Post: Decodable { let title: String; let note: String? }
        #expect(try JSON.parse(#"{"title":"t"}"#, as: Post.self).note == nil)
        #expect(try JSON.parse(#"{"title":"t","note":null}"#, as: Post.self).note == nil)
        #expect(throws: DecodingError.self) { try JSON.parse(#"{"note":"n"}"#, as: Post.self) }
        #expect(throws: DecodingError.self) { try JSON.parse(#"{"title":null}"#, as: Post.self) }
        #expect(throws: DecodingError.self) { try JSON.parse(#"[]"#, as: Post.self) }
        #expect(throws: SyntaxError.self) { try JSON.parse(#"{"title":"#, as: Post.self) }
    }

    /// Class hierarchies through `superEncoder`/`superDecoder`.
    @Test func superEncoders() throws {
        struct Wrapper: Codable, Equatable {
            let inner: Int
            let outer: String
            enum Keys: String, CodingKey { case outer }
            init(inner: Int, outer: String) { (self.inner, self.outer) = (inner, outer) }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Keys.self)
                outer = try container.decode(String.self, forKey: .outer)
                inner = try container.superDecoder().singleValueContainer().decode(Int.self)
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(outer, forKey: .outer)
                var superContainer = container.superEncoder().singleValueContainer()
                try superContainer.encode(inner)
            }
        }
        let text = try JSON.stringify(Wrapper(inner: 5, outer: "o"))
        #expect(text == #"{"outer":"o","super":5}"#)
        #expect(try JSON.parse(text, as: Wrapper.self) == Wrapper(inner: 5, outer: "o"))
    }
}
