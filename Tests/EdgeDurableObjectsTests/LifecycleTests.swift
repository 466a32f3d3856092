import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Testing

@Suite("Idle lifecycle on the virtual clock", .timeLimit(.minutes(1)))
struct LifecycleTests {
    @Test func idleObjectIsEvictedAfterTenSecondsAndReconstructed() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("idle")
            #expect(try await stub.call { await $0.bump() } == 1)
            #expect(try harness.info("COUNTER", "idle").state == .idle)
            await harness.clock.advance(by: .seconds(9))
            #expect(try await stub.call { await $0.bump() } == 2)
            await harness.clock.advance(by: .seconds(9.9))
            #expect(try harness.info("COUNTER", "idle").state == .idle)
            await harness.clock.advance(by: .milliseconds(100))
            #expect(try harness.info("COUNTER", "idle").state == .inactive)
            #expect(try harness.info("COUNTER", "idle").constructions == 1)
            #expect(try await stub.call { await $0.bump() } == 1)
            #expect(try harness.info("COUNTER", "idle").constructions == 2)
            #expect(harness.recorder.entries(startingWith: "construct") == ["construct idle", "construct idle"])
        }
    }

    @Test func delaysAreConfigurable() async throws {
        try await Harness.run(lifecycle: LifecycleSettings(hibernateAfter: .seconds(2))) { harness throws in
            _ = try await harness.counter("quick").call { await $0.bump() }
            await harness.clock.advance(by: .seconds(2))
            #expect(try harness.info("COUNTER", "quick").state == .inactive)
        }
        try await Harness.run(lifecycle: LifecycleSettings(preventEviction: true)) { harness throws in
            _ = try await harness.counter("pinned").call { await $0.bump() }
            await harness.clock.advance(by: .seconds(86_400))
            #expect(try harness.info("COUNTER", "pinned").state == .idle)
        }
    }

    @Test func anInFlightRequestKeepsTheObjectActive() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("busy")
            let latch = Latch()
            let call = Task { try await stub.call { await $0.hold("long", until: latch) } }
            try await eventually("the call runs") { harness.recorder.entries.contains("long start") }
            await harness.clock.advance(by: .seconds(600))
            #expect(try harness.info("COUNTER", "busy").state == .active)
            #expect(try harness.info("COUNTER", "busy").inFlight == 1)
            latch.open()
            try await call.value
            #expect(try harness.info("COUNTER", "busy").state == .idle)
            await harness.clock.advance(by: .seconds(10))
            #expect(try harness.info("COUNTER", "busy").state == .inactive)
        }
    }

    @Test func waitUntilKeepsTheObjectActiveUntilItSettles() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("background")
            let latch = Latch()
            try await stub.call { counter in
                counter.state.waitUntil {
                    await latch.wait()
                    counter.recorder.record("background done")
                }
            }
            await harness.clock.advance(by: .seconds(600))
            #expect(try harness.info("COUNTER", "background").state == .active)
            latch.open()
            await harness.runtime.settled()
            #expect(harness.recorder.entries.contains("background done"))
            #expect(try harness.info("COUNTER", "background").state == .idle)
            await harness.clock.advance(by: .seconds(10))
            #expect(try harness.info("COUNTER", "background").state == .inactive)
        }
    }

    @Test func anOpenStreamingResponseKeepsTheObjectActive() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("stream")
            let response = try await stub.fetch(Request("https://do/stream"))
            await harness.clock.advance(by: .seconds(600))
            #expect(try harness.info("COUNTER", "stream").state == .active)
            try await stub.call { try await $0.finishStream("all of it") }
            #expect(try await response.text() == "all of it")
            #expect(try harness.info("COUNTER", "stream").state == .idle)
            await harness.clock.advance(by: .seconds(10))
            #expect(try harness.info("COUNTER", "stream").state == .inactive)
        }
    }

    @Test func aPlainWebSocketKeepsTheObjectUntilEvictAfterThenDropsIt() async throws {
        try await Harness.run { harness throws in
            let stub = harness.sockets("plain")
            let response = try await stub.fetch(Request("https://do/plain"))
            let client = try #require(response.webSocket)
            var events = client.events.makeAsyncIterator()
            try client.send("hi")
            #expect(await events.next() == .message(.text("plain echo hi")))
            await harness.clock.advance(by: .seconds(60))
            #expect(try harness.info("SOCKETS", "plain").state == .idle)
            #expect(try harness.info("SOCKETS", "plain").sockets == 1)
            await harness.clock.advance(by: .seconds(10))
            #expect(try harness.info("SOCKETS", "plain").state == .inactive)
            #expect(await events.next() == .close(code: 1006, reason: "WebSocket disconnected without sending Close frame.", wasClean: false))
        }
    }

    @Test func closingThePlainWebSocketLetsTheObjectGoAfterTenSeconds() async throws {
        try await Harness.run { harness throws in
            let stub = harness.sockets("plain-close")
            let client = try #require(try await stub.fetch(Request("https://do/plain")).webSocket)
            await harness.clock.advance(by: .seconds(30))
            client.close(code: 1000, reason: "bye")
            #expect(try harness.info("SOCKETS", "plain-close").sockets == 0)
            await harness.clock.advance(by: .seconds(9))
            #expect(try harness.info("SOCKETS", "plain-close").state == .idle)
            await harness.clock.advance(by: .seconds(1))
            #expect(try harness.info("SOCKETS", "plain-close").state == .inactive)
        }
    }

    @Test func hibernatableSocketsDoNotKeepTheObjectInMemory() async throws {
        try await Harness.run { harness throws in
            let stub = harness.sockets("room")
            let client = try #require(try await stub.fetch(Request("https://do/connect?user=ann")).webSocket)
            await harness.clock.advance(by: .seconds(10))
            let info = try harness.info("SOCKETS", "room")
            #expect(info.state == .hibernated)
            #expect(info.hibernatableSockets == 1)
            #expect(client.readyState == .open)
        }
    }
}
