import Foundation

/// A JSON document read strictly, so validation can say exactly which field is wrong and why
/// (Decodable alone reports "key not found" or a coding path).
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses `bytes` as `request.json()` on Workers does, or `nil` when they are not JSON
    /// (``JSONReader``).
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONReader.parse(bytes: bytes)
    }

    /// The JSON type name, for messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
