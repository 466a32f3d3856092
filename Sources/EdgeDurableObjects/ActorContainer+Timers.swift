import EdgeCache
import EdgeRuntime
import Foundation
import Logging

// An instance's `Date.now()`, `setTimeout` / `setInterval` and `console`: its `IoContext`.
//
// As in production, a timer set by a Durable Object
// - runs its callback as an event of the instance that set it, through the input gate (so a
//   callback never interleaves with another event except where either awaits);
// - keeps the instance in memory while it is pending (it counts as `waitUntil` work for the
//   lifecycle: an object with a pending timer neither hibernates nor is evicted when idle);
// - ends with the instance: eviction, reset and shutdown close its timers, and a callback of a
//   stale instance never runs.

extension ActorContainer {
    /// The context of a new instance of `generation`.
    func makeIoContext(generation: Int) -> IoContext {
        let logger = self.logger
        let services = IoContext.Services(
            clock: clock,
            console: .logging(to: logger),
            // `caches` of an object: the state directory's (`<state>/do/<worker>-<Class>` is its class's).
            caches: CacheFiles(stateRoot: context.directory.deletingLastPathComponent().deletingLastPathComponent()),
            outbound: context.host.outbound,
            faults: context.host.faults)
        var interruption: (@Sendable (FaultPlan.Roll) -> Void)?
        if context.host.faults != nil {
            interruption = { [weak self] roll in self?.interrupt(roll, generation: generation) }
        }
        return IoContext(
            services, label: label,
            deliver: { [weak self] callback in await self?.deliverTimer(generation: generation, callback) },
            onTimersPending: { [weak self] pending in self?.timersPending(pending, generation: generation) },
            interruption: interruption)
    }

    /// Runs a due timer's callback as an event of the instance of `generation`, if it is still
    /// the live one.
    private func deliverTimer(generation: Int, _ callback: @escaping @Sendable () async -> Void) async {
        guard state.withLock({ $0.instance?.generation == generation }) else { return }
        _ = try? await dispatch { instance in
            guard instance.generation == generation else { return }
            await callback()
        }
    }

    /// The first timer of an instance was set (`true`) or its last one ended (`false`).
    private func timersPending(_ pending: Bool, generation: Int) {
        let now = clock.now
        state.withLock { state in
            guard state.generation == generation, state.instance != nil else { return }
            apply(pending ? state.lifecycle.began(.waitUntil, at: now) : state.lifecycle.ended(.waitUntil, at: now), to: &state)
        }
    }
}

extension ConsoleSink {
    /// `console.*` through a host's logger: `log` and `info` at info, `warn` at warning.
    package static func logging(to logger: Logger) -> ConsoleSink {
        ConsoleSink { level, text in
            switch level {
            case .debug: logger.debug("\(text)")
            case .log, .info: logger.info("\(text)")
            case .warn: logger.warning("\(text)")
            case .error: logger.error("\(text)")
            }
        }
    }
}
