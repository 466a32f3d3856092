import Foundation

/// A JSON document read strictly, so validation can say exactly which field is wrong and why
/// (Decodable alone reports "key not found" or a coding path, and accepts 1.0 as an integer).
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses `bytes`, or `nil` when they are not JSON.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard !hasTrailingComma(bytes) else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// Whether a `,` is followed (after whitespace) by `]` or `}` outside strings. Foundation's
    /// reader accepts such a trailing comma; JSON, and `JSON.parse` on Workers, refuse it, so a
    /// body that fails in production must fail here too.
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        var inString = false, escaped = false, afterComma = false
        for byte in bytes {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            switch byte {
            case 0x22: inString = true; afterComma = false
            case 0x2C: afterComma = true
            case 0x5D, 0x7D: if afterComma { return true }
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: afterComma = false
            }
        }
        return false
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
