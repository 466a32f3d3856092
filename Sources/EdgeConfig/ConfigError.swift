import Foundation

/// A problem with `wrangler-like.toml` or `.dev.vars` that stops Edge from starting.
///
/// Every error knows the file it is about and, where there is one, the line and the field, and
/// renders itself as `<path>:<line>: <message>` (`<path>:<line>:<column>: ...` for TOML syntax
/// errors). Messages use wrangler's wording where wrangler has one, so a user porting a config
/// recognises them.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        /// The file could not be read.
        case unreadable
        /// TOMLKit rejected the document; TOML syntax errors carry a column.
        case syntax(column: Int)
        /// A field has a wrong type, a bad value, or is missing.
        case invalid
        /// A D1 database was asked for by a name the config does not have.
        case unknownD1Database
    }

    private let kind: Kind

    /// The file the error is about: the config file, or `.dev.vars`.
    public let file: URL

    /// The line (1-based) the error is about, when one is known.
    public let line: Int?

    /// The field the error is about, e.g. `d1_databases[0].binding`; `nil` for syntax errors.
    public let field: String?

    /// What is wrong, without the location.
    public let message: String

    private init(_ kind: Kind, file: URL, line: Int?, field: String?, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// A field of a config file, or a line of `.dev.vars`, that is wrong.
    ///
    /// Later start-up steps use this too (a `migrations_dir` that does not exist, a binding the
    /// app needs that the config lacks), finding the line with ``WranglerConfig/fieldLocations``.
    public static func invalid(_ message: String, file: URL, line: Int?, field: String?) -> ConfigError {
        ConfigError(.invalid, file: file, line: line, field: field, message: message)
    }

    static func unreadable(_ file: URL, reason: String) -> ConfigError {
        ConfigError(.unreadable, file: file, line: nil, field: nil, message: reason)
    }

    static func syntax(_ message: String, file: URL, line: Int, column: Int) -> ConfigError {
        ConfigError(.syntax(column: column), file: file, line: line, field: nil, message: message)
    }

    static func unknownD1Database(_ message: String, file: URL) -> ConfigError {
        ConfigError(.unknownD1Database, file: file, line: nil, field: nil, message: message)
    }

    /// `<path>:<line>: <message>`, with the path relative to the current directory when it is inside it.
    ///
    /// The unknown-D1-database error is wrangler's sentence alone, since it names the file itself.
    public var description: String {
        switch kind {
        case .syntax(let column):
            return "\(file.displayPath):\(line ?? 0):\(column): \(message)"
        case .unknownD1Database:
            return message
        case .unreadable, .invalid:
            return Self.located(message, file: file, line: line)
        }
    }

    static func located(_ message: String, file: URL, line: Int?) -> String {
        if let line { return "\(file.displayPath):\(line): \(message)" }
        return "\(file.displayPath): \(message)"
    }
}
