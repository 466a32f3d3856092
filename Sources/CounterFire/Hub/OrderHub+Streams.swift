import DequeModule
import EdgeDurableObjects
import EdgeRuntime
import Foundation

extension OrderHub {
    /// Where a stream starts: a fresh snapshot, or the events after a cursor (or seq).
    enum Start: Equatable {
        case snapshot
        case after(Int)

        /// Reads `?after=` or else `Last-Event-ID`; anything but a non-negative integer is a
        /// fresh snapshot, as the contract says for an `after` the hub cannot serve.
        init(_ request: Request) {
            let text = request.searchParams.get("after") ?? request.headers.get("last-event-id")
            if let text, let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 {
                self = .after(value)
            } else {
                self = .snapshot
            }
        }
    }

    // MARK: kitchen display

    func kitchenStream(_ request: Request) async throws -> Response {
        let start = Start(request)
        if request.isWebSocketUpgrade {
            let (client, server) = WebSocketPair()
            try await state.blockConcurrencyWhile { try await self.greetKitchen(socket: server, start: start) }
            return Response(webSocket: client)
        }
        let events = try await state.blockConcurrencyWhile { try await self.openKitchenEvents(start: start) }
        return Response(eventStream: events)
    }

    /// Opens a kitchen event stream with its greeting queued and the subscriber registered, all
    /// inside the gate, so no event is fanned out between the greeting and the subscription.
    func openKitchenEvents(start: Start) async throws -> EventStream {
        var messages: [(event: String, id: String, data: String)] = []
        var size = 0
        try await kitchenGreeting(start: start).forEach { event, id, data in
            messages.append((event, id, data))
            size += data.utf8.count
        }
        let events = EventStream(maxBufferedBytes: maxBufferedBytes + size)
        for message in messages {
            do {
                try events.enqueue(event: message.event, id: message.id, data: message.data)
            } catch where events.isClosed {
                return events  // cut during its greeting (as for a socket, above): not subscribed
            }
        }
        subscribe(events, kind: .kitchen)
        return events
    }

    /// Accepts a kitchen socket as hibernatable and sends its snapshot or replay; runs inside the
    /// gate, so no event is fanned out between the greeting and the socket joining the tag. The
    /// socket joins after the greeting's last await: from there to its last message nothing
    /// else runs on the hub.
    func greetKitchen(socket: WebSocket, start: Start) async throws {
        let greeting = try await kitchenGreeting(start: start)
        state.acceptWebSocket(socket, tags: [Self.kitchenTag])
        // Refused (the hub holds as many sockets as an object may): the event fails with the
        // host's error once this returns. Throwing here would reset the hub, dropping every socket.
        guard socket.isAccepted else { return }
        // Written whole before the first is sent: sent while folding, the messages reached the
        // server's writer one by one and left a frame per write (a 10 000-event replay took
        // 250 ms instead of 150 ms); queued together, they leave in writes of 256.
        var messages: [String] = []
        var size = 0
        try greeting.forEach { _, _, data in
            messages.append(data)
            size += data.utf8.count
        }
        for data in messages {
            do {
                try socket.send(data)
            } catch where socket.readyState != .open {
                // The client went away during its greeting (its close event follows): the
                // greeting ends here. Thrown on, the error would fail blockConcurrencyWhile, which
                // resets the hub and drops every other kitchen's socket, whose reconnects (and
                // their greetings) then meet the next drop: a reset storm under --chaos.
                return
            }
        }
        try socket.serializeAttachment(KitchenSocket(greetingBytes: size))
    }

    /// The first messages of a kitchen stream: a snapshot, or the replay of a gap (from memory
    /// when the hub still holds it, else folded from D1).
    enum KitchenGreeting {
        case snapshot(cursor: Int, json: String)
        case recent(Slice<Deque<RecentEvents.Message>>)
        case replay(Replay)

        /// Each message as an SSE event name, id and data (a WebSocket sends the data).
        func forEach(_ body: (_ event: String, _ id: String, _ data: String) throws -> Void) throws {
            switch self {
            case .snapshot(let cursor, let json): try body("snapshot", String(cursor), json)
            case .recent(let messages): for message in messages { try body("order", String(message.cursor), message.json) }
            case .replay(let replay): try replay.forEach { cursor, json in try body("order", String(cursor), json) }
            }
        }
    }

    /// The greeting of a kitchen stream, after catching up with the log.
    func kitchenGreeting(start: Start) async throws -> KitchenGreeting {
        try await catchUp()
        let board = try await loadedBoard()
        if case .after(let after) = start, after <= board.cursor, board.cursor - after <= Self.maxReplayEvents {
            if let messages = recent?.messages(after: after, upTo: board.cursor) { return .recent(messages) }
            return .replay(try await replay(after: after, upTo: board.cursor))
        }
        return .snapshot(cursor: board.cursor, json: HubMessage.json(HubMessage.Snapshot(cursor: board.cursor, tickets: board.openTickets)))
    }

    // MARK: customer tracker

    func trackerStream(_ request: Request) async throws -> Response {
        guard let orderID = request.searchParams.get("order") else { return APIError.trackerNotFound.response }
        let start = Start(request)
        let events = try await state.blockConcurrencyWhile { try await self.openTrackerEvents(order: orderID, start: start) }
        guard let events else { return APIError.trackerNotFound.response }
        return Response(eventStream: events)
    }

    /// Opens a tracker event stream inside the gate, like ``openKitchenEvents(start:)``.
    func openTrackerEvents(order orderID: String, start: Start) async throws -> EventStream? {
        guard let messages = try await trackerGreeting(order: orderID, start: start) else { return nil }
        let events = EventStream(maxBufferedBytes: maxBufferedBytes)
        for message in messages {
            do {
                try events.enqueue(event: message.event, id: message.id, data: message.data)
            } catch where events.isClosed {
                return events  // cut during its greeting, as a kitchen stream's
            }
        }
        subscribe(events, kind: .tracker(orderID: orderID))
        return events
    }

    /// The first messages of a tracker stream: a snapshot, or the events with a higher seq.
    func trackerGreeting(order orderID: String, start: Start) async throws -> [(event: String, id: String, data: String)]? {
        try await catchUp()
        let board = try await loadedBoard()
        var fold = TicketFold(keepsOpenOnly: false)
        var history: [(event: OrderEvent, ticket: Ticket)] = []
        for row in try await store.history(order: orderID, upTo: board.cursor) {
            if let applied = try fold.apply(row) { history.append(applied) }
        }
        guard let latest = history.last else { return nil }
        if case .after(let seq) = start, seq <= latest.ticket.seq {
            return history.filter { $0.event.seq > seq }.map {
                ("order", String($0.event.seq), HubMessage.json(HubMessage.TrackerEvent(event: $0.event, order: $0.ticket.trackerView)))
            }
        }
        let snapshot = HubMessage.json(HubMessage.TrackerSnapshot(order: latest.ticket.trackerView))
        return [("snapshot", String(latest.ticket.seq), snapshot)]
    }
}
