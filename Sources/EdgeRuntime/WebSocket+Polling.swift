/// Reading an end's events without a task: for a host that writes them to a network connection
/// from the connection's event loop. A task per connection, woken per message, costs a task
/// switch and then a hop to the event loop for every message of every socket; a poller is woken
/// once when events arrive and takes all that are waiting.
///
/// ```swift
/// socket.setEventsReady { loop.execute { drain() } }
/// func drain() {
///     while true {
///         switch socket.pollEvent() {
///         case .event(let event): write(event)
///         case .empty: return  // the handler runs when the next event comes
///         case .finished: return  // the close (or error) was the last event
///         }
///     }
/// }
/// ```
/// Use either ``WebSocket/events`` or polling on one end, not both.
extension WebSocket {
    /// What ``pollEvent()`` found.
    package enum PolledEvent: Sendable, Equatable {
        /// The next event, in order; it no longer counts in ``queuedMessages`` and the peer's
        /// `bufferedAmount`.
        case event(WebSocketEvent)
        /// Nothing yet: the handler given to ``setEventsReady(_:)`` runs once when something comes.
        case empty
        /// No more events will come.
        case finished
    }

    /// Sets the handler that ``pollEvent()`` arms when it finds nothing: it runs once, on the
    /// thread that delivered the next event (or ended the end), outside any lock.
    package func setEventsReady(_ handler: @escaping @Sendable () -> Void) {
        inbound.setWake(handler)
    }

    /// The next event, without waiting.
    package func pollEvent() -> PolledEvent {
        switch inbound.poll() {
        case .event(let event):
            consumed(event)
            return .event(event)
        case .empty:
            return .empty
        case .finished:
            return .finished
        }
    }

    /// The poller is gone (its connection closed): events queued and yet to come are dropped,
    /// and the ready handler is released.
    package func stopPolling() {
        inbound.stopPolling()
        inboundBytes.store(0, ordering: .relaxed)
        inboundMessages.store(0, ordering: .relaxed)
    }
}
