import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import NIOCore
import Testing

@Suite("WebSockets")
struct WebSocketTests {
    static let upgradeHeaders: Headers = [
        "upgrade": "websocket",
        "connection": "Upgrade",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    ]

    @Test("messages echo both ways and the worker's close 4001 reaches the client", arguments: TestMode.allCases)
    func echoAndServerClose(mode: TestMode) async throws {
        let (name, probe) = Probe.fresh()
        try await withEmulator(mode) { client in
            let ws = try await client.webSocket("/ws?probe=\(name)")
            try await ws.send("hello")
            #expect(try await ws.receive() == .text("hello"))
            try await ws.send([1, 2, 3])
            #expect(try await ws.receive() == .binary([1, 2, 3]))
            try await ws.send("close-me")
            #expect(try await ws.closed() == TestWebSocket.Close(code: 4001, reason: "bye"))
            #expect(await probe.wait { $0.hasPrefix("close ") } == "close 4001 bye true")
        }
    }

    @Test("a client close reaches the worker with its code and reason", arguments: TestMode.allCases)
    func clientClose(mode: TestMode) async throws {
        let (name, probe) = Probe.fresh()
        try await withEmulator(mode) { client in
            let ws = try await client.webSocket("/ws?probe=\(name)")
            try await ws.send("ping?")
            #expect(try await ws.receiveText() == "ping?")
            let answer = try await ws.close(code: 4000, reason: "client done")
            #expect(answer == TestWebSocket.Close(code: 4000, reason: "client done"))
            #expect(await probe.wait { $0.hasPrefix("close ") } == "close 4000 client done true")
        }
    }

    @Test("a message the worker sends before returning the 101 arrives first", arguments: TestMode.allCases)
    func greetingBeforeTheUpgrade(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            for index in 0..<100 {
                let ws = try await client.webSocket("/ws?greet=hi-\(index)")
                #expect(try await ws.receiveText() == "hi-\(index)")
                ws.abort()
            }
        }
    }

    @Test("a dropped connection reaches the worker as 1006, not clean", arguments: TestMode.allCases)
    func droppedConnection(mode: TestMode) async throws {
        let (name, probe) = Probe.fresh()
        try await withEmulator(mode) { client in
            let ws = try await client.webSocket("/ws?probe=\(name)")
            try await ws.send("x")
            _ = try await ws.receive()
            ws.abort()
            let close = await probe.wait { $0.hasPrefix("close ") }
            #expect(close?.hasPrefix("close 1006 ") == true)
            #expect(close?.hasSuffix(" false") == true)
        }
    }

    @Test("the worker's headers go on the 101 (Sec-WebSocket-Protocol)", arguments: TestMode.allCases)
    func subprotocol(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            let ws = try await client.webSocket("/ws", protocols: ["chat", "superchat"])
            #expect(ws.headers.get("sec-websocket-protocol") == "chat")
            try await ws.close()
        }
    }

    @Test("a refused upgrade returns the worker's own response", arguments: TestMode.allCases)
    func refusedUpgrade(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            let response = try await client.execute(.get, "/ws-refuse", headers: Self.upgradeHeaders)
            #expect(response.status.code == 426)
            #expect(response.headers.get("content-type") == "application/json")
            #expect(response.text == #"{"error":"upgrade required"}"#)

            let error = await #expect(throws: TestClientError.self) { _ = try await client.webSocket("/ws-refuse") }
            #expect(error?.refusedResponse?.status.code == 426)
        }
    }

    @Test("an upgrade request with a bad handshake still reaches the worker")
    func invalidHandshake() async throws {
        try await withEmulator(.live) { client in
            var headers = Self.upgradeHeaders
            headers.delete("sec-websocket-key")
            let refused = try await client.execute(.get, "/ws-refuse", headers: headers)
            #expect(refused.status.code == 426)
            let accepted = try await client.execute(.get, "/ws", headers: headers)
            #expect(accepted.status == .badRequest)
            #expect(accepted.text.hasPrefix("Bad WebSocket handshake"))
        }
    }

    @Test("fragmented messages are reassembled")
    func fragments() async throws {
        try await withEmulator(.live) { client in
            let ws = try await client.webSocket("/ws")
            try await ws.sendFragmented(["hel", "lo ", "world"])
            #expect(try await ws.receive() == .text("hello world"))
            try await ws.close()
        }
    }

    @Test("protocol errors close with 1002, bad UTF-8 with 1007")
    func protocolErrors() async throws {
        try await withEmulator(.live) { client in
            let stray = try await client.webSocket("/ws")
            try await stray.sendFrame(.continuation, ByteBuffer(string: "orphan"))
            #expect(try await stray.closed().code == 1002)

            let garbled = try await client.webSocket("/ws")
            try await garbled.sendFrame(.text, ByteBuffer(bytes: [0x66, 0xC3, 0x28]))
            #expect(try await garbled.closed().code == 1007)
        }
    }

    @Test("a message over 32 MiB closes the connection with 1009")
    func messageTooLarge() async throws {
        let (name, probe) = Probe.fresh()
        try await withEmulator(.live) { client in
            let ws = try await client.webSocket("/ws?probe=\(name)")
            // Unmasked, so the client does not spend seconds masking 32 MiB in a debug build; the
            // server refuses the frame by its header alone.
            try await ws.sendFrame(.binary, ByteBuffer(repeating: 7, count: 32 * 1024 * 1024 + 1), masked: false)
            #expect(try await ws.closed() == TestWebSocket.Close(code: 1009, reason: "Message is too large"))
            #expect(await probe.wait { $0.hasPrefix("close ") } == "close 1009 Message is too large true")
        }
    }

    @Test("shutdown closes a live WebSocket with 1001 Going Away")
    func shutdownClosesWebSockets() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let (name, probe) = Probe.fresh()
        let emulator = try await Emulator(config: fixture.config, module: Fixture.module, options: fixture.options())
        let server = try await emulator.start(host: "127.0.0.1", port: 0)
        let client = TestClient(emulator: emulator, server: server)
        let ws = try await client.webSocket("/ws?probe=\(name)")
        try await ws.send("still here")
        _ = try await ws.receive()
        let started = ContinuousClock.now
        await emulator.shutdown()
        #expect(try await ws.closed() == TestWebSocket.Close(code: 1001, reason: "Going Away"))
        #expect(await probe.wait { $0.hasPrefix("close ") } == "close 1001 Going Away true")
        #expect(ContinuousClock.now - started < .seconds(5), "shutdown waited for the grace period")
    }
}
