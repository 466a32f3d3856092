import EdgeDurableObjects
import EdgeRuntime
import Foundation

/// One per restaurant (`ORDER_HUB.idFromName(restaurantID)`): the fan-out and cache in front of
/// the D1 log. It is never the source of truth.
///
/// - Its board (the open tickets and the last cursor applied) is rebuilt from D1 by each new
///   instance, on the first event after a cold start, an eviction or a reset.
/// - Writers commit to D1 first, then call ``notify()``; the hub reads the log after its cursor
///   and fans each new event out once, in cursor order. Reading the log rather than trusting the
///   notification makes late, repeated or lost notifications harmless.
/// - Everything that reads D1 runs inside `blockConcurrencyWhile`, so no other event can
///   interleave between reading the log and applying it: fan-out order is the log's order.
/// - The KDS messages it fans out are kept (``RecentEvents``), so a kitchen resuming over a gap
///   they cover is answered from memory; any other gap is folded from D1 (``Replay``).
/// - Kitchen WebSockets are hibernatable (tag `kds`) and outlive the instance; the cursor last
///   fanned out to them is kept in the hub's own storage, so a new instance first sends those
///   sockets the events they missed while no instance was running.
public actor OrderHub: DurableObject {
    public typealias Env = CounterFire.Env

    /// How far behind a subscriber may fall before it is disconnected (it then resumes):
    /// `[vars] HUB_BACKLOG_LIMIT_BYTES`, 16 MiB by default.
    let maxBufferedBytes: Int
    /// Replays longer than this get a fresh snapshot instead.
    static let maxReplayEvents = 50_000
    static let kitchenTag = "kds"
    static let deliveredKey = "delivered_cursor"

    let state: DurableObjectState
    let store: OrderStore
    var board: TicketFold?
    /// What this instance fanned out to kitchens lately, for resumes (see ``RecentEvents``).
    var recent: RecentEvents?
    var subscribers: [UUID: Subscriber] = [:]
    /// The `setInterval` of the SSE heartbeat, while there are subscribers.
    var heartbeat: Int?
    var heartbeatTicks = 0

    public init(state: DurableObjectState, env: Env) {
        self.state = state
        self.store = OrderStore(db: env.DB)
        self.maxBufferedBytes = env.hubBacklogLimit
        state.setWebSocketAutoResponse(WebSocketRequestResponsePair(request: "ping", response: "pong"))
    }

    /// The restaurant this hub serves: the name its id was made from.
    var restaurant: String { state.id.name ?? "" }

    /// Handles the stream requests the worker forwards: `/kds` and `/track`.
    public func fetch(_ request: Request) async throws -> Response {
        switch request.path {
        case "/kds":
            return try await kitchenStream(request)
        case "/track":
            return try await trackerStream(request)
        default:
            return APIError.notFound(request.path).response
        }
    }

    /// Called by writers after each commit: fan out whatever the log has past the board's cursor.
    public func notify() async throws {
        try await state.blockConcurrencyWhile { try await self.catchUp() }
    }

    public func webSocketMessage(_ ws: WebSocket, _ message: WebSocketMessage) async throws {
        // Clients send only "ping", which the auto-response answers without waking the hub.
    }

    public func webSocketClose(_ ws: WebSocket, code: UInt16, reason: String, wasClean: Bool) async throws {}

    // MARK: board

    /// The board, loading it from D1 on first use by this instance. Call inside the gate.
    func loadedBoard() async throws -> TicketFold {
        if let board { return board }
        let (tickets, cursor) = try await store.board(restaurant: restaurant)
        let fold = TicketFold(tickets: tickets, cursor: cursor, keepsOpenOnly: true)
        board = fold
        recent = RecentEvents(after: cursor)
        let delivered = try state.storage.get(Self.deliveredKey, as: Int.self) ?? cursor
        let sockets = state.getWebSockets(tag: Self.kitchenTag)
        if delivered < cursor, !sockets.isEmpty {
            try await replay(after: delivered, upTo: cursor).forEach { _, json in
                sockets.forEach { send(json, to: $0) }
            }
        }
        try state.storage.put(Self.deliveredKey, cursor)
        return fold
    }

    /// Applies and fans out every event past the board's cursor. Call inside the gate.
    func catchUp() async throws {
        var fold = try await loadedBoard()
        let rows = try await store.log(restaurant: restaurant, after: fold.cursor, upTo: Int(Int64.max))
        guard !rows.isEmpty else { return }
        // The hub lets go of its board meanwhile, so the fold changes its tickets in place
        // instead of copying the whole board on the first change (if this throws, the next
        // event rebuilds the board from D1).
        board = nil
        for row in rows {
            guard let (event, ticket) = try fold.apply(row) else { continue }
            publish(event, ticket)
        }
        board = fold
        try state.storage.put(Self.deliveredKey, fold.cursor)
    }

    /// The history a replay of the events in `(after, upTo]` folds: the replay's only await.
    func replay(after: Int, upTo: Int) async throws -> Replay {
        Replay(rows: try await store.history(restaurant: restaurant, after: after, upTo: upTo), after: after)
    }

    // MARK: fan-out

    func publish(_ event: OrderEvent, _ ticket: Ticket) {
        let kitchen = HubMessage.json(HubMessage.Event(cursor: event.cursor, event: event, ticket: ticket))
        recent?.append(cursor: event.cursor, json: kitchen)
        for socket in state.getWebSockets(tag: Self.kitchenTag) {
            send(kitchen, to: socket)
        }
        // Each Server-Sent Events frame is encoded once and the same bytes queued on every stream.
        let kitchenFrame = subscribers.values.contains { $0.kind == .kitchen }
            ? ServerSentEvent(event: "order", id: String(event.cursor), data: kitchen).encoded() : nil
        let trackerFrame = subscribers.values.contains { $0.kind == .tracker(orderID: event.orderID) }
            ? ServerSentEvent(
                event: "order", id: String(event.seq),
                data: HubMessage.json(HubMessage.TrackerEvent(event: event, order: ticket.trackerView))
            ).encoded() : nil
        for (id, subscriber) in subscribers {
            switch subscriber.kind {
            case .kitchen:
                if let kitchenFrame { enqueue(id, subscriber) { try $0.enqueue(encoded: kitchenFrame) } }
            case .tracker(let orderID) where orderID == event.orderID:
                if let trackerFrame { enqueue(id, subscriber) { try $0.enqueue(encoded: trackerFrame) } }
            case .tracker:
                continue
            }
        }
    }

    func send(_ text: String, to socket: WebSocket) {
        let backlog = socket.bufferedAmount
        guard backlog <= maxBufferedBytes || backlog <= maxBufferedBytes + KitchenSocket.greetingBytes(of: socket) else {
            socket.close(code: 1008, reason: "Too far behind: reconnect and resume.")
            return
        }
        try? socket.send(text)
    }

    /// Queues on one subscriber's stream; a subscriber too far behind (or gone) is dropped.
    func enqueue(_ id: UUID, _ subscriber: Subscriber, _ write: (EventStream) throws -> Void) {
        do {
            try write(subscriber.events)
        } catch {
            subscriber.events.close()
            subscribers[id] = nil
        }
    }
}
