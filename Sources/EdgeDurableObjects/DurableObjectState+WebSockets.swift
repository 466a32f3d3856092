import EdgeRuntime
import Foundation

// The WebSocket Hibernation API. In JavaScript these calls throw on misuse (too many tags, a
// socket already accepted with `accept()`, an oversized auto-response). They cannot throw here
// (their Swift signatures are the ones apps port to), so misuse is reported the way an uncaught
// JavaScript exception would surface: the current event fails with workerd's error once its
// handler returns (the caller of `stub.fetch` sees it), and the error is logged.

extension DurableObjectState {
    /// `ctx.acceptWebSocket(ws, tags)`: makes `ws` (the server end of a `WebSocketPair`)
    /// hibernatable. The host holds and reads it from now on, so it stays open while the object
    /// is hibernated; its events reach `webSocketMessage`, `webSocketClose` and `webSocketError`
    /// of whichever instance is live. At most 10 distinct tags of at most 256 bytes.
    public func acceptWebSocket(_ ws: WebSocket, tags: [String] = []) {
        do {
            try container.acceptWebSocket(ws, tags: tags, generation: generation)
        } catch {
            report(error)
        }
    }

    /// `ctx.getWebSockets(tag)`: the open hibernatable WebSockets (with `tag`), oldest first.
    /// A stale instance (evicted or reset) gets none.
    public func getWebSockets(tag: String? = nil) -> [WebSocket] {
        container.webSockets(tag: tag, generation: generation)
    }

    /// `ctx.getTags(ws)`: the tags `ws` was accepted with; throws workerd's errors for a socket
    /// that is not hibernatable.
    public func getTags(_ ws: WebSocket) throws -> [String] {
        try container.tags(of: ws)
    }

    /// `ctx.setWebSocketAutoResponse(pair)`: hibernatable sockets that receive `pair.request`
    /// get `pair.response` from the host, without waking the object. `nil` clears it.
    public func setWebSocketAutoResponse(_ pair: WebSocketRequestResponsePair? = nil) {
        do {
            try container.setAutoResponse(pair, generation: generation)
        } catch {
            report(error)
        }
    }

    /// `ctx.getWebSocketAutoResponse()`.
    public func getWebSocketAutoResponse() -> WebSocketRequestResponsePair? {
        container.autoResponse
    }

    /// `ctx.getWebSocketAutoResponseTimestamp(ws)`: when the host last answered `ws` with the
    /// auto-response.
    public func getWebSocketAutoResponseTimestamp(_ ws: WebSocket) -> Date? {
        container.autoResponseTimestamp(of: ws)
    }

    private func report(_ error: DurableObjectError) {
        container.logger.error("\(container.label): \(error)")
        EventContext.current?.record(error)
    }
}

/// `WebSocketRequestResponsePair`: a request text and the response the host sends back for it
/// (``DurableObjectState/setWebSocketAutoResponse(_:)``). Each may hold 2048 bytes; the check
/// happens when the pair is set, with workerd's `RangeError` texts.
public struct WebSocketRequestResponsePair: Sendable, Hashable {
    /// The largest request or response, in bytes.
    public static let maxSize = 2048

    /// `pair.request`.
    public let request: String
    /// `pair.response`.
    public let response: String

    /// `new WebSocketRequestResponsePair(request, response)`.
    public init(request: String, response: String) {
        self.request = request
        self.response = response
    }
}
