import Foundation
import TOMLKit

extension WranglerConfig {
    /// A loaded configuration and the warnings found while loading it.
    public struct LoadResult: Sendable, Equatable {
        /// The validated configuration.
        public var config: WranglerConfig
        /// Problems that did not stop loading, such as fields Edge does not know, in line order.
        public var warnings: [ConfigWarning]
    }

    /// Reads, parses and validates the config file at `path`.
    ///
    /// Unknown fields are warnings, as in wrangler. Everything else that is wrong (TOML syntax,
    /// a wrong type, a missing required field, a duplicate binding name, a migration that cannot
    /// be applied) throws a ``ConfigError`` naming the file, the line and the field. Whether
    /// `migrations_dir` or `[assets] directory` exist is not checked here.
    public static func load(from path: URL) throws(ConfigError) -> LoadResult {
        let file = path.absoluteURL.standardizedFileURL
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw ConfigError.unreadable(file, reason: "config file not found")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ConfigError.unreadable(file, reason: "config file could not be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError.unreadable(file, reason: "config file is not UTF-8 text")
        }
        return try parse(text, at: file)
    }

    /// Parses and validates config text as if it had been read from `path`, which names the file in
    /// messages and is where relative paths start.
    public static func parse(_ text: String, at path: URL) throws(ConfigError) -> LoadResult {
        let file = path.absoluteURL.standardizedFileURL
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError.syntax(error.description, file: file, line: error.source.begin.line, column: error.source.begin.column)
        } catch {
            throw ConfigError.syntax(String(describing: error), file: file, line: 1, column: 1)
        }
        let locations = FieldLocations(scanning: text)
        guard case .table(let root) = TOMLNode(table, at: FieldPath(), locations: locations) else {
            fatalError("a TOML document is always a table")
        }
        var reader = ConfigReader(file: file, locations: locations)
        var config = try WranglerConfig(reading: root, reader: &reader)
        config.fieldLocations = locations
        let warnings = reader.warnings.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        return LoadResult(config: config, warnings: warnings)
    }
}
