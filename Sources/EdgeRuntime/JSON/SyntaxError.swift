/// JavaScript's `SyntaxError`, as `JSON.parse` and `request.json()` throw it for text that is
/// not JSON.
///
/// `message` is V8's text (workerd runs V8), e.g. `Unexpected token 'a', "abc" is not valid JSON`
/// or `Expected ',' or '}' after property value in JSON at position 9 (line 1 column 10)`;
/// `description` reads as JavaScript prints the error: `SyntaxError: <message>`.
public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `error.message`.
    public let message: String

    /// Creates a `SyntaxError` with `message`.
    public init(_ message: String) {
        self.message = message
    }

    /// `SyntaxError: <message>`.
    public var description: String { "SyntaxError: \(message)" }
}
