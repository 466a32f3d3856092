import EdgeDurableObjects
import Foundation
import Testing

@Suite("Alarms", .timeLimit(.minutes(1)))
struct AlarmTests {
    func setAlarm(_ harness: Harness, _ name: String, in seconds: Double) async throws {
        let time = harness.clock.now.addingTimeInterval(seconds)
        try await harness.runtime.runInDurableObject(harness.counter(name)) { _, state in try state.storage.setAlarm(time) }
    }

    func getAlarm(_ harness: Harness, _ name: String) async throws -> Date? {
        try await harness.runtime.runInDurableObject(harness.counter(name)) { _, state in try state.storage.getAlarm() }
    }

    @Test func alarmFiresOnTheClockAndIsThenCleared() async throws {
        try await Harness.run { harness throws in
            try await setAlarm(harness, "a", in: 30)
            #expect(try await getAlarm(harness, "a") == harness.clock.now.addingTimeInterval(30))
            #expect(try harness.info("COUNTER", "a").alarm == harness.clock.now.addingTimeInterval(30))
            await harness.clock.advance(by: .seconds(29))
            #expect(harness.recorder.entries(startingWith: "alarm").isEmpty)
            await harness.clock.advance(by: .seconds(1))
            #expect(harness.recorder.entries(startingWith: "alarm") == ["alarm 0 false a"])
            #expect(try await getAlarm(harness, "a") == nil)
            await harness.clock.advance(by: .seconds(3_600))
            #expect(harness.recorder.entries(startingWith: "alarm").count == 1)
        }
    }

    @Test func alarmConstructsAnObjectThatIsNotInMemory() async throws {
        try await Harness.run { harness throws in
            try await setAlarm(harness, "cold", in: 60)
            await harness.clock.advance(by: .seconds(10))
            #expect(try harness.info("COUNTER", "cold").state == .inactive)
            await harness.clock.advance(by: .seconds(50))
            #expect(harness.recorder.entries == ["construct cold", "construct cold", "alarm 0 false cold"])
            #expect(try harness.info("COUNTER", "cold").constructions == 2)
        }
    }

    @Test func failingAlarmRetriesWithBackoffThenGivesUpAfterSixRetries() async throws {
        try await Harness.run { harness throws in
            harness.recorder.failAlarms(100)
            try await setAlarm(harness, "flaky", in: 1)
            let start = harness.clock.now
            var runs: [(entry: String, at: Double)] = []
            for _ in 0..<200 {
                await harness.clock.advance(by: .seconds(1))
                let entries = harness.recorder.entries(startingWith: "alarm")
                if entries.count > runs.count {
                    runs.append((entries.last!, harness.clock.now.timeIntervalSince(start)))
                }
            }
            #expect(runs.map(\.entry) == [
                "alarm 0 false flaky", "alarm 1 true flaky", "alarm 2 true flaky", "alarm 3 true flaky",
                "alarm 4 true flaky", "alarm 5 true flaky", "alarm 6 true flaky",
            ])
            // Fired at 1 s, then 2, 4, 8, 16, 32 and 64 s after each failure.
            #expect(runs.map(\.at) == [1, 3, 7, 15, 31, 63, 127])
            #expect(try await getAlarm(harness, "flaky") == nil)
        }
    }

    @Test func getAlarmDuringRetryShowsTheOriginalTime() async throws {
        try await Harness.run { harness throws in
            harness.recorder.failAlarms(1)
            try await setAlarm(harness, "retry", in: 5)
            let scheduled = harness.clock.now.addingTimeInterval(5)
            await harness.clock.advance(by: .seconds(5))
            #expect(try await getAlarm(harness, "retry") == scheduled)
            await harness.clock.advance(by: .seconds(2))
            #expect(harness.recorder.entries(startingWith: "alarm") == ["alarm 0 false retry", "alarm 1 true retry"])
            #expect(try await getAlarm(harness, "retry") == nil)
        }
    }

    @Test func setAlarmReplacesDeleteAlarmCancelsAndPastTimesRunNext() async throws {
        try await Harness.run { harness throws in
            try await setAlarm(harness, "r", in: 10)
            try await setAlarm(harness, "r", in: 20)
            await harness.clock.advance(by: .seconds(15))
            #expect(harness.recorder.entries(startingWith: "alarm").isEmpty)
            try await harness.runtime.runInDurableObject(harness.counter("r")) { _, state in try state.storage.deleteAlarm() }
            await harness.clock.advance(by: .seconds(60))
            #expect(harness.recorder.entries(startingWith: "alarm").isEmpty)
            try await setAlarm(harness, "r", in: -1_000)
            #expect(try await getAlarm(harness, "r") == harness.clock.now)
            await harness.clock.advance(by: .zero)
            #expect(harness.recorder.entries(startingWith: "alarm") == ["alarm 0 false r"])
        }
    }

    @Test func setAlarmRefusesTimesAtOrBeforeTheEpoch() async throws {
        try await Harness.run { harness throws in
            for time in [Date(timeIntervalSince1970: 0), Date.distantPast] {
                await expectError("TypeError: setAlarm() cannot be called with an alarm time <= 0") {
                    try await harness.runtime.runInDurableObject(harness.counter("epoch")) { _, state in
                        try state.storage.setAlarm(time)
                    }
                }
            }
        }
    }

    @Test func aClassWithoutAnAlarmHandlerIsNotRetried() async throws {
        try await Harness.run { harness throws in
            let stub = harness.namespace("QUIET", Quiet.self).getByName("q")
            let time = harness.clock.now.addingTimeInterval(1)
            try await harness.runtime.runInDurableObject(stub) { _, state in try state.storage.setAlarm(time) }
            await harness.clock.advance(by: .seconds(1))
            #expect(try harness.info("QUIET", "q").alarm == nil)
            await harness.clock.advance(by: .seconds(600))
            #expect(try harness.info("QUIET", "q").constructions == 1)
        }
    }
}
