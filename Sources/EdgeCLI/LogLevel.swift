import ArgumentParser
import Logging

/// `edge dev --log-level`: wrangler's `--log-level` values (`debug`, `info`, `warn`, `error`,
/// `none`); a value outside them is refused by the parser, which lists these.
enum LogLevel: String, CaseIterable, ExpressibleByArgument {
    case debug, info, warn, error, none

    /// The lowest level the console shows; `nil` for `none`, which shows no log lines.
    var loggerLevel: Logger.Level? {
        switch self {
        case .debug: .debug
        case .info: .info
        case .warn: .warning
        case .error: .error
        case .none: nil
        }
    }
}
