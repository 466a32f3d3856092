import ArgumentParser
import EdgeConfig
import Foundation

/// Options every command that reads the configuration shares.
struct ConfigOptions: ParsableArguments {
    /// wrangler's repeatable `-c, --config`: `edge dev` runs one worker per file, the first one
    /// serving; the other commands read the first.
    @Option(
        name: [.customShort("c"), .customLong("config")],
        help: ArgumentHelp("Path to the configuration file; edge dev takes several (-c app.toml -c api.toml), the first one serving.", valueName: "path"))
    var configs: [String] = []

    /// The first configuration file (`wrangler-like.toml` by default).
    var config: String { configs.first ?? WranglerConfig.defaultFileName }

    @Option(name: .customLong("persist-to"), help: "Directory for local state (D1 databases, Durable Object storage).")
    var persistTo: String = ".edge/state"

    var configURL: URL { URL(fileURLWithPath: config) }
    var stateRoot: URL { URL(fileURLWithPath: persistTo, isDirectory: true).standardizedFileURL }

    /// Loads the configuration, printing its warnings; a bad file ends the command with its
    /// file:line error.
    func load() throws -> WranglerConfig {
        try load(configURL)
    }

    /// Every `--config`, in order (`wrangler-like.toml` when none is given), as ``load()`` loads one.
    func loadAll() throws -> [WranglerConfig] {
        try (configs.isEmpty ? [config] : configs).map { try load(URL(fileURLWithPath: $0)) }
    }

    private func load(_ url: URL) throws -> WranglerConfig {
        do {
            let result = try WranglerConfig.load(from: url)
            for warning in result.warnings { Terminal.warning(warning.description) }
            return result.config
        } catch {
            Terminal.error(error.description)
            throw ExitCode.failure
        }
    }
}

/// wrangler's way of printing problems: `✘ [ERROR] ...` and `▲ [WARNING] ...` on stderr.
enum Terminal {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("✘ [ERROR] \(message)\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("▲ [WARNING] \(message)\n".utf8))
    }

    static func print(_ line: String) {
        FileHandle.standardOutput.write(Data("\(line)\n".utf8))
    }
}
