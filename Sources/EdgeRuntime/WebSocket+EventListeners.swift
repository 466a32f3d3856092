// `ws.addEventListener("message" | "close" | "error", listener)` for a plain (`accept()`ed) end.
//
// The end's events are read for its listeners once it is accepted and has a listener. Each event
// runs every listener for its type, in the order they were added, before the next event starts.
// Where the listeners were added decides how they run:
//
// - inside a Durable Object (its constructor or one of its events), each WebSocket event is an
//   event of that object: it passes the object's input gate as a request does (so it starts in
//   arrival order, waits for `blockConcurrencyWhile`, and interleaves with other events only
//   where a listener awaits), it keeps the object in memory while it runs, and it counts as
//   activity for the object's idle clock. An instance that has been evicted or reset runs no
//   more listeners.
// - anywhere else (a worker's `fetch`), the listeners just run, one event after another.
//
// A listener written inside an actor (a Durable Object) runs on that actor, so it can use the
// actor's state directly, as `this` in a JavaScript listener. A throwing listener does not stop
// the others nor later events: inside a Durable Object the host logs it, as an uncaught exception
// in an event handler; elsewhere it is dropped. Read an end either with listeners or with ``WebSocket/events``,
// not both. A socket accepted with the hibernation API (`state.acceptWebSocket`) delivers its
// events to the object's `webSocketMessage`, `webSocketClose` and `webSocketError`, never to
// listeners.

/// The `message` event of a WebSocket, mirroring the DOM `MessageEvent` a Workers listener gets.
public struct MessageEvent: Sendable, Equatable {
    /// `event.data`: the text or binary payload.
    public let data: WebSocketMessage
}

/// The `close` event of a WebSocket, mirroring the DOM `CloseEvent`.
public struct CloseEvent: Sendable, Equatable {
    /// `event.code`.
    public let code: UInt16
    /// `event.reason`.
    public let reason: String
    /// `event.wasClean`: whether the closing handshake completed (`false` for 1006).
    public let wasClean: Bool
}

/// The `error` event of a WebSocket, mirroring the DOM `ErrorEvent`.
public struct ErrorEvent: Sendable, Equatable {
    /// `event.message`.
    public let message: String
}

/// The event types `WebSocket.addEventListener` takes, mirroring the strings `"message"`,
/// `"close"` and `"error"`; each fixes the event its listener receives.
public struct WebSocketEventType<Event: Sendable>: Sendable {
    let kind: WebSocketEventKind
    let extract: @Sendable (WebSocketEvent) -> Event?
}

extension WebSocketEventType where Event == MessageEvent {
    /// `"message"`: a text or binary message arrived.
    public static var message: Self {
        Self(kind: .message) { event in
            guard case .message(let data) = event else { return nil }
            return MessageEvent(data: data)
        }
    }
}

extension WebSocketEventType where Event == CloseEvent {
    /// `"close"`: the connection closed (the last event).
    public static var close: Self {
        Self(kind: .close) { event in
            guard case .close(let code, let reason, let wasClean) = event else { return nil }
            return CloseEvent(code: code, reason: reason, wasClean: wasClean)
        }
    }
}

extension WebSocketEventType where Event == ErrorEvent {
    /// `"error"`: the connection failed (the last event).
    public static var error: Self {
        Self(kind: .error) { event in
            guard case .error(let message) = event else { return nil }
            return ErrorEvent(message: message)
        }
    }
}

/// The three kinds of WebSocket event, as the host names them in logs.
package enum WebSocketEventKind: String, Sendable {
    case message, close, error

    init(_ event: WebSocketEvent) {
        switch event {
        case .message: self = .message
        case .close: self = .close
        case .error: self = .error
        }
    }
}

/// Runs the listeners of WebSocket events as events of their host: a Durable Object's input gate.
/// The Durable Object host sets ``current`` while object code runs, so a socket whose listeners
/// are added there dispatches through it.
package protocol WebSocketListenerHost: Sendable {
    /// Runs `listeners` as one event named `kind`, after the events dispatched before it (and
    /// logs what they throw); drops it if the host's instance is gone.
    func dispatch(_ kind: WebSocketEventKind, _ listeners: @escaping WebSocketListenerRun)
}

/// One event's listeners, run on the caller's executor (a Durable Object's actor).
package typealias WebSocketListenerRun = nonisolated(nonsending) @Sendable () async throws -> Void

/// The host of the code running now, if it is a Durable Object.
package enum WebSocketListenerHosting {
    @TaskLocal package static var current: (any WebSocketListenerHost)?
}

/// A listener with its event type erased; runs on the caller's executor (a Durable Object's actor).
typealias ErasedListener = nonisolated(nonsending) @Sendable (WebSocketEvent) async throws -> Void

extension WebSocket {
    /// `ws.addEventListener(type, listener)`: runs `listener` for each event of `type` on this
    /// end (`.message`, `.close`, `.error`), after `accept()`. In a Durable Object each event
    /// passes the object's input gate and counts as activity that keeps the object in memory.
    ///
    /// ```swift
    /// server.accept()
    /// server.addEventListener(.message) { event in
    ///     try server.send("echo \(event.data.text ?? "")")
    /// }
    /// server.addEventListener(.close) { event in
    ///     server.close(code: event.code, reason: "bye")
    /// }
    /// ```
    public func addEventListener<Event>(
        _ type: WebSocketEventType<Event>,
        @_inheritActorContext _ listener: @escaping @isolated(any) @Sendable (Event) async throws -> Void
    ) {
        let extract = type.extract
        let erased: ErasedListener = { event in
            guard let event = extract(event) else { return }
            try await listener(event)
        }
        let host = WebSocketListenerHosting.current
        let start = state.withLock { state in
            state.listeners.append((type.kind, erased))
            if state.listenerHost == nil { state.listenerHost = host }
            return state.claimListenerReading()
        }
        if start { startListenerReading() }
    }

    /// Reads this end's events for its listeners, until the close or error.
    func startListenerReading() {
        Task {
            for await event in events {
                let host = state.withLock { $0.listenerHost }
                let run: WebSocketListenerRun = { try await self.runListeners(for: event) }
                if let host {
                    host.dispatch(WebSocketEventKind(event), run)
                } else {
                    try? await run()
                }
            }
        }
    }

    /// Runs the listeners for `event` in the order they were added (those added by now count);
    /// one that throws does not stop the others, and the first error is rethrown at the end.
    nonisolated(nonsending) private func runListeners(for event: WebSocketEvent) async throws {
        let kind = WebSocketEventKind(event)
        let listeners = state.withLock { $0.listeners.filter { $0.kind == kind }.map(\.run) }
        var failure: (any Error)?
        for listener in listeners {
            do {
                try await listener(event)
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }
}
