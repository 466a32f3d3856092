import Foundation

/// Reads fields out of a parsed config, turning every type mismatch into a ``ConfigError`` that
/// names file, line and field, and collecting warnings about fields it does not know.
///
/// Generic mismatches use wrangler's generic wording (`Expected "dev.ip" to be of type string
/// but got 1.`); the section readers (`*+Reading.swift`) use wrangler's specific wording where
/// wrangler has one.
struct ConfigReader {
    let file: URL
    let locations: FieldLocations
    private(set) var warnings: [ConfigWarning] = []

    init(file: URL, locations: FieldLocations) {
        self.file = file
        self.locations = locations
    }

    /// An error about `path`, located at the line where `path` (or its nearest enclosing table) was written.
    func error(_ message: String, at path: FieldPath) -> ConfigError {
        .invalid(message, file: file, line: locations.line(of: path), field: path.description)
    }

    /// Adds a warning made elsewhere (see `CompatibilityDate`).
    mutating func warn(_ warning: ConfigWarning) {
        warnings.append(warning)
    }

    /// Warns, in wrangler's words, about each key of `table` that is not in `known`.
    mutating func warnAboutUnexpectedFields(
        in table: TOMLNode.Table,
        at path: FieldPath,
        known: Set<String>
    ) {
        let name = path.components.isEmpty ? "top-level" : path.description
        for key in table.keys where !known.contains(key) {
            let field = path.appending(key)
            warnings.append(
                ConfigWarning(
                    "Unexpected fields found in \(name) field: \(key.jsonQuoted)",
                    file: file,
                    line: locations.line(of: field),
                    field: field.description
                )
            )
        }
    }

    // MARK: Typed fields

    /// `table[key]` as a string; `nil` when absent.
    func string(_ key: String, in table: TOMLNode.Table, at tablePath: FieldPath) throws(ConfigError) -> String? {
        guard let node = table[key] else { return nil }
        guard case .string(let string) = node else {
            throw typeMismatch(at: tablePath.appending(key), expected: "string", got: node)
        }
        return string
    }

    /// `table[key]` as a string, which must be present: `"<path>" is a required field.`
    func requiredString(_ key: String, in table: TOMLNode.Table, at tablePath: FieldPath) throws(ConfigError) -> String {
        guard let string = try string(key, in: table, at: tablePath) else {
            throw error("\(tablePath.appending(key).description.jsonQuoted) is a required field.", at: tablePath.appending(key))
        }
        return string
    }

    /// `table[key]` as an array of strings; empty when absent.
    func stringArray(_ key: String, in table: TOMLNode.Table, at tablePath: FieldPath) throws(ConfigError) -> [String] {
        let path = tablePath.appending(key)
        guard let node = table[key] else { return [] }
        guard case .array(let elements) = node else {
            throw typeMismatch(at: path, expected: "string array", got: node)
        }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                throw typeMismatch(at: path.appending(index: index), expected: "string", got: element)
            }
            strings.append(string)
        }
        return strings
    }

    /// `table[key]` as a number (TOML integer or float); `nil` when absent.
    func number(_ key: String, in table: TOMLNode.Table, at tablePath: FieldPath) throws(ConfigError) -> Double? {
        switch table[key] {
        case nil: return nil
        case .int(let int): return Double(int)
        case .double(let double): return double
        case let node?: throw typeMismatch(at: tablePath.appending(key), expected: "number", got: node)
        }
    }

    /// `table[key]` as a table; `nil` when absent.
    func table(_ key: String, in table: TOMLNode.Table, at tablePath: FieldPath) throws(ConfigError) -> TOMLNode.Table? {
        guard let node = table[key] else { return nil }
        guard case .table(let child) = node else {
            throw typeMismatch(at: tablePath.appending(key), expected: "object", got: node)
        }
        return child
    }

    /// `Expected "<path>" to be of type <type> but got <value>.`, wrangler's generic wording.
    func typeMismatch(at path: FieldPath, expected type: String, got node: TOMLNode) -> ConfigError {
        error("Expected \(path.description.jsonQuoted) to be of type \(type) but got \(node.jsonText).", at: path)
    }
}
