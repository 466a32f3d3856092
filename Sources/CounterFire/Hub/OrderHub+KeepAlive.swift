import EdgeDurableObjects
import EdgeRuntime
import Foundation

extension OrderHub {
    // MARK: subscribers and keep-alive

    func subscribe(_ events: EventStream, kind: Subscriber.Kind) {
        let id = UUID()
        subscribers[id] = Subscriber(kind: kind, events: events)
        events.onCancel { _ in
            Task { await self.unsubscribe(id) }
        }
        startHeartbeat()
    }

    func unsubscribe(_ id: UUID) {
        subscribers[id] = nil
    }

    /// Every 5 s each Server-Sent Events subscriber gets a `heartbeat` event (no id, so it does
    /// not move `Last-Event-ID`): page scripts cannot see comment lines, and their watchdog needs
    /// something to see. Every 15 s a comment line follows, the contract's keep-alive. The beat
    /// is a `setInterval` on the runtime's clock (each beat an event of the hub, through its input
    /// gate); eviction and reset end it with the instance. If this instance has gone stale
    /// anyway, its storage throws: the streams are ended so that their clients reconnect to the
    /// live instance.
    func startHeartbeat() {
        guard heartbeat == nil else { return }
        heartbeatTicks = 0
        heartbeat = setInterval({ [weak self] in await self?.heartbeatTick() }, 5_000)
    }

    func heartbeatTick() {
        heartbeatTicks += 1
        guard heartbeat != nil, !beat(comment: heartbeatTicks % 3 == 0) else { return }
        stopHeartbeat()
    }

    func stopHeartbeat() {
        clearInterval(heartbeat)
        heartbeat = nil
    }

    /// One heartbeat; returns whether to keep beating.
    func beat(comment: Bool) -> Bool {
        do {
            _ = try state.storage.get(Self.deliveredKey, as: Int.self)
        } catch {
            endStreams()
            return false
        }
        if subscribers.isEmpty { return false }
        let data = HubMessage.json(HubMessage.Heartbeat(cursor: board?.cursor ?? 0))
        for (id, subscriber) in subscribers {
            enqueue(id, subscriber) { try $0.enqueue(event: "heartbeat", id: nil, data: data) }
            if comment { try? subscriber.events.comment("keep-alive") }
        }
        return true
    }

    func endStreams() {
        subscribers.values.forEach { $0.events.close() }
        subscribers = [:]
        stopHeartbeat()
    }
}
