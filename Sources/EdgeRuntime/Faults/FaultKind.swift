/// A failure of production that a ``FaultPlan`` can inject, and where the runtime asks for it.
///
/// Each kind is consulted at one kind of point (``FaultPoint``); the names are those of
/// `edge dev --chaos=<kind>=<rate>` and of `GET /cdn-cgi/edge/chaos`.
///
/// | kind | point | what happens |
/// |---|---|---|
/// | `evict-hibernate`, `evict-close` | an event reaches an object; object code awaits D1, a stub or `fetch` | the object is evicted (hibernatable sockets kept or closed, plain ones 1006) once its events in flight end; new events wait |
/// | `reset` | the same | a code-update reset: events in flight fail with "Durable Object reset because its code was updated.", every socket 1006 |
/// | `stub-network` | `stub.fetch` / `stub.call` | `Error: Network connection lost.` (`retryable`), before the call reaches the object or after it ran (the caller cannot tell) |
/// | `stub-overloaded` | the same | `Error: Durable Object is overloaded. ...` (`overloaded`), before the call reaches the object |
/// | `d1-before-commit` | a D1 query, batch or exec | `D1_ERROR: <one of D1's transient texts>` before anything runs |
/// | `d1-after-commit` | the same | the transaction commits, then the same error (the caller cannot tell the two apart) |
/// | `drop-websocket` | a Durable Object or worker sends on a WebSocket | the connection drops without a Close frame (the peer sees 1006, the object a close with `wasClean: false`) |
/// | `drop-stream` | a Server-Sent Events frame is queued | the stream is cut without its end (the client sees a truncated body) |
/// | `slow-io` | D1, stubs, outbound `fetch` | the call waits ``FaultPlan/slowIODelay`` first |
/// | `alarm` | an alarm fires | the run fails before the handler (an internal error: retried with backoff, not counted against the 6 retries) |
/// | `outbound` | a global `fetch` hop | `Error: Network connection lost.` (``NetworkError``) |
public enum FaultKind: String, Sendable, CaseIterable, Hashable, Comparable, Codable {
    case evictHibernate = "evict-hibernate"
    case evictClose = "evict-close"
    case reset
    case stubNetwork = "stub-network"
    case stubOverloaded = "stub-overloaded"
    case d1BeforeCommit = "d1-before-commit"
    case d1AfterCommit = "d1-after-commit"
    case dropWebSocket = "drop-websocket"
    case dropStream = "drop-stream"
    case slowIO = "slow-io"
    case alarm
    case outbound

    public static func < (lhs: FaultKind, rhs: FaultKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where the runtime consults a ``FaultPlan``. A kind counts the times it is asked, at any of
/// its points, so `.reset: .at([3])` means "the third time a reset could happen" (an event
/// reaching an object or an await inside one).
public enum FaultPoint: String, Sendable, Hashable, CaseIterable {
    /// An event (request, RPC call, alarm, WebSocket event, timer) reaches a Durable Object.
    case objectEvent = "object event"
    /// Code running in a Durable Object awaits D1, a stub or `fetch`: between two awaits of a request.
    case objectAwait = "object await"
    /// `stub.fetch` or `stub.call`.
    case stubCall = "stub call"
    /// A D1 query, batch or exec made by handler code.
    case d1Query = "D1 query"
    /// A message sent on a WebSocket end made by handler code.
    case webSocketSend = "WebSocket send"
    /// A Server-Sent Events frame queued by handler code.
    case streamWrite = "stream write"
    /// An alarm fires.
    case alarm
    /// One hop of the global `fetch`.
    case outboundFetch = "outbound fetch"
}

/// When a kind fires, counted in the times it is asked (never in wall time).
public enum FaultSchedule: Sendable, Hashable, CustomStringConvertible {
    /// Each occurrence fires with this probability (0...1), drawn from the plan's seed and the
    /// occurrence's number, so the same seed fires at the same occurrences.
    case rate(Double)
    /// The occurrences with these numbers (1 is the first) fire.
    case at(Set<Int>)
    /// Every `n`th occurrence fires (n, 2n, 3n, ...).
    case every(Int)

    public var description: String {
        switch self {
        case .rate(let rate): "\(rate)"
        case .at(let numbers): "at " + numbers.sorted().map(String.init).joined(separator: ",")
        case .every(let n): "every \(n)"
        }
    }
}

/// One fault the plan injected: what, where, and the how-many-th time its kind was asked.
public struct InjectedFault: Sendable, Hashable, CustomStringConvertible {
    public let kind: FaultKind
    public let point: FaultPoint
    /// The time `kind` was asked that fired, counted from 1.
    public let occurrence: Int
    /// What it did, as the log shows it (the error text, the object, the socket).
    public let detail: String

    public var description: String {
        "\(kind.rawValue) at \(point.rawValue) #\(occurrence)\(detail.isEmpty ? "" : ": \(detail)")"
    }
}
