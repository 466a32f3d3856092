import ArgumentParser
import EdgeConfig

/// `edge dev`'s flags for the connection limits; each overrides its `[dev]` field
/// (``ConnectionLimits``).
struct ConnectionLimitOptions: ParsableArguments {
    @Option(name: .customLong("header-timeout"), help: ArgumentHelp("Seconds a client has to send a whole request head; past it 408 and close; 0: no limit (default: [dev] header_timeout, else 15).", valueName: "S"))
    var headerTimeout: Double?

    @Option(name: .customLong("body-timeout"), help: ArgumentHelp("Seconds a request body may go without a byte; past it 408 and close; 0: no limit (default: [dev] body_timeout, else 60).", valueName: "S"))
    var bodyTimeout: Double?

    @Option(name: .customLong("keep-alive-timeout"), help: ArgumentHelp("Seconds an idle keep-alive connection stays open; 0: no limit (default: [dev] keep_alive_timeout, else 65).", valueName: "S"))
    var keepAliveTimeout: Double?

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Open connections at most; past it new ones get 503 (default: [dev] max_connections, else half of ulimit -n).", valueName: "N"))
    var maxConnections: Int?

    func validate() throws {
        for (flag, seconds) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--keep-alive-timeout", keepAliveTimeout)] {
            if let seconds, !(seconds.isFinite && seconds >= 0) { throw ValidationError("\(flag) must be a number of seconds, 0 or more, got \(seconds).") }
        }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be 1 or more, got \(maxConnections).") }
    }

    /// `limits` with the flags given applied.
    func applied(to limits: ConnectionLimits) -> ConnectionLimits {
        var limits = limits
        if let headerTimeout { limits.headerTimeout = Self.timeout(headerTimeout) }
        if let bodyTimeout { limits.bodyTimeout = Self.timeout(bodyTimeout) }
        if let keepAliveTimeout { limits.keepAliveTimeout = Self.timeout(keepAliveTimeout) }
        if let maxConnections { limits.maxConnections = maxConnections }
        return limits
    }

    private static func timeout(_ seconds: Double) -> Duration? {
        seconds == 0 ? nil : .milliseconds(Int((seconds * 1000).rounded()))
    }
}
