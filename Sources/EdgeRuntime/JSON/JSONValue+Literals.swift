import OrderedCollections

extension JSONValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// `true`, `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `42`.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// `4.2`.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// `"text"`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `[1, "a", null]`.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// `["a": 1, "b": 2]`, in the order written, as a JavaScript object literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(OrderedDictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONValue: CustomStringConvertible {
    /// `JSON.stringify(value)`.
    public var description: String { JSON.stringify(self) }
}

extension JSONValue: Codable {
    /// Decodes any JSON value: with Edge's decoder as it was parsed; with another (Foundation's
    /// `JSONDecoder`), an object's keys come sorted, that decoder keeping no order.
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? JSONValueDecoder {
            self = decoder.value
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            let object = try container.decode([String: JSONValue].self)
            self = .object(OrderedDictionary(uniqueKeysWithValues: object.sorted { $0.key < $1.key }))
        }
    }

    /// Encodes the value as it is, object keys in their order.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let bool):
            var container = encoder.singleValueContainer()
            try container.encode(bool)
        case .number(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .string(let string):
            var container = encoder.singleValueContainer()
            try container.encode(string)
        case .array(let array):
            var container = encoder.unkeyedContainer()
            for element in array { try container.encode(element) }
        case .object(let object):
            var container = encoder.container(keyedBy: JSONKey.self)
            for (key, value) in object { try container.encode(value, forKey: JSONKey(key)) }
        }
    }
}

/// Any string as a coding key.
struct JSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init(stringValue: String) { self.init(stringValue) }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
