import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Testing

@Suite("Input gate and one instance per id", .timeLimit(.minutes(1)))
struct InputGateTests {
    @Test func oneInstanceUnderAThousandConcurrentRequests() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("busy")
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<1_000 {
                    group.addTask {
                        let response = try await stub.fetch(Request("https://do/increment", method: .post, text: ""))
                        return Int(try await response.text())!
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.sorted() == Array(1...1_000))
            #expect(try await stub.call { try await $0.count() } == 1_000)
            #expect(try harness.info("COUNTER", "busy").constructions == 1)
            #expect(harness.recorder.entries(startingWith: "construct").count == 1)
        }
    }

    @Test func eventsQueuedBehindBlockConcurrencyWhileRunAfterItInOrder() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("gate")
            let latch = Latch()
            let holder = Task { try await stub.call { try await $0.holdExclusively("A", until: latch) } }
            try await eventually("A holds the gate") { harness.recorder.entries.contains("A start") }
            var followers: [Task<Void, any Error>] = []
            for (index, name) in ["B", "C", "D", "E"].enumerated() {
                followers.append(Task { try await stub.call { await $0.log(name) } })
                try await eventually("\(name) is queued") { try harness.info("COUNTER", "gate").queued == index + 1 }
            }
            #expect(harness.recorder.entries.filter { $0.count == 1 }.isEmpty)
            latch.open()
            try await holder.value
            for follower in followers { try await follower.value }
            #expect(harness.recorder.entries.filter { $0 != "construct gate" } == ["A start", "A end", "B", "C", "D", "E"])
        }
    }

    @Test func eventsInterleaveAtAwaitsOutsideTheGate() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("interleave")
            let latch = Latch()
            let slow = Task { try await stub.call { await $0.hold("slow", until: latch) } }
            try await eventually("the slow call is waiting") { harness.recorder.entries.contains("slow start") }
            try await stub.call { await $0.log("fast") }
            latch.open()
            try await slow.value
            #expect(harness.recorder.entries.filter { $0 != "construct interleave" } == ["slow start", "fast", "slow end"])
        }
    }

    @Test func storageIsAtomicBetweenAwaits() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("atomic")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        try await stub.call { counter in
                            await Task.yield()
                            _ = try await counter.increment()
                            await Task.yield()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await stub.call { try await $0.count() } == 200)
        }
    }

    @Test func constructorBlockConcurrencyWhileHoldsTheFirstEvent() async throws {
        try await Harness.run { harness throws in
            let stub = harness.namespace("LOADER", Loader.self).getByName("boot")
            let first = Task { try await stub.call { await $0.read("first read") } }
            try await eventually("the constructor is loading") { harness.recorder.entries.contains("load start") }
            let second = Task { try await stub.call { await $0.read("second read") } }
            try await eventually("the second call is queued") { try harness.info("LOADER", "boot").queued == 1 }
            #expect(!harness.recorder.entries.contains("first read"))
            harness.recorder.loadLatch.open()
            #expect(try await first.value)
            #expect(try await second.value)
            #expect(harness.recorder.entries == ["load start", "load end", "first read", "second read"])
        }
    }

    @Test func aThrowInsideBlockConcurrencyWhileResetsTheObject() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("broken")
            #expect(try await stub.call { await $0.bump() } == 1)
            let error = await expectError("Error: gate broke") {
                try await stub.call { counter in
                    try await counter.state.blockConcurrencyWhile { throw TestFailure("gate broke") }
                }
            }
            let failure = try #require(error as? DurableObjectError)
            #expect(failure.remote)
            #expect(failure.durableObjectReset)
            #expect(try await stub.call { await $0.bump() } == 1)
            #expect(try harness.info("COUNTER", "broken").constructions == 2)
        }
    }

    @Test func blockConcurrencyWhileNestsUpTo64Levels() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("nested")
            #expect(try await stub.call { try await Self.nest($0.state, levels: 64) } == 64)
            await expectError("Error: blockConcurrencyWhile() calls are nested too deeply.") {
                _ = try await stub.call { try await Self.nest($0.state, levels: 65) }
            }
        }
    }

    static func nest(_ state: DurableObjectState, levels: Int) async throws -> Int {
        guard levels > 0 else { return 0 }
        return try await state.blockConcurrencyWhile { try await nest(state, levels: levels - 1) + 1 }
    }

    @Test func handlerErrorsCrossTheStubAsRemoteErrors() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("errors")
            let error = await expectError("Error: fetch failed") {
                _ = try await stub.fetch(Request("https://do/throw"))
            }
            let failure = try #require(error as? DurableObjectError)
            #expect(failure.remote)
            #expect(!failure.durableObjectReset)
            #expect(failure.underlying is TestFailure)
            await expectError("Error: nope") { _ = try await stub.call { _ in throw TestFailure("nope") } }
            #expect(try harness.info("COUNTER", "errors").constructions == 1)
            await expectError("TypeError: Handler does not export a fetch() function.") {
                _ = try await harness.namespace("QUIET", Quiet.self).getByName("q").fetch(Request("https://do/"))
            }
        }
    }

    @Test func runInDurableObjectRethrowsTheOriginalError() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("run-in")
            let value = try await harness.runtime.runInDurableObject(stub) { counter, state in
                #expect(state.id == stub.id)
                return try await counter.increment()
            }
            #expect(value == 1)
            await #expect(throws: TestFailure.self) {
                try await harness.runtime.runInDurableObject(stub) { _, _ in throw TestFailure("raw") }
            }
        }
    }
}
