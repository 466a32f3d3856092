import Foundation
import Logging
import Synchronization

/// A swift-log handler printing lines as wrangler and Miniflare do: `[edge:info] Ready on ...`.
///
/// The prefix is `[<label>:<level>]` with Miniflare's level names (`error`, `warn`, `info`,
/// `debug`, `verbose`); metadata follows the message as `key=value`. Errors and warnings go to
/// standard error, the rest to standard output, one write per line.
///
/// ```swift
/// LoggingSystem.bootstrap { ConsoleLogHandler(label: $0) }
/// let logger = Logger(label: "edge")
/// ```
package struct ConsoleLogHandler: LogHandler {
    /// The label printed in the prefix.
    package let label: String
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]

    /// Creates a handler printing lines prefixed with `label`.
    package init(label: String, logLevel: Logger.Level = .info) {
        self.label = label
        self.logLevel = logLevel
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var line = Self.format(label: label, level: event.level, message: "\(event.message)")
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if !merged.isEmpty {
            line += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        let output = event.level >= .warning ? FileHandle.standardError : FileHandle.standardOutput
        Self.lock.withLock { _ in output.write(Data((line + "\n").utf8)) }
    }

    /// `[label:level] message`.
    package static func format(label: String, level: Logger.Level, message: String) -> String {
        "[\(label):\(name(of: level))] \(message)"
    }

    /// Miniflare's name for a level.
    static func name(of level: Logger.Level) -> String {
        switch level {
        case .trace: "verbose"
        case .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error, .critical: "error"
        }
    }

    private static let lock = Mutex(())
}
