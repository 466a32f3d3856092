import EdgeDurableObjects
import EdgeRuntime
import EdgeTesting
import Foundation
import Testing

/// `Date.now()`, `setTimeout` and `setInterval` inside a Durable Object: the emulator's clock,
/// callbacks as events of the instance, pending timers as pending work, and eviction ending them.
@Suite("Timers in Durable Objects on the virtual clock", .timeLimit(.minutes(1)))
struct TimerTests {
    @Test func dateNowAndATimeoutRunOnTheEmulatorsClock() async throws {
        try await Harness.run { harness throws in
            let recorder = harness.recorder
            let start = harness.clock.now.timeIntervalSince1970 * 1000
            let seen = try await harness.counter("clock").call { _ in
                setTimeout({ recorder.record("fired at \(Date.now())") }, 1_500)
                return Date.now()
            }
            #expect(seen == start)
            await harness.clock.advance(by: .milliseconds(1_499))
            #expect(recorder.entries(startingWith: "fired").isEmpty)
            await harness.clock.advance(by: .milliseconds(1))
            #expect(recorder.entries(startingWith: "fired") == ["fired at \(start + 1_500)"])
        }
    }

    @Test func aCallbackIsAnEventOfTheInstance() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("event")
            try await stub.call { counter in
                setTimeout({ [counter] in await counter.log("bump \(await counter.bump())") }, 1_000)
            }
            #expect(try await stub.call { await $0.bump() } == 1)
            await harness.clock.advance(by: .seconds(1))
            #expect(harness.recorder.entries(startingWith: "bump") == ["bump 2"])
            #expect(try harness.info("COUNTER", "event").constructions == 1)
        }
    }

    @Test func aPendingTimerKeepsTheObjectInMemoryUntilItHasRun() async throws {
        try await Harness.run { harness throws in
            let recorder = harness.recorder
            try await harness.counter("pending").call { _ in
                setTimeout({ recorder.record("fired") }, 60_000)
            }
            await harness.clock.advance(by: .seconds(59))
            #expect(try harness.info("COUNTER", "pending").state == .active)
            await harness.clock.advance(by: .seconds(1))
            #expect(recorder.entries(startingWith: "fired") == ["fired"])
            #expect(try harness.info("COUNTER", "pending").state == .idle)
            await harness.clock.advance(by: .seconds(10))
            #expect(try harness.info("COUNTER", "pending").state == .inactive)
        }
    }

    @Test func intervalsRepeatUntilClearedAndEndWithTheInstance() async throws {
        try await Harness.run { harness throws in
            let recorder = harness.recorder
            let stub = harness.counter("interval")
            let id = try await stub.call { _ in setInterval({ recorder.record("tick") }, 1_000) }
            await harness.clock.advance(by: .seconds(3))
            #expect(recorder.entries(startingWith: "tick").count == 3)
            try await stub.call { _ in clearInterval(id) }
            await harness.clock.advance(by: .seconds(3))
            #expect(recorder.entries(startingWith: "tick").count == 3)

            _ = try await stub.call { _ in setInterval({ recorder.record("tock") }, 1_000) }
            await harness.clock.advance(by: .seconds(2))
            _ = try await harness.runtime.evict(binding: "COUNTER", target: .name("interval"))
            await harness.clock.advance(by: .seconds(5))
            #expect(recorder.entries(startingWith: "tock").count == 2)
            #expect(try harness.info("COUNTER", "interval").state == .inactive)
        }
    }

    @Test func setAlarmTakesEpochMillisecondsAsJavaScriptDoes() async throws {
        try await Harness.run { harness throws in
            let at = try await harness.counter("alarm").call { counter in
                try await counter.setAlarmIn(milliseconds: 5_000)
            }
            #expect(at == harness.clock.now.addingTimeInterval(5))
        }
    }
}

extension Counter {
    /// `ctx.storage.setAlarm(Date.now() + ms)`, then `getAlarm()`.
    func setAlarmIn(milliseconds: Double) throws -> Date? {
        try state.storage.setAlarm(Date.now() + milliseconds)
        return try state.storage.getAlarm()
    }
}

@Suite("The lifecycle log", .timeLimit(.minutes(1)))
struct LifecycleLogTests {
    @Test func alarmRunsAndRetriesAreLoggedBesideConstructionsAndEvictions() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-do-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let log = LogRecorder()
        let clock = VirtualClock()
        let recorder = Recorder()
        let runtime = try DurableObjectRuntime(
            workerName: "test", stateRoot: root, classes: Harness.classes, bindings: Harness.bindings,
            sqliteClasses: ["Counter", "SocketHub", "Loader", "Quiet"], clock: clock, lifecycle: LifecycleSettings(),
            logger: log.logger())
        var resources = runtime.namespaces()
        resources["RECORDER"] = recorder
        runtime.attach(bindings: Bindings(resources: resources))
        let stub = (runtime.namespaces()["COUNTER"] as! DurableObjectNamespace<Counter>).getByName("logged")
        recorder.failAlarms(1)
        _ = try await stub.call { try await $0.setAlarmIn(milliseconds: 1_000) }
        await clock.advance(by: .seconds(1))
        await clock.advance(by: .seconds(2))
        await clock.advance(by: .seconds(10))
        await runtime.shutdown()
        let lines = log.lines.filter { $0.contains("Counter logged (") }
        let runs = lines.filter { $0.hasSuffix(": alarm") || $0.hasSuffix(": alarm (retry 1)") }
        #expect(runs.count == 2, "\(lines)")
        #expect(runs.first?.hasSuffix(": alarm") == true, "\(lines)")
        #expect(runs.last?.hasSuffix(": alarm (retry 1)") == true, "\(lines)")
        #expect(lines.contains { $0.hasSuffix("alarm failed; retry 1 in 2s") }, "\(lines)")
        #expect(lines.contains { $0.contains("constructed (first time)") }, "\(lines)")
        #expect(lines.contains { $0.contains("hibernated after") || $0.contains("evicted after") }, "\(lines)")
    }
}

@Suite("Alarm times from handler code")
struct AlarmTimeTests {
    @Test func aTimeNoJavaScriptDateCanHoldIsATypeErrorNotATrap() async throws {
        try await Harness.run { harness throws in
            for bad in [Double.infinity, -.infinity, .nan, 9e15] {
                await #expect(throws: TypeError.self, "\(bad)") {
                    try await harness.runtime.runInDurableObject(harness.counter("bad")) { _, state in
                        try state.storage.setAlarm(bad)
                    }
                }
            }
            let later = try await harness.runtime.runInDurableObject(harness.counter("bad")) { _, state in
                try state.storage.setAlarm(Date.now() + 1_000)
                return try state.storage.getAlarm()
            }
            #expect(later == harness.clock.now.addingTimeInterval(1))
        }
    }
}
