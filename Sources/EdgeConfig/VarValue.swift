/// The value of a `[vars]` entry: a string, or a JSON-like value, as wrangler's
/// `vars: Record<string, string | Json>`.
///
/// ```toml
/// [vars]
/// API_URL = "https://api.example.com"   # .string
/// RETRIES = 3                           # .int
/// FEATURES = { beta = true }            # .table
/// ```
public enum VarValue: Sendable, Equatable, Hashable {
    /// A TOML string; the Worker sees the string itself.
    case string(String)
    /// A TOML integer.
    case int(Int)
    /// A TOML float.
    case double(Double)
    /// A TOML boolean.
    case bool(Bool)
    /// A TOML array.
    case array([VarValue])
    /// A TOML table (inline or not).
    case table([String: VarValue])

    /// The value as JSON text (`"text"`, `3`, `{"beta":true}`); table keys are sorted.
    public var jsonText: String {
        switch self {
        case .string(let string): return string.jsonQuoted
        case .int(let int): return String(int)
        case .double(let double): return double.jsonText
        case .bool(let bool): return String(bool)
        case .array(let elements): return "[" + elements.map(\.jsonText).joined(separator: ",") + "]"
        case .table(let table):
            let entries = table.sorted { $0.key < $1.key }.map { "\($0.key.jsonQuoted):\($0.value.jsonText)" }
            return "{" + entries.joined(separator: ",") + "}"
        }
    }

    /// The value as the Worker reads it from `env` as text: a string as is, anything else as JSON.
    public var stringValue: String {
        if case .string(let string) = self { return string }
        return jsonText
    }
}
