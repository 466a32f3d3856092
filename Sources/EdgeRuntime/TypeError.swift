/// JavaScript's `TypeError`, as a runtime API throws it for bad input from handler code
/// (`new Request("bad")`, `new URLPattern("(")`, a GET request with a body).
///
/// `message` is workerd's text where workerd has one (cited where each is made); `description`
/// reads as JavaScript prints the error: `TypeError: <message>`.
public struct TypeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `error.message`.
    public let message: String

    /// Creates a `TypeError` with `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// `TypeError: <message>`.
    public var description: String { "TypeError: \(message)" }
}
