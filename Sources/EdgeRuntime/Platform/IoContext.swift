import Foundation

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
    /// The context of the running handler code, if any.
    @TaskLocal package static var current: IoContext?

    /// The context used outside any handler: the wall clock, timers that run in tasks of their own.
    package static let detached = IoContext(
        clock: SystemClock(), label: nil, deliver: { callback in await callback() }, console: ConsoleSink.standardError)

    /// The clock of `Date.now()` and the timers.
    package let clock: any EdgeClock
    /// `setTimeout` / `setInterval` of this context.
    package let timers: TimerTable
    /// Where `console.*` writes.
    package let console: ConsoleSink
    /// Who is running, as the log shows it (`GET /path`, `OrderHub demo (1a2b…)`).
    package let label: String?
    /// Where the global `fetch` sends each subrequest (one hop: redirects, checks and
    /// cancellation are `fetch`'s own); `nil` outside a host, where `fetch` throws.
    package let outbound: (any Fetcher)?
    /// Where `caches` keeps its entries; `nil` outside a host (the Cache API then stores nothing).
    package let caches: (any CacheBackend)?

    /// Creates a context. `deliver` runs a due timer's callback (a Durable Object delivers it as
    /// an event through its input gate); `onTimersPending` is told when the first timer is set and
    /// when the last one ends or is cleared.
    package init(
        clock: any EdgeClock, label: String?,
        deliver: @escaping TimerTable.Deliver,
        onTimersPending: @escaping @Sendable (Bool) -> Void = { _ in },
        console: ConsoleSink,
        caches: (any CacheBackend)? = nil,
        outbound: (any Fetcher)? = nil
    ) {
        self.clock = clock
        self.caches = caches
        self.outbound = outbound
        self.label = label
        self.console = console
        timers = TimerTable(clock: clock, deliver: deliver, onPendingChange: onTimersPending, console: console, label: label)
        timers.bind(to: self)
    }

    /// The current context, or ``detached`` outside any handler.
    package static var active: IoContext { current ?? detached }
}
