import Foundation

/// `console`: `console.log("x", value)` writes through Edge's logger, prefixed with who is
/// running (`GET /v1/orders`, `OrderHub demo (1a2b…)`), as wrangler dev prints a worker's logs.
public let console = Console()

/// The global `console`, mirroring the Console API that Workers provides.
///
/// Items are written as `console.log` does with several arguments: separated by one space;
/// strings as they are, other values as Swift describes them (`String(describing:)`).
public struct Console: Sendable {
    /// `console.log(...data)`.
    public func log(_ items: Any...) { write(.log, items) }
    /// `console.info(...data)`.
    public func info(_ items: Any...) { write(.info, items) }
    /// `console.debug(...data)`.
    public func debug(_ items: Any...) { write(.debug, items) }
    /// `console.warn(...data)`.
    public func warn(_ items: Any...) { write(.warn, items) }
    /// `console.error(...data)`.
    public func error(_ items: Any...) { write(.error, items) }

    private func write(_ level: ConsoleLevel, _ items: [Any]) {
        let text = items.map { item in (item as? String) ?? String(describing: item) }.joined(separator: " ")
        let context = IoContext.active
        context.console.write(level, context.label.map { "\($0): \(text)" } ?? text)
    }
}

/// The level of a `console` call.
package enum ConsoleLevel: String, Sendable {
    case debug, log, info, warn, error
}

/// Where a context's `console` calls go: the server hands in its logger.
package struct ConsoleSink: Sendable {
    package let write: @Sendable (ConsoleLevel, String) -> Void

    package init(_ write: @escaping @Sendable (ConsoleLevel, String) -> Void) {
        self.write = write
    }

    /// Standard error, one line per call.
    package static let standardError = ConsoleSink { _, text in
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
