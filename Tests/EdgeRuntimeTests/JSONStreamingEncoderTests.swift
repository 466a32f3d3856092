import Foundation
import OrderedCollections
import Testing

@testable import EdgeRuntime

/// `JSON.stringify` writes a value as it is encoded (``JSONStreamingEncoder``); the bytes must
/// be the ones the tree (``JSONStringifier``) gives, under every option, and the shapes a
/// stream cannot write in order must go to the tree.
@Suite struct JSONStreamingEncoderTests {
    struct Item: Codable {
        var name: String
        var quantity: Int
        var notes: String?
    }

    enum Status: String, Codable { case open, closed }

    struct Everything: Encodable {
        var zebra = "z \" \\ / \n é 🍔"
        var id = -7
        var unsigned: UInt64 = .max
        var small: Int8 = -128
        var ratio = 0.1
        var huge = 1e21
        var notANumber = Double.nan
        var float: Float = 1.5
        var flag = false
        var note: String? = nil
        var count: Int? = nil
        var items = [Item(name: "Fries", quantity: 2, notes: nil), Item(name: "a/b", quantity: 1, notes: "x")]
        var empty: [Int] = []
        var optionals: [String?] = ["a", nil]
        var status = Status.open
        var times = ["ready": "t2", "received": "t0", "Zed": "t9", "preparing": "t1"]
        var numbered = [3: "c", 1: "a", 20: "b"]
        var ordered: OrderedDictionary<String, Int> = ["z": 1, "a": 2]
        var value: JSONValue = ["b": 1, "a": [true, .null, "x"]]
        var date = Date(timeIntervalSince1970: 1_795_000_000.125)
        var data = Data([0, 1, 254, 255])
        var url = URL(string: "https://example.com/a b?q=1")
        var nested = [["k": [1, 2]], [:]]
        var nothing: [String: Int] = [:]
    }

    /// Encodes nothing at all: `{}`.
    struct Silent: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    /// Asks for its container twice: one object.
    struct Twice: Encodable {
        enum Keys: String, CodingKey { case b, a }
        func encode(to encoder: any Encoder) throws {
            var first = encoder.container(keyedBy: Keys.self)
            try first.encode(1, forKey: .b)
            var second = encoder.container(keyedBy: Keys.self)
            try second.encode(2, forKey: .a)
        }
    }

    static let options = [
        JSON.Options(), JSON.Options(nilFields: .omitted), JSON.Options(sortedKeys: true),
        JSON.Options(nilFields: .omitted, sortedKeys: true),
    ]

    static func tree<T: Encodable>(_ value: T, _ options: JSON.Options) throws -> [UInt8] {
        var writer = JSONWriter()
        writer.write(try JSONStringifier.encode(value, options: options), sortedKeys: options.sortedKeys)
        return writer.bytes
    }

    static func streamsAsTheTreeWrites<T: Encodable>(_ value: T) throws {
        for options in options {
            let streamed = try #require(JSONStreamingEncoder.bytes(value, options: options), "\(T.self) was not streamed")
            #expect(String(decoding: streamed, as: UTF8.self) == String(decoding: try tree(value, options), as: UTF8.self))
        }
    }

    @Test func synthesisedCodableIsStreamedWithTheTreesBytes() throws {
        try Self.streamsAsTheTreeWrites(Everything())
        try Self.streamsAsTheTreeWrites([Everything(), Everything(note: "n", count: 3)])
        try Self.streamsAsTheTreeWrites(Silent())
        try Self.streamsAsTheTreeWrites(Twice())
        try Self.streamsAsTheTreeWrites("top-level text")
        try Self.streamsAsTheTreeWrites(Optional<Int>.none)
        try Self.streamsAsTheTreeWrites(Status.closed)
        try Self.streamsAsTheTreeWrites(Dictionary(uniqueKeysWithValues: (0..<40).map { ("key\($0 * 7 % 40)", $0) }))
    }

    /// Fields that do not come in key order are moved into it, each with its own bytes.
    @Test func sortedKeysMoveFieldsWithTheirValues() throws {
        struct Unsorted: Encodable {
            var zeta = ["y": [1], "b": [2]]
            var alpha = Item(name: "n", quantity: 1, notes: nil)
            var mid = "m"
        }
        let text = try JSON.stringify(Unsorted(), options: JSON.Options(sortedKeys: true))
        #expect(text == #"{"alpha":{"name":"n","notes":null,"quantity":1},"mid":"m","zeta":{"b":[2],"y":[1]}}"#)
        try Self.streamsAsTheTreeWrites(Unsorted())
    }

    /// Shapes a stream cannot write in order go to the tree, which still writes them.
    @Test func handNestedContainersAndRepeatedKeysGoToTheTree() throws {
        struct Nested: Encodable {
            enum Keys: String, CodingKey { case outer, after }
            enum Inner: String, CodingKey { case x }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                var inner = container.nestedContainer(keyedBy: Inner.self, forKey: .outer)
                try container.encode(1, forKey: .after)
                try inner.encode(2, forKey: .x)
            }
        }
        struct Repeated: Encodable {
            enum Keys: String, CodingKey { case b, a }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(1, forKey: .b)
                try container.encode(2, forKey: .a)
                try container.encode(3, forKey: .b)
            }
        }
        struct Super: Encodable {
            enum Keys: String, CodingKey { case a }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try 5.encode(to: container.superEncoder())
            }
        }
        struct Mixed: Encodable {
            enum Keys: String, CodingKey { case a }
            func encode(to encoder: any Encoder) throws {
                var array = encoder.unkeyedContainer()
                try array.encode(1)
                var object = encoder.container(keyedBy: Keys.self)
                try object.encode(2, forKey: .a)
            }
        }
        for options in Self.options {
            #expect(JSONStreamingEncoder.bytes(Nested(), options: options) == nil)
            #expect(JSONStreamingEncoder.bytes(Repeated(), options: options) == nil)
            #expect(JSONStreamingEncoder.bytes(Super(), options: options) == nil)
            #expect(JSONStreamingEncoder.bytes(Mixed(), options: options) == nil)
        }
        #expect(try JSON.stringify(Nested()) == #"{"outer":{"x":2},"after":1}"#)
        #expect(try JSON.stringify(Repeated()) == #"{"b":3,"a":2}"#)
        #expect(try JSON.stringify(Repeated(), options: JSON.Options(sortedKeys: true)) == #"{"a":2,"b":3}"#)
        #expect(try JSON.stringify(Super()) == #"{"super":5}"#)
    }

    /// An invalid `Date` is the tree's error, with its coding path.
    @Test func anInvalidDateIsTheTreesError() throws {
        struct Stamped: Encodable { let at: Date }
        let value = [Stamped(at: Date(timeIntervalSince1970: 9e15))]
        #expect(JSONStreamingEncoder.bytes(value, options: JSON.Options()) == nil)
        #expect(throws: EncodingError.self) { try JSON.stringify(value) }
    }
}
