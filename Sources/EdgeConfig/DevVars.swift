import Foundation

/// Local secrets from `.dev.vars`, the dotenv file wrangler dev reads next to the config file.
///
/// Values become secrets in `env` and override `[vars]` of the same name. When the file exists,
/// the CLI prints wrangler's `Using secrets defined in .dev.vars`.
///
/// ```
/// # comments and blank lines are ignored
/// API_TOKEN=abc123
/// export GREETING="hello\nworld"   # `export ` is tolerated; \n and \r expand in double quotes
/// RAW='kept as $written'
/// ```
public struct DevVars: Sendable, Equatable {
    /// The file name wrangler dev looks for next to the config file.
    public static let fileName = ".dev.vars"

    /// The `.dev.vars` file these values were read from, or would have been.
    public var file: URL

    /// Whether the file existed; when it did not, ``values`` is empty.
    public var fileExists: Bool

    /// The secrets, by name.
    public var values: [String: String]

    /// Reads `.dev.vars` from the directory of `configFile`; a missing file gives no values.
    ///
    /// A line that is not `KEY=VALUE` (after an optional `export `), a bad key, or an unterminated
    /// quote throws a ``ConfigError`` naming `.dev.vars` and the line.
    public static func load(nextTo configFile: URL) throws(ConfigError) -> DevVars {
        let file = configFile.absoluteURL.standardizedFileURL.deletingLastPathComponent().appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            return DevVars(file: file, fileExists: false, values: [:])
        }
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError.unreadable(file, reason: "\(fileName) could not be read as UTF-8 text")
        }
        return DevVars(file: file, fileExists: true, values: try parse(text, file: file))
    }
}
