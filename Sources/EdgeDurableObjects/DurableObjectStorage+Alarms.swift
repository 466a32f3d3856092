import EdgeRuntime
import Foundation

extension DurableObjectStorage {
    /// `storage.setAlarm(time)`: the object's `alarm()` runs at `time` (a time in the past runs
    /// it as soon as possible), replacing any alarm set before. Milliseconds are kept.
    /// - Throws: workerd's `TypeError` for a time at or before the epoch; a `TypeError` for a time
    ///   no JavaScript Date can hold (NaN, infinite, past 8.64e15 ms).
    public func setAlarm(_ time: Date) throws {
        // JavaScript's Dates end at ±8.64e15 ms (ECMA-262, "Time Values and Time Range"): past
        // that, or NaN, there is no Date to set (and no millisecond count that fits storage).
        guard time.timeIntervalSince1970.isFinite, time.timeIntervalSince1970 <= 8.64e12 else {
            throw TypeError("Invalid alarm time: \(time.timeIntervalSince1970 * 1000) is not a valid Date.")
        }
        guard time.timeIntervalSince1970 > 0 else { throw DurableObjectError.alarmTimeNotPositive }
        try file.checkOpen()
        let milliseconds = (max(time, alarms.now).timeIntervalSince1970 * 1000).rounded()
        try alarms.set(id, Date(timeIntervalSince1970: milliseconds / 1000))
    }

    /// `storage.setAlarm(Date.now() + 60_000)`: the same, with the time in milliseconds since the
    /// epoch, as JavaScript passes it.
    public func setAlarm(_ scheduledTime: Double) throws {
        try setAlarm(Date(timeIntervalSince1970: scheduledTime / 1000))
    }

    /// `storage.getAlarm()`: the pending alarm, or `nil`. While `alarm()` runs, only an alarm it
    /// set itself; while a failed alarm waits for its retry, the time it was set for.
    public func getAlarm() throws -> Date? {
        try file.checkOpen()
        return alarms.get(id)
    }

    /// `storage.deleteAlarm()`. Inside `alarm()`, it also prevents the retry of a failure.
    public func deleteAlarm() throws {
        try file.checkOpen()
        try alarms.delete(id)
    }
}
