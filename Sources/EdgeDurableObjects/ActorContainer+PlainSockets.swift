import EdgeRuntime

// Plain WebSockets (`ws.accept()` in the object) belong to the instance: they keep it in memory
// as non-hibernatable, and close as dropped (1006) when it goes. In production a message arriving
// on one is an event, so the object is evicted only after 70-140 s with no event at all, however
// long its sockets stay open. The host sees those messages two ways:
//
// - every message delivered to the server end of a plain socket the object returned in a 101
//   response restarts the idle clock (`observeMessages`), also when the object reads the socket
//   itself (`for await event in ws.events`);
// - listeners added with `ws.addEventListener` inside the object run as events through its input
//   gate (`ListenerHost`), so each one is also activity while it runs.

extension ActorContainer {
    /// Where listeners added by the instance `generation` run: its input gate, for it only.
    struct ListenerHost: WebSocketListenerHost {
        weak var container: ActorContainer?
        let generation: Int

        func dispatch(_ kind: WebSocketEventKind, _ listeners: @escaping WebSocketListenerRun) {
            container?.post("WebSocket \(kind.rawValue) listener", generation: generation) { _ in try await listeners() }
        }
    }

    /// The listener host for code of the instance `generation`.
    func listenerHost(_ generation: Int) -> ListenerHost {
        ListenerHost(container: self, generation: generation)
    }

    /// A message reached a plain socket of the instance `generation`: as an event, it restarts
    /// the idle clock. The timer is left as it is: when it fires early it re-arms itself from the
    /// newer activity, so a busy socket costs a lock per message, not a timer.
    func plainSocketReceived(generation: Int) {
        let now = clock.now
        state.withLock { state in
            guard state.generation == generation, state.instance != nil else { return }
            state.lifecycle.touched(at: now)
        }
    }
}
