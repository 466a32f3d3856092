import EdgeRuntime

/// How CounterFire reads JSON bodies: the runtime's `request.json()` parser, refusing what it
/// would otherwise change (invalid UTF-8, a lone surrogate escape, a number too large for a
/// double) so such a body is `invalid_json`, not a stored U+FFFD or an infinite quantity.
extension JSONValue {
    /// `bytes` parsed as `request.json()` parses them, or `nil` when they are not JSON.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSON.parse(bytes: bytes, fidelity: .lossless)
    }

    /// The JSON type name, for messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
