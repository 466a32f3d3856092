import EdgeRuntime
import Foundation
import Logging
import Synchronization

/// The host of one Durable Object id (workerd's `ActorContainer`): at most one live instance,
/// constructed lazily by the first event; its input gate; the lifecycle that decides when the
/// instance leaves memory; its hibernatable WebSockets, which belong to the host and outlive
/// instances; and the keep-alives of the current instance (plain WebSockets, streaming
/// responses, `waitUntil` work).
///
/// Each instance is a *generation*. Everything an instance starts is tagged with its generation,
/// and whatever reports back for an older generation is ignored: a stale instance cannot keep
/// the object alive, hold its gate or use its storage.
///
/// Locking: `state` is a `Mutex`, never held while object code runs (constructors, handlers),
/// nor while sockets, streams or storage are closed. Timers are (re)armed under it, which is
/// safe because a clock never calls back while setting a timer.
final class ActorContainer: Sendable {
    /// A live instance.
    struct Instance: Sendable {
        let generation: Int
        let object: any DurableObject
        let state: DurableObjectState
        let file: SQLiteFile
        /// The instance's `Date.now()`, timers and console (`ActorContainer+Timers.swift`).
        let io: IoContext
    }

    /// An event being handled (or constructing the instance it will be handled by).
    struct InFlight: Sendable {
        let generation: Int
        let fail: @Sendable (DurableObjectError) -> Void
        let task: TaskHandle
    }

    /// A WebSocket accepted with `acceptWebSocket`: held by the host, across instances.
    struct HostedSocket: Sendable {
        let socket: WebSocket
        let tags: [String]
        let order: Int
        var autoResponseAt: Date?
    }

    struct State {
        var id: DurableObjectId
        var generation = 0
        var instance: Instance?
        var lifecycle: ObjectLifecycle
        var constructions = 0
        var idleTimer: (deadline: Date, work: ScheduledWork, token: Int)?
        var events: [Int: InFlight] = [:]
        var drainWaiters: [OneShot<Void>] = []
        var waitUntil: [Int: TaskHandle] = [:]
        var plainSockets: [ObjectIdentifier: WebSocket] = [:]
        var streams: [Int: ReadableStream] = [:]
        var hosted: [ObjectIdentifier: HostedSocket] = [:]
        /// `getWebSockets(tag)` answers (`nil`: every socket), kept until a socket is hosted or
        /// dropped: a hub broadcasting to a thousand sockets asks for each event.
        var socketLists: [String?: [WebSocket]] = [:]
        var autoResponse: WebSocketRequestResponsePair?
        var nextToken = 0
        var shutDown = false

        mutating func takeToken() -> Int {
            defer { nextToken += 1 }
            return nextToken
        }
    }

    let context: ClassContext
    let gate = InputGate()
    let state: Mutex<State>

    init(id: DurableObjectId, context: ClassContext) {
        self.context = context
        state = Mutex(State(id: id, lifecycle: ObjectLifecycle(settings: context.host.settings, now: context.host.clock.now)))
    }

    var clock: any EdgeClock { context.host.clock }
    var logger: Logger { context.host.logger }

    /// The id, with its name once one is known.
    var id: DurableObjectId { state.withLock { $0.id } }

    /// How the lifecycle log names this object.
    var label: String { id.label(className: context.className) }

    /// Records the name of an id made with `idFromName` (the container may have been created
    /// from `idFromString`, which carries none).
    func adopt(name: String) {
        state.withLock { state in
            if state.id.name == nil { state.id = DurableObjectId(hex: state.id.hex, name: name) }
        }
    }

    /// Whether `generation` is the instance in memory (or being constructed).
    func isCurrent(_ generation: Int) -> Bool {
        state.withLock { $0.generation == generation && !$0.shutDown }
    }

    // MARK: Construction

    /// Constructs the instance of `generation` (reserved by the admitted event): opens its
    /// database, builds the class's `Env`, runs the constructor. Runs outside the lock; no other
    /// event can be admitted meanwhile.
    func construct(generation: Int) throws -> Instance {
        let id = self.id
        gate.advance(to: generation)
        let file = try SQLiteFile(path: context.databasePath(id.hex))
        let storage = DurableObjectStorage(
            file: file, id: id, sqlEnabled: context.sqlEnabled, alarms: context.alarms, gate: gate, generation: generation)
        let objectState = DurableObjectState(id: id, storage: storage, container: self, generation: generation)
        let io = makeIoContext(generation: generation)
        do {
            let object = try WebSocketListenerHosting.$current.withValue(listenerHost(generation)) {
                try IoContext.$current.withValue(io) {
                    try context.environment.construct(context.objectType, state: objectState)
                }
            }
            return Instance(generation: generation, object: object, state: objectState, file: file, io: io)
        } catch {
            file.close(because: error)
            throw error
        }
    }

    /// Makes a constructed instance the live one, unless it was reset while constructing.
    func install(_ instance: Instance) throws {
        let now = clock.now
        let count: Int = try state.withLock { state in
            guard state.generation == instance.generation, !state.shutDown else { throw DurableObjectError.instanceInactive }
            state.instance = instance
            state.constructions += 1
            apply(state.lifecycle.constructed(at: now), to: &state)
            apply(state.lifecycle.began(.event, at: now), to: &state)
            return state.constructions
        }
        logger.info("\(label): constructed (\(count == 1 ? "first time" : "construction \(count)"))")
        do {
            try context.metadata.record(instance.state.id)
        } catch {
            logger.error("\(label): could not record the object in metadata.sqlite: \(error)")
        }
    }

    // MARK: The idle timer

    /// Carries out a timer action of the lifecycle (holding the lock).
    func apply(_ action: ObjectLifecycle.Action, to state: inout State) {
        switch action {
        case .none:
            break
        case .arm(let deadline):
            if state.idleTimer?.deadline == deadline { return }
            state.idleTimer?.work.cancel()
            let token = state.takeToken()
            let work = clock.schedule(at: deadline) { [weak self] in self?.idleTimerFired(token: token) }
            state.idleTimer = (deadline, work, token)
        case .disarm:
            state.idleTimer?.work.cancel()
            state.idleTimer = nil
        case .hibernate, .evict:
            fatalError("only the idle timer removes an instance through the lifecycle")
        }
    }

    private func idleTimerFired(token: Int) {
        let now = clock.now
        let removal: Removal? = state.withLock { state in
            guard state.idleTimer?.token == token else { return nil }
            state.idleTimer = nil
            let action = state.lifecycle.timerFired(at: now)
            switch action {
            case .none, .arm, .disarm:
                apply(action, to: &state)
                return nil
            case .hibernate(let idle, let kept):
                let sockets = kept == 1 ? "1 socket" : "\(kept) sockets"
                return takeInstance(&state, .idle, log: "hibernated after \(idle.logText) idle (\(sockets) kept)")
            case .evict(let idle, let closed, let kept):
                var details: [String] = []
                if closed > 0 { details.append(closed == 1 ? "1 WebSocket closed" : "\(closed) WebSockets closed") }
                if kept > 0 { details.append(kept == 1 ? "1 hibernatable socket kept" : "\(kept) hibernatable sockets kept") }
                let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
                return takeInstance(&state, .idle, log: "evicted after \(idle.logText) idle\(suffix)")
            }
        }
        removal.map(perform)
    }

    // MARK: Inspection

    /// The object as ``DurableObjectRuntime/list()`` shows it.
    func info() -> ObjectInfo {
        let alarm = context.alarms.get(id)
        let queued = gate.queued
        return state.withLock { state in
            ObjectInfo(
                id: state.id, state: state.lifecycle.state, sockets: state.hosted.count + state.plainSockets.count,
                hibernatableSockets: state.hosted.count, constructions: state.constructions, inFlight: state.events.count,
                queued: queued, alarm: alarm)
        }
    }

    /// Whether the object was ever in memory or holds anything (else `list()` leaves it out
    /// unless it has a database).
    var hasHistory: Bool {
        state.withLock { $0.constructions > 0 || !$0.hosted.isEmpty || !$0.events.isEmpty }
    }
}
