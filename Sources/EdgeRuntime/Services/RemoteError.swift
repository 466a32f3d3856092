/// An error thrown on the other side of a service binding, as the calling worker receives it.
///
/// workerd tunnels a worker-to-worker exception back to the caller (`tunnelExceptions`,
/// src/workerd/io/worker-entrypoint.c++) instead of answering 500, and Cloudflare's RPC "Error
/// handling" page says the message and the error's name are kept, nothing else: so `name` and
/// `message` are the error's, `remote` is set, and the Swift error itself is in `underlying` (match
/// on ``message`` to stay portable). `description` is `"<name>: <message>"`.
public struct RemoteError: Error, Sendable, CustomStringConvertible {
    /// The JavaScript error class: `Error`, `TypeError`, `RangeError`.
    public let name: String
    /// `error.message`.
    public let message: String
    /// `error.remote`: thrown by the other worker's code.
    public let remote: Bool
    /// The error the other worker threw, when it came from there.
    public let underlying: (any Error)?

    init(_ name: String, _ message: String, remote: Bool = true, underlying: (any Error)? = nil) {
        self.name = name
        self.message = message
        self.remote = remote
        self.underlying = underlying
    }

    public var description: String { "\(name): \(message)" }

    /// `error`, thrown by the other worker, as its caller receives it: the message of a
    /// `CustomStringConvertible` error without a leading `<Name>: ` (kept as the name).
    package static func crossing(_ error: any Error) -> RemoteError {
        if let error = error as? RemoteError {
            return RemoteError(error.name, error.message, remote: true, underlying: error.underlying ?? error)
        }
        if let error = error as? TypeError {
            return RemoteError("TypeError", error.message, underlying: error)
        }
        let text = String(describing: error)
        for name in ["Error", "TypeError", "RangeError", "SyntaxError"] where text.hasPrefix(name + ": ") {
            return RemoteError(name, String(text.dropFirst(name.count + 2)), underlying: error)
        }
        return RemoteError("Error", text, underlying: error)
    }

    /// workerd's text for an entrypoint without `fetch` (src/workerd/api/global-scope.c++).
    static let noFetchHandler = RemoteError("Error", "Handler does not export a fetch() function.", remote: false)
}
