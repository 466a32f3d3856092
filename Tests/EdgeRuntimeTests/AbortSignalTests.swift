@testable import EdgeRuntime
import Foundation
import Testing

/// `AbortSignal.timeout(ms)` is a `setTimeout` of the running code (workerd, basics.c++): on the
/// host's clock inside a handler, on the wall clock outside one.
@Suite struct AbortSignalTests {
    static func context(_ clock: VirtualClock) -> IoContext {
        IoContext(IoContext.Services(clock: clock, console: ConsoleSink { _, _ in }), label: "GET /", deliver: { callback in await callback() })
    }

    @Test func aTimeoutInsideAHandlerRunsOnItsClockAndEndsWithIt() async throws {
        let clock = VirtualClock()
        let io = Self.context(clock)
        let signal = IoContext.$current.withValue(io) { AbortSignal.timeout(milliseconds: 60_000) }
        await clock.advance(by: .seconds(59))
        #expect(signal.aborted == false)
        await clock.advance(by: .seconds(1))
        let reason = try #require(signal.reason as? DOMException)
        #expect(reason.name == "TimeoutError" && reason.message == "The operation was aborted due to timeout")
        // A timeout still pending when its invocation ends never fires, as workerd's timers end
        // with their IoContext.
        let late = IoContext.$current.withValue(io) { AbortSignal.timeout(milliseconds: 10) }
        io.closeTimers()
        await clock.advance(by: .seconds(1))
        #expect(late.aborted == false)
    }

    @Test func outsideAHandlerATimeoutRunsOnTheWallClock() async throws {
        let signal = AbortSignal.timeout(milliseconds: 1)
        for _ in 0..<1_000 where !signal.aborted { try await Task.sleep(for: .milliseconds(10)) }
        #expect((signal.reason as? DOMException)?.name == "TimeoutError")
        let controller = AbortController()
        controller.abort()
        #expect((controller.signal.reason as? DOMException)?.message == "The operation was aborted")
        #expect(throws: DOMException.self) { try controller.signal.throwIfAborted() }
    }
}
