import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Testing

@Suite("WebSocket hibernation", .timeLimit(.minutes(1)))
struct WebSocketHibernationTests {
    @Test func aMessageWakesTheHibernatedObjectWithItsAttachment() async throws {
        try await Harness.run { harness throws in
            let stub = harness.sockets("wake")
            let client = try #require(try await stub.fetch(Request("https://do/connect?user=ann&tag=kds")).webSocket)
            var events = client.events.makeAsyncIterator()
            try client.send("one")
            #expect(await events.next() == .message(.text("echo one to ann")))
            // The echo arrives while the message event is still ending; it arms the idle timer
            // only when it has ended.
            await harness.runtime.settled()
            await harness.clock.advance(by: .seconds(10))
            #expect(try harness.info("SOCKETS", "wake").state == .hibernated)
            #expect(try harness.info("SOCKETS", "wake").constructions == 1)
            try client.send("two")
            #expect(await events.next() == .message(.text("echo two to ann")))
            #expect(try harness.info("SOCKETS", "wake").constructions == 2)
            #expect(harness.recorder.entries.filter { $0.hasPrefix("message") || $0.hasPrefix("construct") }
                == ["construct wake", "message one", "construct wake", "message two"])
        }
    }

    @Test func autoResponseIsAnsweredWithoutWakingTheObject() async throws {
        try await Harness.run { harness throws in
            let stub = harness.sockets("auto")
            let client = try #require(try await stub.fetch(Request("https://do/connect")).webSocket)
            var events = client.events.makeAsyncIterator()
            await harness.clock.advance(by: .seconds(10))
            try client.send("ping")
            #expect(await events.next() == .message(.text("pong")))
            #expect(try harness.info("SOCKETS", "auto").state == .hibernated)
            #expect(try harness.info("SOCKETS", "auto").constructions == 1)
            let (sockets, stamp) = try await harness.runtime.runInDurableObject(stub) { _, state in
                let socket = state.getWebSockets()[0]
                return (state.getWebSockets().count, state.getWebSocketAutoResponseTimestamp(socket))
            }
            #expect(sockets == 1)
            #expect(stamp == harness.clock.now)
        }
    }

    @Test func closeReachesWebSocketCloseAndTheSocketLeaves() async throws {
        try await Harness.run { harness throws in
            let stub = harness.sockets("closing")
            let client = try #require(try await stub.fetch(Request("https://do/connect")).webSocket)
            await harness.clock.advance(by: .seconds(10))
            client.close(code: 4000, reason: "done")
            try await eventually("webSocketClose ran") { harness.recorder.entries.contains("close 4000 done true") }
            await harness.runtime.settled()
            #expect(try harness.info("SOCKETS", "closing").hibernatableSockets == 0)
            #expect(try harness.info("SOCKETS", "closing").constructions == 2)
        }
    }

    @Test func tagsAndGetWebSockets() async throws {
        try await Harness.run { harness throws in
            let stub = harness.sockets("tags")
            let kitchen = try #require(try await stub.fetch(Request("https://do/connect?tag=kds&tag=kds&tag=a")).webSocket)
            let other = try #require(try await stub.fetch(Request("https://do/connect?tag=b")).webSocket)
            var kitchenEvents = kitchen.events.makeAsyncIterator()
            var otherEvents = other.events.makeAsyncIterator()
            #expect(try await stub.call { try await $0.broadcast("to kds", tag: "kds") } == 1)
            #expect(try await stub.call { try await $0.broadcast("to all", tag: nil) } == 2)
            #expect(await kitchenEvents.next() == .message(.text("to kds")))
            #expect(await kitchenEvents.next() == .message(.text("to all")))
            #expect(await otherEvents.next() == .message(.text("to all")))
            let tags = try await harness.runtime.runInDurableObject(stub) { _, state in
                try state.getWebSockets().map { try state.getTags($0) }
            }
            #expect(tags == [["kds", "a"], ["b"]])
            await expectError("Error: you must call 'acceptWebSocket()' before attempting to access the tags of a WebSocket.") {
                _ = try await harness.runtime.runInDurableObject(stub) { _, state in try state.getTags(WebSocketPair().server) }
            }
            await expectError("Error: only hibernatable websockets can have tags.") {
                _ = try await harness.runtime.runInDurableObject(stub) { _, state in
                    let (_, server) = WebSocketPair()
                    server.accept()
                    return try state.getTags(server)
                }
            }
        }
    }

    @Test func getWebSocketsFollowsSocketsJoiningAndLeaving() async throws {
        try await Harness.run { harness throws in
            let stub = harness.sockets("lists")
            let first = try #require(try await stub.fetch(Request("https://do/connect?tag=kds")).webSocket)
            let second = try #require(try await stub.fetch(Request("https://do/connect?tag=b")).webSocket)
            #expect(try await stub.call { try await $0.broadcast("one", tag: "kds") } == 1)
            #expect(try await stub.call { try await $0.broadcast("one", tag: nil) } == 2)
            // Asked again after each change: a list kept from before must not be answered.
            let third = try #require(try await stub.fetch(Request("https://do/connect?tag=kds")).webSocket)
            #expect(try await stub.call { try await $0.broadcast("two", tag: "kds") } == 2)
            #expect(try await stub.call { try await $0.broadcast("two", tag: nil) } == 3)
            first.close(code: 4000, reason: "bye")
            try await eventually("the first socket left") { try harness.info("SOCKETS", "lists").hibernatableSockets == 2 }
            #expect(try await stub.call { try await $0.broadcast("three", tag: "kds") } == 1)
            let order = try await harness.runtime.runInDurableObject(stub) { _, state in
                try state.getWebSockets().map { try state.getTags($0) }
            }
            #expect(order == [["b"], ["kds"]], "oldest first")
            _ = (second, third)
        }
    }

    @Test func aStaleInstanceCannotReachTheSockets() async throws {
        try await Harness.run { harness throws in
            let stub = harness.sockets("stale")
            _ = try await stub.fetch(Request("https://do/connect?tag=kds"))
            let old = try await harness.runtime.runInDurableObject(stub) { _, state in state }
            #expect(old.getWebSockets(tag: "kds").count == 1)
            _ = try await harness.runtime.evict(binding: "SOCKETS", target: .name("stale"), webSockets: .hibernate)
            #expect(old.getWebSockets(tag: "kds").isEmpty)
            let current = try await harness.runtime.runInDurableObject(stub) { _, state in state.getWebSockets(tag: "kds").count }
            #expect(current == 1)
        }
    }

    @Test func misuseFailsTheEventWithWorkerdsText() async throws {
        try await Harness.run { harness throws in
            let stub = harness.sockets("misuse")
            await expectError("Error: Cannot call `acceptWebSocket()` if the WebSocket was already accepted via `accept()`") {
                _ = try await stub.fetch(Request("https://do/accept-twice"))
            }
            await expectError("Error: a Hibernatable WebSocket cannot have more than 10 tags") {
                _ = try await stub.fetch(Request("https://do/too-many-tags"))
            }
            await expectError("Error: \"\(String(repeating: "t", count: 257))\" is longer than the max tag length (256 characters).") {
                try await harness.runtime.runInDurableObject(stub) { _, state in
                    state.acceptWebSocket(WebSocketPair().server, tags: [String(repeating: "t", count: 257)])
                }
            }
            await expectError("RangeError: Request cannot be larger than 2048 bytes. A request of size 2049 was provided.") {
                try await harness.runtime.runInDurableObject(stub) { _, state in
                    state.setWebSocketAutoResponse(
                        WebSocketRequestResponsePair(request: String(repeating: "q", count: 2049), response: "r"))
                }
            }
            await expectError("RangeError: Response cannot be larger than 2048 bytes. A response of size 3000 was provided.") {
                try await harness.runtime.runInDurableObject(stub) { _, state in
                    state.setWebSocketAutoResponse(
                        WebSocketRequestResponsePair(request: "q", response: String(repeating: "r", count: 3000)))
                }
            }
            let pair = try await harness.runtime.runInDurableObject(stub) { _, state in state.getWebSocketAutoResponse() }
            #expect(pair == WebSocketRequestResponsePair(request: "ping", response: "pong"))
        }
    }
}
