/// The `Error` a `fetch` throws when the connection to the other side fails or drops: workerd
/// turns every disconnection into `Error: Network connection lost.` (`src/workerd/jsg/util.c++`,
/// `makeInternalError` for `DISCONNECTED` exceptions). ``detail`` keeps what the client saw
/// (the log shows it; `message` is production's text).
public struct NetworkError: Error, Sendable, CustomStringConvertible {
    /// `err.message`: `Network connection lost.`
    public let message = "Network connection lost."
    /// What failed underneath (connection refused, reset, a timeout), for the log.
    public let detail: String

    /// Creates the error of a failed connection; `detail` says what failed.
    public init(detail: String) {
        self.detail = detail
    }

    public var description: String { "Error: \(message)" }
}
