import EdgeRuntime

/// What a kitchen WebSocket carries with it (its attachment, which survives hibernation): the
/// size of its greeting (snapshot or replay), which it may hold unread on top of the backlog
/// limit, as a Server-Sent Events subscriber may.
struct KitchenSocket: Codable {
    let greetingBytes: Int

    /// The greeting size a kitchen socket carries; 0 for a socket without one (every socket
    /// the hub accepts gets its attachment in the same turn of the gate as its greeting).
    static func greetingBytes(of socket: WebSocket) -> Int {
        socket.deserializeAttachment(as: KitchenSocket.self)?.greetingBytes ?? 0
    }
}

/// A Server-Sent Events subscriber of the hub. WebSocket subscribers are not listed here: they
/// are hibernatable sockets held by the runtime (`state.getWebSockets(tag:)`).
struct Subscriber: Sendable {
    enum Kind: Sendable, Equatable {
        /// The kitchen board of the restaurant.
        case kitchen
        /// The tracker of one order.
        case tracker(orderID: String)
    }

    let kind: Kind
    let events: EventStream
}
