import EdgeRuntime
import Foundation

/// Times in the contract: ISO 8601, UTC, with milliseconds (`2026-11-29T03:10:00.123Z`), as
/// JavaScript's `date.toISOString()` writes them (the runtime's `Date.toISOString()`).
enum Timestamp {
    static func string(from date: Date) -> String { date.toISOString() }

    static func now() -> String { Date().toISOString() }
}
