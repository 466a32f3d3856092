import Foundation

/// The clock the runtime runs on: `Date.now()` and the timers of `setTimeout` / `setInterval`,
/// and in the Durable Object host idle hibernation and eviction, alarms and their retries, and
/// the eviction timeout are all timers on it.
///
/// Production and `edge dev` use ``SystemClock``. Tests use ``VirtualClock``, which moves only
/// when told to and then runs every timer that came due, in order, before returning: lifecycle
/// tests never sleep on real time.
public protocol EdgeClock: Sendable {
    /// The current time.
    var now: Date { get }

    /// Suspends until `deadline` (throws `CancellationError` if the task is cancelled first).
    func sleep(until deadline: Date) async throws

    /// Runs `work` once `deadline` has come, unless cancelled first. Work that finds a cancelled
    /// timer already running must check for itself whether it is still wanted.
    func schedule(at deadline: Date, _ work: @escaping @Sendable () async -> Void) -> ScheduledWork
}

extension EdgeClock {
    /// A task that sleeps until `deadline`, then runs `work`.
    public func schedule(at deadline: Date, _ work: @escaping @Sendable () async -> Void) -> ScheduledWork {
        let task = Task {
            do { try await sleep(until: deadline) } catch { return }
            await work()
        }
        return ScheduledWork { task.cancel() }
    }
}

/// A timer set with ``EdgeClock/schedule(at:_:)``.
public struct ScheduledWork: Sendable {
    private let cancelAction: @Sendable () -> Void

    /// Wraps the action that cancels the timer.
    public init(cancel: @escaping @Sendable () -> Void) {
        cancelAction = cancel
    }

    /// Cancels the timer; its work does not start (if it has not already).
    public func cancel() { cancelAction() }
}

/// The wall clock.
public struct SystemClock: EdgeClock {
    /// Creates the clock.
    public init() {}

    /// `Date()`.
    public var now: Date { Date() }

    /// Sleeps for the time left until `deadline`.
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return }
        try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up))))
    }
}

extension Duration {
    /// The duration in seconds, as `Date` arithmetic takes it.
    package var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }

    /// The duration as the lifecycle log writes it: `10s`, `1.5s`, `250ms`.
    package var logText: String {
        let seconds = timeInterval
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return String(format: "%.1fs", seconds)
    }
}

extension Date {
    package static func + (date: Date, duration: Duration) -> Date {
        date.addingTimeInterval(duration.timeInterval)
    }

    /// The duration from `earlier` to this date.
    package func duration(since earlier: Date) -> Duration {
        .milliseconds(Int64((timeIntervalSince(earlier) * 1000).rounded()))
    }
}
