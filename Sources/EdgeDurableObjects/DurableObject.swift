import EdgeRuntime

/// A Durable Object class: the Swift twin of `class OrderHub extends DurableObject`.
///
/// Write it as an actor, so that its code runs one piece at a time exactly as a JavaScript
/// object's does: the host delivers events (requests, RPC calls, alarms, WebSocket messages)
/// one at a time through the object's input gate, and the actor's own executor then
/// interleaves them only where the object awaits.
///
/// ```swift
/// actor OrderHub: DurableObject {
///     let state: DurableObjectState
///     init(state: DurableObjectState, env: Env) { self.state = state }
///     func fetch(_ request: Request) async throws -> Response { ... }
/// }
/// ```
///
/// Only `init` is required; every handler has a default. The class is registered by its type
/// (``WorkerModule/init(_:durableObjects:)``) and bound by ``className``.
public protocol DurableObject: AnyObject, Sendable {
    /// The bindings the object's `env` holds (often the worker's own `Env`).
    associatedtype Env: WorkerEnv

    /// The name configuration binds the class by (`class_name`); the Swift type name unless
    /// overridden.
    static var className: String { get }

    /// `constructor(ctx, env)`: runs on the first event after a cold start, an eviction or a
    /// reset. Rehydrate from storage here (it is synchronous) or in a `blockConcurrencyWhile`.
    init(state: DurableObjectState, env: Env)

    /// `fetch(request)`: handles a request sent through `stub.fetch`.
    func fetch(_ request: Request) async throws -> Response

    /// `alarm(alarmInfo)`: the alarm set with `storage.setAlarm` is due. Throwing retries it
    /// with backoff. The default logs "Attempted to run a scheduled alarm without a handler" and
    /// does not retry, as workerd does.
    func alarm(_ info: AlarmInfo) async throws

    /// `webSocketMessage(ws, message)`: a message on a WebSocket accepted with
    /// ``DurableObjectState/acceptWebSocket(_:tags:)``. The default ignores it.
    func webSocketMessage(_ ws: WebSocket, _ message: WebSocketMessage) async throws

    /// `webSocketClose(ws, code, reason, wasClean)`: a hibernatable WebSocket closed. The
    /// default does nothing.
    func webSocketClose(_ ws: WebSocket, code: UInt16, reason: String, wasClean: Bool) async throws

    /// `webSocketError(ws, error)`: a hibernatable WebSocket failed. The default does nothing.
    func webSocketError(_ ws: WebSocket, _ error: any Error) async throws
}

extension DurableObject {
    /// The Swift type name.
    public static var className: String { String(describing: Self.self) }

    /// A class without `fetch` fails `stub.fetch` with workerd's text.
    public func fetch(_ request: Request) async throws -> Response {
        throw DurableObjectError.noFetchHandler
    }

    /// No alarm handler: the host logs workerd's warning and does not retry.
    public func alarm(_ info: AlarmInfo) async throws {
        throw AlarmHandlerMissing()
    }

    /// Ignores the message.
    public func webSocketMessage(_ ws: WebSocket, _ message: WebSocketMessage) async throws {}

    /// Does nothing.
    public func webSocketClose(_ ws: WebSocket, code: UInt16, reason: String, wasClean: Bool) async throws {}

    /// Does nothing.
    public func webSocketError(_ ws: WebSocket, _ error: any Error) async throws {}
}

/// A registered Durable Object class: its type, e.g. `OrderHub.self` (what
/// ``WorkerModule`` and ``DurableObjectRuntime`` take).
public typealias DurableObjectClass = any DurableObject.Type

/// `alarmInfo`, the argument of `alarm()`: which attempt this is.
public struct AlarmInfo: Sendable, Hashable {
    /// `alarmInfo.retryCount`: 0 on the first attempt, then 1, 2, ... on retries.
    public let retryCount: Int
    /// `alarmInfo.isRetry`: whether this attempt is a retry.
    public var isRetry: Bool { retryCount > 0 }

    /// Creates the info of attempt `retryCount`.
    public init(retryCount: Int) {
        self.retryCount = retryCount
    }
}

/// Thrown by the default `alarm()`: the class has no alarm handler.
struct AlarmHandlerMissing: Error {}
