import EdgeRuntime

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
