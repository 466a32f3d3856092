import HTTPTypes

/// HTTP headers, mirroring the Fetch API's `Headers` (names are case-insensitive).
///
/// A thin wrapper over swift-http-types' `HTTPFields`, which is what the server speaks.
public struct Headers: Sendable, Equatable, ExpressibleByDictionaryLiteral, Sequence {
    /// The underlying fields, in order, duplicates kept.
    public var fields: HTTPFields

    /// Creates headers from `HTTPFields`.
    public init(_ fields: HTTPFields = [:]) {
        self.fields = fields
    }

    /// Creates headers from name/value pairs.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = [:]
        for (name, value) in elements { append(name, value) }
    }

    /// `headers.get(name)`: the values of `name` joined with ", ", or `nil` when absent.
    public func get(_ name: String) -> String? {
        guard let field = HTTPField.Name(name) else { return nil }
        let values = fields[values: field]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    /// `headers.has(name)`.
    public func has(_ name: String) -> Bool {
        guard let field = HTTPField.Name(name) else { return false }
        return fields[field] != nil
    }

    /// `headers.set(name, value)`: replaces every value of `name`. Invalid names are ignored.
    public mutating func set(_ name: String, _ value: String) {
        guard let field = HTTPField.Name(name) else { return }
        fields[field] = value
    }

    /// `headers.append(name, value)`: adds a value, keeping earlier ones.
    public mutating func append(_ name: String, _ value: String) {
        guard let field = HTTPField.Name(name) else { return }
        fields.append(HTTPField(name: field, value: value))
    }

    /// `headers.delete(name)`.
    public mutating func delete(_ name: String) {
        guard let field = HTTPField.Name(name) else { return }
        fields[field] = nil
    }

    /// Reads or replaces a header by name.
    public subscript(_ name: String) -> String? {
        get { get(name) }
        set {
            if let newValue { set(name, newValue) } else { delete(name) }
        }
    }

    /// Iterates `(lowercased name, value)` pairs in order, as the Fetch API does.
    public func makeIterator() -> some IteratorProtocol<(String, String)> {
        fields.map { ($0.name.canonicalName, $0.value) }.makeIterator()
    }
}
