/// Errors starting or assembling the emulator, with texts meant for the terminal.
public struct ServerError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case addressInUse(host: String, port: Int)
        case bindFailed(host: String, port: Int, reason: String)
        case startup(String)
    }

    private let kind: Kind

    /// Another process listens on `host:port`.
    public static func addressInUse(host: String, port: Int) -> ServerError {
        ServerError(kind: .addressInUse(host: host, port: port))
    }

    /// Binding `host:port` failed for another reason.
    public static func bindFailed(host: String, port: Int, reason: String) -> ServerError {
        ServerError(kind: .bindFailed(host: host, port: port, reason: reason))
    }

    /// The emulator could not be assembled (a binding, a database, a migration).
    public static func startup(_ message: String) -> ServerError {
        ServerError(kind: .startup(message))
    }

    /// Whether this is ``addressInUse(host:port:)``.
    public var isAddressInUse: Bool {
        if case .addressInUse = kind { return true }
        return false
    }

    public var description: String {
        switch kind {
        case .addressInUse(let host, let port):
            "Address \(Self.display(host)):\(port) is already in use: is another edge dev running? Pick another with --port."
        case .bindFailed(let host, let port, let reason):
            "Could not listen on \(Self.display(host)):\(port): \(reason)"
        case .startup(let message):
            message
        }
    }

    private static func display(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }
}
