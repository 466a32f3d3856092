import EdgeRuntime
import Foundation
import Logging
import Synchronization

// Alarms of one class, after workerd's `src/workerd/server/alarm-scheduler.c++`.
//
// Each object has at most one alarm. It is persisted in `metadata.sqlite` when set, loaded when
// the runtime starts, and fired by a timer on the host's clock, which constructs the object if
// it is not in memory. While the handler runs, `getAlarm()` shows only an alarm the handler set
// (which then runs next, instead of any retry). When the handler throws, the alarm is retried
// after `2 << backoff` seconds (2, 4, 8, 16, 32, 64 s; workerd's RETRY_START_SECONDS = 2,
// without its random jitter so virtual-clock runs are repeatable), meanwhile `getAlarm()` still
// shows the original time. After RETRY_MAX_TRIES = 6 retries (7 runs) it gives up and the alarm
// is deleted. A run cut short by a reset or eviction is retried without counting against the
// limit, as workerd does for internal errors. Delivery is at least once.

/// The alarms of one Durable Object class.
final class AlarmScheduler: Sendable {
    /// How an alarm run ended.
    enum Outcome: Sendable, Equatable {
        case succeeded
        case failed(countsAgainstLimit: Bool)
        /// The class has no `alarm()`: logged, not retried.
        case noHandler
    }

    /// Runs the alarm of an object (through its input gate).
    typealias Runner = @Sendable (DurableObjectId, AlarmInfo) async -> Outcome

    static let retryStartSeconds = 2
    static let maxRetries = 6
    static let maxBackoff = 9

    private struct Entry {
        var id: DurableObjectId
        var scheduledTime: Date
        var token: Int
        var running = false
        var queued: Date?
        var deletedWhileRunning = false
        var countedRetries = 0
        var backoff = 0
        var timer: ScheduledWork?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var nextToken = 0
        var runner: Runner?
    }

    private let state = Mutex(State())
    private let metadata: MetadataStore
    private let clock: any EdgeClock
    private let logger: Logger
    private let className: String
    private let faults: FaultPlan?

    init(metadata: MetadataStore, clock: any EdgeClock, logger: Logger, className: String, faults: FaultPlan? = nil) {
        self.metadata = metadata
        self.clock = clock
        self.logger = logger
        self.className = className
        self.faults = faults
    }

    /// Loads the stored alarms and starts firing them through `runner`. Only the first call acts.
    func start(runner: @escaping Runner) throws {
        let stored = try metadata.alarms()
        state.withLock { state in
            guard state.runner == nil else { return }
            state.runner = runner
            for (id, time) in stored where state.entries[id.hex] == nil {
                state.entries[id.hex] = Entry(id: id, scheduledTime: time, token: Self.takeToken(&state))
            }
            for hex in state.entries.keys { schedule(hex, in: &state) }
        }
    }

    /// Stops every timer (shutdown).
    func stop() {
        let timers = state.withLock { state in
            defer { state.runner = nil }
            return state.entries.values.compactMap(\.timer)
        }
        timers.forEach { $0.cancel() }
    }

    // MARK: The storage API

    /// The clock's time (an alarm set in the past runs now).
    var now: Date { clock.now }

    /// `getAlarm()`.
    func get(_ id: DurableObjectId) -> Date? {
        state.withLock { state in
            guard let entry = state.entries[id.hex] else { return nil }
            return entry.running ? entry.queued : entry.scheduledTime
        }
    }

    /// `setAlarm(time)`: replaces the alarm (or queues it behind a running one). The stored copy
    /// is written holding the lock, so it always matches the timers.
    func set(_ id: DurableObjectId, _ time: Date) throws {
        let old: ScheduledWork? = try state.withLock { state in
            try metadata.setAlarm(id, time)
            if var entry = state.entries[id.hex], entry.running {
                entry.queued = time
                entry.deletedWhileRunning = false
                state.entries[id.hex] = entry
                return nil
            }
            let old = state.entries[id.hex]?.timer
            state.entries[id.hex] = Entry(id: id, scheduledTime: time, token: Self.takeToken(&state))
            schedule(id.hex, in: &state)
            return old
        }
        old?.cancel()
    }

    /// `deleteAlarm()`: a running handler is not interrupted, but is not retried either.
    func delete(_ id: DurableObjectId) throws {
        let old: ScheduledWork? = try state.withLock { state in
            guard var entry = state.entries[id.hex] else { return nil }
            try metadata.setAlarm(id, nil)
            if entry.running {
                entry.queued = nil
                entry.deletedWhileRunning = true
                state.entries[id.hex] = entry
                return nil
            }
            state.entries[id.hex] = nil
            return entry.timer
        }
        old?.cancel()
    }

    /// Puts the alarm back as it was before a rolled-back transaction.
    func restore(_ id: DurableObjectId, to time: Date?) {
        guard get(id) != time else { return }
        do {
            if let time { try set(id, time) } else { try delete(id) }
        } catch {
            logger.error("\(id.label(className: className)): could not restore the alarm after a rollback: \(error)")
        }
    }

    // MARK: Firing

    private static func takeToken(_ state: inout State) -> Int {
        defer { state.nextToken += 1 }
        return state.nextToken
    }

    /// Sets the timer of the entry `hex` (when started).
    private func schedule(_ hex: String, at time: Date? = nil, in state: inout State) {
        guard state.runner != nil, var entry = state.entries[hex] else { return }
        let token = entry.token
        entry.timer = clock.schedule(at: time ?? entry.scheduledTime) { [weak self] in
            await self?.fire(hex, token: token)
        }
        state.entries[hex] = entry
    }

    private func fire(_ hex: String, token: Int) async {
        let start: (DurableObjectId, AlarmInfo, Runner)? = state.withLock { state in
            guard var entry = state.entries[hex], entry.token == token, !entry.running, let runner = state.runner
            else { return nil }
            entry.running = true
            entry.timer = nil
            state.entries[hex] = entry
            return (entry.id, AlarmInfo(retryCount: entry.countedRetries), runner)
        }
        guard let (id, info, runner) = start else { return }
        let attempt = info.retryCount == 0 ? "" : " (retry \(info.retryCount))"
        logger.info("\(id.label(className: className)): alarm\(attempt)")
        let outcome = if let faults, let failed = injectedFailure(faults, id) { failed } else { await runner(id, info) }
        finish(hex, token: token, outcome: outcome)
    }

    private func finish(_ hex: String, token: Int, outcome: Outcome) {
        let now = clock.now
        let result: (id: DurableObjectId, message: String)? = state.withLock { state in
            guard var entry = state.entries[hex], entry.token == token else { return nil }
            entry.running = false
            if let queued = entry.queued {
                state.entries[hex] = Entry(id: entry.id, scheduledTime: queued, token: Self.takeToken(&state))
                schedule(hex, in: &state)
                return nil
            }
            if entry.deletedWhileRunning {
                state.entries[hex] = nil
                return nil
            }
            guard case .failed(let counts) = outcome else {
                state.entries[hex] = nil
                clearStored(entry.id)
                return nil
            }
            if entry.countedRetries >= Self.maxRetries {
                state.entries[hex] = nil
                clearStored(entry.id)
                return (entry.id, "alarm failed \(entry.countedRetries + 1) times; giving up")
            }
            if counts { entry.countedRetries += 1 }
            let delay = Self.retryStartSeconds << min(entry.backoff, Self.maxBackoff)
            entry.backoff += 1
            state.entries[hex] = entry
            schedule(hex, at: now + .seconds(delay), in: &state)
            return (entry.id, "alarm failed; retry \(entry.countedRetries) in \(delay)s")
        }
        guard let result else { return }
        logger.warning("\(result.id.label(className: className)): \(result.message)")
    }

    /// An injected `alarm` fault: the run fails before the handler, as an internal error of
    /// production fails it (workerd retries those without counting them against the limit).
    private func injectedFailure(_ faults: FaultPlan, _ id: DurableObjectId) -> Outcome? {
        guard let roll = faults.fires(.alarm, at: .alarm) else { return nil }
        faults.record(roll, "\(id.label(className: className)): alarm failed before its handler ran")
        logger.warning("\(id.label(className: className)): alarm failed (injected fault)")
        return .failed(countsAgainstLimit: false)
    }

    /// Removes the stored alarm of an object whose alarm is done (called holding the state lock,
    /// so a `setAlarm` cannot slip in between).
    private func clearStored(_ id: DurableObjectId) {
        do {
            try metadata.setAlarm(id, nil)
        } catch {
            logger.error("\(id.label(className: className)): could not clear the alarm: \(error)")
        }
    }
}
