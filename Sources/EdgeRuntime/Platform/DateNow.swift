import Foundation

extension Date {
    /// `Date.now()`: milliseconds since the Unix epoch, a whole number, read from the emulator's
    /// clock (so a test on a `VirtualClock` moves it). Foundation's `Date.now` (no parentheses)
    /// stays the wall clock.
    public static func now() -> Double {
        (IoContext.active.clock.now.timeIntervalSince1970 * 1000).rounded(.down)
    }
}
