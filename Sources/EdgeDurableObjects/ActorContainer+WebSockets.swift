import EdgeRuntime
import Foundation

// Hibernatable WebSockets belong to the host, not to the instance that accepted them. The host
// reads each one's events: an auto-response request is answered on the spot (the object is not
// woken); a message, close or error becomes an event through the input gate, which constructs
// the object first if it is hibernated. The `WebSocket` object itself is the same across
// instances, so its attachment (`serializeAttachment`) is what a new instance finds.

extension ActorContainer {
    /// `ctx.acceptWebSocket(ws, tags)` for the instance `generation`.
    func acceptWebSocket(_ socket: WebSocket, tags: [String], generation: Int) throws(DurableObjectError) {
        guard !socket.isAccepted else { throw .acceptedViaAccept }
        var distinct: [String] = []
        for tag in tags {
            guard distinct.count < 10 else { throw .tooManyTags }
            guard tag.utf8.count <= 256 else { throw .tagTooLong(tag) }
            if !distinct.contains(tag) { distinct.append(tag) }
        }
        let key = ObjectIdentifier(socket)
        try state.withLock { (state) throws(DurableObjectError) in
            guard state.generation == generation, !state.shutDown else { throw .instanceInactive }
            let limit = context.host.settings.maxHibernatableWebSockets
            guard state.hosted.count < limit else { throw .tooManyWebSockets(limit: limit) }
            state.hosted[key] = HostedSocket(socket: socket, tags: distinct, order: state.takeToken())
            state.socketLists = [:]
            state.lifecycle.hibernatableSocketsChanged(to: state.hosted.count)
        }
        socket.acceptHibernatable()
        Task { await self.read(socket) }
    }

    /// `ctx.getWebSockets(tag)` for the instance `generation`: the hosted sockets (with `tag`),
    /// oldest first; none for a stale instance, whose sockets are gone (or belong to its
    /// successor, which a stale instance must not write to).
    func webSockets(tag: String?, generation: Int) -> [WebSocket] {
        state.withLock { state in
            guard state.generation == generation else { return [] }
            if let list = state.socketLists[tag] { return list }
            let list = state.hosted.values
                .filter { tag == nil || $0.tags.contains(tag!) }
                .sorted { $0.order < $1.order }
                .map(\.socket)
            state.socketLists[tag] = list
            return list
        }
    }

    /// `ctx.getTags(ws)`.
    func tags(of socket: WebSocket) throws(DurableObjectError) -> [String] {
        let tags = state.withLock { $0.hosted[ObjectIdentifier(socket)]?.tags }
        if let tags { return tags }
        throw socket.isAccepted ? .tagsOfPlainSocket : .tagsOfUnacceptedSocket
    }

    /// `ctx.setWebSocketAutoResponse(pair)` for the instance `generation` (ignored when stale).
    func setAutoResponse(_ pair: WebSocketRequestResponsePair?, generation: Int) throws(DurableObjectError) {
        if let pair {
            let request = pair.request.utf8.count
            let response = pair.response.utf8.count
            guard request <= WebSocketRequestResponsePair.maxSize else { throw .autoResponseTooLarge("Request", request) }
            guard response <= WebSocketRequestResponsePair.maxSize else { throw .autoResponseTooLarge("Response", response) }
        }
        state.withLock { state in
            if state.generation == generation { state.autoResponse = pair }
        }
    }

    /// `ctx.getWebSocketAutoResponse()`.
    var autoResponse: WebSocketRequestResponsePair? {
        state.withLock { $0.autoResponse }
    }

    /// `ctx.getWebSocketAutoResponseTimestamp(ws)`.
    func autoResponseTimestamp(of socket: WebSocket) -> Date? {
        state.withLock { $0.hosted[ObjectIdentifier(socket)]?.autoResponseAt }
    }

    // MARK: Reading

    private func read(_ socket: WebSocket) async {
        let key = ObjectIdentifier(socket)
        for await event in socket.events {
            switch event {
            case .message(let message):
                if answerAutoResponse(socket, message) { continue }
                post("webSocketMessage") { try await $0.object.webSocketMessage(socket, message) }
            case .close(let code, let reason, let wasClean):
                guard removeHosted(key) else { return }
                post("webSocketClose") {
                    try await $0.object.webSocketClose(socket, code: code, reason: reason, wasClean: wasClean)
                }
            case .error(let text):
                guard isHosted(key) else { return }
                post("webSocketError") { try await $0.object.webSocketError(socket, WebSocketFailure(message: text)) }
            }
        }
        _ = removeHosted(key)
    }

    private func answerAutoResponse(_ socket: WebSocket, _ message: WebSocketMessage) -> Bool {
        guard case .text(let text) = message, let pair = autoResponse, text == pair.request else { return false }
        // Stamped before the answer leaves, so whoever reads the pong also sees the time.
        let now = clock.now
        state.withLock { $0.hosted[ObjectIdentifier(socket)]?.autoResponseAt = now }
        try? socket.send(pair.response)
        return true
    }

    private func isHosted(_ key: ObjectIdentifier) -> Bool {
        state.withLock { $0.hosted[key] != nil }
    }

    /// Stops hosting a socket; `false` if it was not hosted (any more).
    private func removeHosted(_ key: ObjectIdentifier) -> Bool {
        state.withLock { state in
            guard state.hosted.removeValue(forKey: key) != nil else { return false }
            state.socketLists = [:]
            state.lifecycle.hibernatableSocketsChanged(to: state.hosted.count)
            return true
        }
    }
}

/// The error `webSocketError` receives: the socket's `error` event.
public struct WebSocketFailure: Error, Sendable, CustomStringConvertible {
    /// The error event's text.
    public let message: String

    public var description: String { message }
}
