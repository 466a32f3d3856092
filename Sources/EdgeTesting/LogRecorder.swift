import EdgeServer
import Logging
import Synchronization

/// Keeps the lines a logger writes, formatted as the console shows them (`[edge:info] GET / 200
/// OK (3ms)`), so tests can check the request log and lifecycle lines.
///
/// ```swift
/// let recorder = LogRecorder()
/// try await Emulator.test(.live, config: config, module: module, logger: recorder.logger()) { ... }
/// #expect(recorder.lines.contains { $0.hasPrefix("[edge:info] GET /hello 200 OK (") })
/// ```
public final class LogRecorder: Sendable {
    private let recorded = Mutex<[String]>([])

    /// Creates an empty recorder.
    public init() {}

    /// A logger writing into this recorder.
    public func logger(label: String = "edge", level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: label) { label in Handler(label: label, recorder: self) }
        logger.logLevel = level
        return logger
    }

    /// The lines so far, in order.
    public var lines: [String] { recorded.withLock { $0 } }

    fileprivate func append(_ line: String) {
        recorded.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let label: String
        let recorder: LogRecorder
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.append(ConsoleLogHandler.format(label: label, level: event.level, message: "\(event.message)"))
        }
    }
}
