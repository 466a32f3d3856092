/// `DOMException`, as Web Crypto on Workers throws it for bad input: `name` is one of
/// `NotSupportedError`, `InvalidAccessError`, `DataError`, `OperationError`, `SyntaxError`, and
/// `message` is workerd's text (`src/workerd/api/crypto/*.c++`, cited where each is thrown).
public struct DOMException: Error, Sendable, Equatable, CustomStringConvertible {
    /// `error.name`, e.g. `"OperationError"`.
    public let name: String
    /// `error.message`.
    public let message: String

    /// Creates a `DOMException` named `name`.
    public init(_ message: String, name: String) {
        self.name = name
        self.message = message
    }

    /// `<name>: <message>`, as JavaScript prints it.
    public var description: String { "\(name): \(message)" }

    static func notSupported(_ message: String) -> DOMException { DOMException(message, name: "NotSupportedError") }
    static func invalidAccess(_ message: String) -> DOMException { DOMException(message, name: "InvalidAccessError") }
    static func data(_ message: String) -> DOMException { DOMException(message, name: "DataError") }
    static func operation(_ message: String) -> DOMException { DOMException(message, name: "OperationError") }
    static func syntax(_ message: String) -> DOMException { DOMException(message, name: "SyntaxError") }
}
