import Foundation

/// Times in the contract: ISO 8601, UTC, with milliseconds (`2026-11-29T03:10:00.123Z`).
enum Timestamp {
    static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    static func now() -> String { string(from: Date()) }
}
