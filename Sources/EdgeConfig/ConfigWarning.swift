import Foundation

/// A problem with the config that does not stop Edge, such as a field it does not know.
///
/// Printed as `<path>:<line>: <message>`, e.g.
/// `wrangler-like.toml:3: Unexpected fields found in top-level field: "routes"`.
public struct ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    /// The file the warning is about.
    public let file: URL

    /// The line (1-based) the warning is about, when one is known.
    public let line: Int?

    /// The field the warning is about, e.g. `dev.inspector_port`.
    public let field: String?

    /// What is wrong, without the location.
    public let message: String

    /// Creates a warning about `field` of `file`.
    public init(_ message: String, file: URL, line: Int?, field: String?) {
        self.message = message
        self.file = file
        self.line = line
        self.field = field
    }

    /// `<path>:<line>: <message>`, with the path relative to the current directory when it is inside it.
    public var description: String {
        ConfigError.located(message, file: file, line: line)
    }
}
