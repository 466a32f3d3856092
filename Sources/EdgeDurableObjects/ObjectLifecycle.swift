import EdgeRuntime
import Foundation

// The lifecycle of one Durable Object, as a value driven by the clock.
//
// Production describes five states (Cloudflare's "Lifecycle of a Durable Object" page). The host
// keeps four; the fifth (in memory, idle, not hibernatable) is `idle` with a plain WebSocket.
//
//                  first event: the constructor runs
//     inactive ───────────────────────────────────────────▶ running
//        ▲   ▲                                                │   ▲
//        │   │ idle for hibernateAfter, no socket at all;     │   │ a message, close or error on a
//        │   └─ or idle for evictAfter with plain WebSockets ─┤   │ hibernated socket, a request or
//        │      (closed as dropped: 1006)                     │   │ an alarm: a new instance
//        │                                                    ▼   │
//        └────────── its last socket closes ────────────── hibernated
//                                              (idle for hibernateAfter with hibernatable
//                                               sockets only; the host keeps them open)
//
// `running` is `active` while anything is in flight, `idle` otherwise (``ObjectState``):
// - in flight (the object is busy and never evicted by the timer): an event being handled
//   (request, RPC call, alarm, WebSocket message), `waitUntil` work that has not settled, and a
//   streaming response body still being read (the request is still being served);
// - a plain WebSocket (`ws.accept()` in the object) makes the object non-hibernatable, so the
//   longer `evictAfter` applies, as production's 70–140 s tier for idle non-hibernatable objects;
//   each message it receives is an event that restarts the idle clock (``touched(at:)``), so
//   only `evictAfter` with no event at all evicts it;
// - hibernatable WebSockets never keep the object in memory: the host holds them, answers
//   auto-responses, and wakes the object when a message or close arrives.
//
// The idle clock restarts whenever something starts or ends. Forced eviction, reset and
// shutdown remove the instance whatever this says (``dropped()``). This type only decides; the
// container performs the actions it returns (SwiftNIO's state machine style).

/// When an object leaves memory, decided from what keeps it there and the clock.
struct ObjectLifecycle: Sendable {
    /// What keeps a running object in memory.
    enum Hold: Sendable, Hashable {
        /// An event being handled: a request, an RPC call, an alarm, a socket event.
        case event
        /// `waitUntil` work that has not settled.
        case waitUntil
        /// A streaming response body that is still being read.
        case stream
        /// A plain WebSocket that is open (makes the object non-hibernatable).
        case plainSocket
    }

    /// Where the object is.
    enum Residence: Sendable, Equatable {
        /// Not in memory and nothing held by the host.
        case inactive
        /// An instance is in memory.
        case running
        /// Not in memory; the host holds its hibernatable WebSockets.
        case hibernated
    }

    /// What the host must do.
    enum Action: Sendable, Equatable {
        /// Nothing.
        case none
        /// (Re)arm the idle timer for this deadline.
        case arm(Date)
        /// Cancel the idle timer.
        case disarm
        /// Remove the instance, keeping `socketsKept` hibernatable WebSockets open.
        case hibernate(idleFor: Duration, socketsKept: Int)
        /// Remove the instance, closing `plainSocketsClosed` plain WebSockets and keeping
        /// `socketsKept` hibernatable ones.
        case evict(idleFor: Duration, plainSocketsClosed: Int, socketsKept: Int)
    }

    let settings: LifecycleSettings
    private(set) var residence: Residence = .inactive
    private(set) var hibernatableSockets = 0
    private(set) var lastActivity: Date
    private var holds: [Hold: Int] = [:]

    init(settings: LifecycleSettings, now: Date) {
        self.settings = settings
        self.lastActivity = now
    }

    /// How many of `hold` there are.
    func count(_ hold: Hold) -> Int { holds[hold, default: 0] }

    /// Whether something is in flight (never evicted by the timer).
    var isBusy: Bool { count(.event) + count(.waitUntil) + count(.stream) > 0 }

    /// The state ``DurableObjectRuntime/list()`` reports.
    var state: ObjectState {
        switch residence {
        case .running: isBusy ? .active : .idle
        case .hibernated: .hibernated
        case .inactive: .inactive
        }
    }

    /// When the idle timer should fire, if it should run at all.
    var deadline: Date? {
        guard residence == .running, !isBusy, !settings.preventEviction else { return nil }
        return lastActivity + (count(.plainSocket) > 0 ? settings.evictAfter : settings.hibernateAfter)
    }

    /// A new instance was constructed at `now`.
    mutating func constructed(at now: Date) -> Action {
        precondition(residence != .running, "an object was constructed while an instance of it was in memory")
        residence = .running
        lastActivity = now
        return timerAction
    }

    /// Something that keeps the object in memory started.
    mutating func began(_ hold: Hold, at now: Date) -> Action {
        holds[hold, default: 0] += 1
        lastActivity = now
        return timerAction
    }

    /// Something that kept the object in memory ended.
    mutating func ended(_ hold: Hold, at now: Date) -> Action {
        guard let count = holds[hold], count > 0 else {
            fatalError("the lifecycle ended a \(hold) it never began")
        }
        holds[hold] = count - 1
        lastActivity = now
        return timerAction
    }

    /// An event that the host does not track from start to end happened at `now` (a message on
    /// a plain WebSocket): it restarts the idle clock. The idle timer need not move; when it fires
    /// before the new deadline, ``timerFired(at:)`` arms it again.
    mutating func touched(at now: Date) {
        guard residence == .running, now > lastActivity else { return }
        lastActivity = now
    }

    /// The host now holds `count` hibernatable WebSockets for this object.
    mutating func hibernatableSocketsChanged(to count: Int) {
        hibernatableSockets = count
        if residence == .hibernated, count == 0 { residence = .inactive }
    }

    /// The idle timer fired at `now`.
    mutating func timerFired(at now: Date) -> Action {
        guard let deadline else { return .disarm }
        guard now >= deadline else { return .arm(deadline) }
        let idle = now.duration(since: lastActivity)
        let plain = count(.plainSocket)
        let kept = hibernatableSockets
        dropped()
        if plain == 0, kept > 0 { return .hibernate(idleFor: idle, socketsKept: kept) }
        return .evict(idleFor: idle, plainSocketsClosed: plain, socketsKept: kept)
    }

    /// The instance was removed (idle timer, forced eviction, reset or shutdown); what it held
    /// went with it.
    mutating func dropped() {
        holds = [:]
        residence = hibernatableSockets > 0 ? .hibernated : .inactive
    }

    private var timerAction: Action {
        deadline.map(Action.arm) ?? .disarm
    }
}
