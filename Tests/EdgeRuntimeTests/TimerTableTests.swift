@testable import EdgeRuntime
import Foundation
import Synchronization
import Testing

/// Timers outside any host: an `IoContext` on a virtual clock, as the hosts build one.
@Suite struct TimerTableTests {
    final class Log: Sendable {
        let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    static func context(_ clock: VirtualClock, pending: Log, console: Log) -> IoContext {
        IoContext(
            IoContext.Services(clock: clock, console: ConsoleSink { level, text in console.add("\(level.rawValue) \(text)") }),
            label: "GET /",
            deliver: { callback in await callback() },
            onTimersPending: { pending.add($0 ? "busy" : "idle") })
    }

    @Test func timeoutsRunInDeadlineOrderAndClearedOnesNever() async {
        let clock = VirtualClock()
        let (pending, output, fired) = (Log(), Log(), Log())
        let io = Self.context(clock, pending: pending, console: output)
        IoContext.$current.withValue(io) {
            setTimeout({ fired.add("b") }, 200)
            setTimeout({ fired.add("a") }, 100)
            let cleared = setTimeout({ fired.add("never") }, 150)
            clearTimeout(cleared)
            clearTimeout(nil)
            clearTimeout(9_999)
            setTimeout({ fired.add("negative is zero") }, -5)
            setTimeout({ fired.add("NaN is zero") }, .nan)
        }
        await clock.advance(by: .milliseconds(300))
        #expect(fired.all == ["negative is zero", "NaN is zero", "a", "b"])
        #expect(pending.all == ["busy", "idle"])
        #expect(io.timers.pendingCount == 0)
    }

    @Test func aThrowingCallbackIsLoggedAsUncaught() async {
        struct Boom: Error, CustomStringConvertible { var description: String { "Error: boom" } }
        let clock = VirtualClock()
        let output = Log()
        let io = Self.context(clock, pending: Log(), console: output)
        IoContext.$current.withValue(io) { setTimeout({ throw Boom() }, 10) }
        await clock.advance(by: .milliseconds(10))
        #expect(output.all == ["error GET /: Uncaught (in setTimeout) Error: boom"])
    }

    @Test func closingEndsEveryTimerAndRefusesNewOnes() async {
        let clock = VirtualClock()
        let (pending, fired) = (Log(), Log())
        let io = Self.context(clock, pending: pending, console: Log())
        IoContext.$current.withValue(io) { setInterval({ fired.add("tick") }, 10) }
        await clock.advance(by: .milliseconds(25))
        io.closeTimers()
        IoContext.$current.withValue(io) { setTimeout({ fired.add("late") }, 1) }
        await clock.advance(by: .milliseconds(100))
        #expect(fired.all == ["tick", "tick"])
        #expect(pending.all == ["busy", "idle"])
        #expect(clock.pendingTimers == 0)
    }

    @Test func consoleAndDateNowUseTheContextAndFallBackToTheWallClock() async {
        let clock = VirtualClock()
        let output = Log()
        let io = Self.context(clock, pending: Log(), console: output)
        let now = IoContext.$current.withValue(io) { () -> Double in
            console.log("hello", 42, ["a": 1])
            console.error("bad")
            return Date.now()
        }
        #expect(now == clock.now.timeIntervalSince1970 * 1000)
        #expect(output.all == ["log GET /: hello 42 [\"a\": 1]", "error GET /: bad"])
        let wall = Date.now()
        #expect(abs(wall - Date().timeIntervalSince1970 * 1000) < 60_000)
    }
}
