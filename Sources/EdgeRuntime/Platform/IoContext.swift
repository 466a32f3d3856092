import Foundation
import Synchronization

/// What the runtime knows about the code running now: workerd's `IoContext`.
///
/// The host (the server for a worker's `fetch` and `scheduled`, the Durable Object host for each
/// event of an instance) runs handler code inside a context, kept in a task-local so that the
/// JavaScript globals a port calls (`Date.now()`, `setTimeout`, `setInterval`, `console.log`)
/// find their clock, their timers and their logger without being handed them. Tasks a handler
/// starts with `Task { }` inherit it; `Task.detached` does not.
///
/// | host                      | clock                       | timers end                               | console prefix     |
/// |---------------------------|-----------------------------|------------------------------------------|--------------------|
/// | a worker's `fetch`        | the emulator's              | when the response and `waitUntil` end    | `GET /path`        |
/// | a Durable Object instance | the emulator's              | when the instance is evicted or reset    | `OrderHub demo (1a2b…)` |
/// | none (a test, a CLI)      | the wall clock              | never                                    | none               |
///
/// In a Durable Object each timer callback is an event of the instance, delivered through its
/// input gate, and a pending timer keeps the instance in memory, as in production.
package final class IoContext: Sendable {
    /// What every context of one host shares: built once per host, not per invocation.
    package struct Services: Sendable {
        /// The clock of `Date.now()` and the timers.
        package let clock: any EdgeClock
        /// Where `console.*` writes.
        package let console: ConsoleSink
        /// Where `caches` keeps its entries; `nil` outside a host (the Cache API then stores nothing).
        package let caches: (any CacheBackend)?
        /// Where the global `fetch` sends each subrequest (one hop: redirects, checks and
        /// cancellation are `fetch`'s own); `nil` outside a host, where `fetch` throws.
        package let outbound: (any Fetcher)?
        /// The host's fault plan (`Faults/`), if faults are injected; `nil` costs nothing.
        package let faults: FaultPlan?

        package init(
            clock: any EdgeClock, console: ConsoleSink, caches: (any CacheBackend)? = nil, outbound: (any Fetcher)? = nil,
            faults: FaultPlan? = nil
        ) {
            self.clock = clock
            self.console = console
            self.caches = caches
            self.outbound = outbound
            self.faults = faults
        }
    }

    /// The context of the running handler code, if any.
    @TaskLocal package static var current: IoContext?

    /// The context used outside any handler: the wall clock, timers that run in tasks of their own.
    package static let detached = IoContext(
        Services(clock: SystemClock(), console: ConsoleSink.standardError), label: nil, deliver: { callback in await callback() })

    /// The host's shared parts.
    package let services: Services
    /// The clock of `Date.now()` and the timers.
    package var clock: any EdgeClock { services.clock }
    /// Where `console.*` writes.
    package var console: ConsoleSink { services.console }
    /// Where `caches` keeps its entries.
    package var caches: (any CacheBackend)? { services.caches }
    /// Where the global `fetch` sends each subrequest.
    package var outbound: (any Fetcher)? { services.outbound }

    /// Where a fault injected at an await of this context's code lands: the Durable Object host
    /// evicts or resets the instance (`Faults/FaultPlan+Points.swift`); `nil` for a worker invocation.
    package let interruption: (@Sendable (FaultPlan.Roll) -> Void)?

    private let makeLabel: @Sendable () -> String?
    private let deliver: TimerTable.Deliver
    private let onTimersPending: @Sendable (Bool) -> Void
    /// Made by the first `setTimeout` / `setInterval`: most invocations set none, and a request
    /// pays for no table it does not use.
    private let timerTable = Mutex<(table: TimerTable?, closed: Bool)>((nil, false))

    /// Creates a context. `label` is computed when a `console` call or a failing timer first
    /// needs it; `deliver` runs a due timer's callback (a Durable Object delivers it as an event
    /// through its input gate); `onTimersPending` is told when the first timer is set and when the
    /// last one ends or is cleared.
    package init(
        _ services: Services, label: @escaping @Sendable () -> String?,
        deliver: @escaping TimerTable.Deliver,
        onTimersPending: @escaping @Sendable (Bool) -> Void = { _ in },
        interruption: (@Sendable (FaultPlan.Roll) -> Void)? = nil
    ) {
        self.services = services
        self.interruption = interruption
        self.makeLabel = label
        self.deliver = deliver
        self.onTimersPending = onTimersPending
    }

    /// A context whose label is fixed.
    package convenience init(
        _ services: Services, label: String?, deliver: @escaping TimerTable.Deliver,
        onTimersPending: @escaping @Sendable (Bool) -> Void = { _ in },
        interruption: (@Sendable (FaultPlan.Roll) -> Void)? = nil
    ) {
        self.init(services, label: { label }, deliver: deliver, onTimersPending: onTimersPending, interruption: interruption)
    }

    /// Who is running, as the log shows it (`GET /path`, `OrderHub demo (1a2b…)`).
    package var label: String? { makeLabel() }

    /// `setTimeout` / `setInterval` of this context (made on first use).
    package var timers: TimerTable {
        let (table, new, closed) = timerTable.withLock { state -> (TimerTable, Bool, Bool) in
            if let table = state.table { return (table, false, state.closed) }
            let made = TimerTable(
                clock: services.clock, deliver: deliver, onPendingChange: onTimersPending, console: services.console,
                label: makeLabel)
            state.table = made
            return (made, true, state.closed)
        }
        if new {
            table.bind(to: self)
            // A context that has ended makes a table that never runs a timer.
            if closed { table.close() }
        }
        return table
    }

    /// Closes the timers, and any set later: the invocation or instance has ended.
    package func closeTimers() {
        timerTable.withLock { state -> TimerTable? in
            state.closed = true
            return state.table
        }?.close()
    }

    /// The current context, or ``detached`` outside any handler.
    package static var active: IoContext { current ?? detached }
}
