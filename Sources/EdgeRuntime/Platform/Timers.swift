import Foundation
import Synchronization

/// `setTimeout(callback, delay)`: runs `callback` once, `milliseconds` from now on the emulator's
/// clock, and returns the timer's id for ``clearTimeout(_:)``. A negative or missing delay is 0,
/// as in JavaScript.
///
/// Inside a Durable Object the callback is an event of the instance (delivered through its input
/// gate), a pending timer keeps the instance in memory, and eviction or reset ends the instance's
/// timers. Inside a worker's `fetch` the timers end with the invocation (the response sent and
/// `waitUntil` settled), as workerd cancels them with the request's `IoContext`. A callback that
/// throws is logged as `Uncaught (in setTimeout)`.
@discardableResult
public func setTimeout(_ callback: @escaping @Sendable () async throws -> Void, _ milliseconds: Double = 0) -> Int {
    IoContext.active.timers.set(callback, after: milliseconds, repeating: false)
}

/// `setInterval(callback, delay)`: runs `callback` every `milliseconds` until
/// ``clearInterval(_:)``. See ``setTimeout(_:_:)`` for where the callbacks run.
@discardableResult
public func setInterval(_ callback: @escaping @Sendable () async throws -> Void, _ milliseconds: Double = 0) -> Int {
    IoContext.active.timers.set(callback, after: milliseconds, repeating: true)
}

/// `clearTimeout(id)`: cancels a timer; an unknown or `nil` id is ignored, as in JavaScript.
public func clearTimeout(_ id: Int?) {
    guard let id else { return }
    IoContext.active.timers.clear(id)
}

/// `clearInterval(id)`: the same as ``clearTimeout(_:)``.
public func clearInterval(_ id: Int?) { clearTimeout(id) }

/// The timers of one ``IoContext``, on its clock.
package final class TimerTable: Sendable {
    /// Runs a due callback; returns once it has run (a virtual clock's `advance` waits for it).
    package typealias Deliver = @Sendable (_ callback: @escaping @Sendable () async -> Void) async -> Void

    private struct Entry {
        var work: ScheduledWork?
        let callback: @Sendable () async throws -> Void
        let interval: Duration?
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var nextID = 1
        var closed = false
    }

    private let state = Mutex(State())
    /// The context whose timers these are: callbacks run inside it (weak: it owns the table).
    private let owner = Mutex(WeakContext())
    private let clock: any EdgeClock
    private let deliver: Deliver
    private let onPendingChange: @Sendable (Bool) -> Void
    private let console: ConsoleSink
    private let label: @Sendable () -> String?

    package init(
        clock: any EdgeClock, deliver: @escaping Deliver, onPendingChange: @escaping @Sendable (Bool) -> Void,
        console: ConsoleSink, label: @escaping @Sendable () -> String?
    ) {
        self.clock = clock
        self.deliver = deliver
        self.onPendingChange = onPendingChange
        self.console = console
        self.label = label
    }

    /// Makes callbacks run inside `context` (called once, by the context that owns the table).
    func bind(to context: IoContext) {
        owner.withLock { $0.context = context }
    }

    /// How many timers are set.
    package var pendingCount: Int { state.withLock { $0.entries.count } }

    /// Sets a timer and returns its id (a closed table still returns one, and never runs it).
    package func set(_ callback: @escaping @Sendable () async throws -> Void, after milliseconds: Double, repeating: Bool) -> Int {
        // JavaScript turns NaN and negative delays into 0; a delay is at most 2^31-1 ms (HTML's
        // timer initialisation steps), which also keeps the Duration from overflowing. A repeating
        // timer waits at least 1 ms, so that an interval of 0 cannot spin a virtual clock's
        // `advance` forever.
        let clamped = milliseconds.isNaN ? 0 : min(max(milliseconds, 0), 2_147_483_647)
        let delay = Duration.milliseconds(Int64(max(clamped.rounded(.down), repeating ? 1 : 0)))
        let (id, first): (Int, Bool) = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            guard !state.closed else { return (id, false) }
            state.entries[id] = Entry(work: nil, callback: callback, interval: repeating ? delay : nil)
            return (id, state.entries.count == 1)
        }
        if first { onPendingChange(true) }
        arm(id, at: clock.now + delay)
        return id
    }

    /// Cancels a timer.
    package func clear(_ id: Int) {
        let (entry, last): (Entry?, Bool) = state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: id) else { return (nil, false) }
            return (entry, state.entries.isEmpty)
        }
        entry?.work?.cancel()
        if last { onPendingChange(false) }
    }

    /// Cancels every timer and refuses new ones: the instance or invocation has ended.
    package func close() {
        let entries: [Entry] = state.withLock { state in
            state.closed = true
            defer { state.entries = [:] }
            return Array(state.entries.values)
        }
        entries.forEach { $0.work?.cancel() }
        if !entries.isEmpty { onPendingChange(false) }
    }

    private func arm(_ id: Int, at deadline: Date) {
        let work = clock.schedule(at: deadline) { [weak self] in await self?.fire(id, deadline: deadline) }
        let stale = state.withLock { state -> Bool in
            guard state.entries[id] != nil else { return true }
            state.entries[id]?.work = work
            return false
        }
        if stale { work.cancel() }
    }

    private func fire(_ id: Int, deadline: Date) async {
        let (entry, last): (Entry?, Bool) = state.withLock { state in
            guard let entry = state.entries[id] else { return (nil, false) }
            if entry.interval == nil { state.entries[id] = nil }
            return (entry, state.entries.isEmpty)
        }
        guard let entry else { return }
        if let interval = entry.interval { arm(id, at: max(deadline + interval, clock.now)) }
        let (console, label) = (self.console, self.label)
        let kind = entry.interval == nil ? "setTimeout" : "setInterval"
        let context = owner.withLock { $0.context }
        await IoContext.$current.withValue(context) {
            await deliver {
                do {
                    try await entry.callback()
                } catch {
                    let text = "Uncaught (in \(kind)) \(error)"
                    console.write(.error, label().map { "\($0): \(text)" } ?? text)
                }
            }
        }
        if last { onPendingChange(false) }
    }
}

/// A weak reference to a context, so that a table does not keep its owner alive.
private struct WeakContext: @unchecked Sendable {
    weak var context: IoContext?
}
