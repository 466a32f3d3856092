import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Testing

/// Outbound WebSockets over real sockets: a worker under test (live) opens
/// `fetch(url, { headers: { Upgrade: "websocket" } })` to a peer Edge serving WebSockets on
/// 127.0.0.1, and the returned `response.webSocket` behaves as the server-side end a handler knows.
@Suite("Outbound WebSockets, over real sockets")
struct OutboundWebSocketTests {
    /// Runs `body` with a live peer (its `ws` URL for `id`) and a live worker under test whose
    /// subrequests go to the network.
    func withPeer<T>(_ body: (TestClient, _ peer: String, LogRecorder) async throws -> T) async throws -> T {
        let (peerConfig, peerDirectory) = try OutboundFetchTests.config("name = \"peer\"\ncompatibility_date = \"2026-10-01\"\n", name: "peer")
        let (config, directory) = try OutboundFetchTests.config("name = \"sockets\"\ncompatibility_date = \"2026-10-01\"\n", name: "sockets")
        defer {
            try? FileManager.default.removeItem(at: peerDirectory)
            try? FileManager.default.removeItem(at: directory)
        }
        let peer = try await Emulator(
            config: peerConfig, module: WorkerModule(SocketPeerWorker(), durableObjects: []),
            options: .init(stateRoot: peerDirectory.appendingPathComponent("state"), logger: LogRecorder().logger()))
        let server = try await peer.start(host: "127.0.0.1", port: 0)
        let recorder = LogRecorder()
        do {
            let module = WorkerModule(OutboundSocketWorker(), durableObjects: [])
            let value = try await Emulator.test(.live, config: config, module: module, logger: recorder.logger(), outbound: .network) {
                client in try await body(client, server.url, recorder)
            }
            await peer.shutdown(gracePeriod: .seconds(1))
            return value
        } catch {
            await peer.shutdown(gracePeriod: .seconds(1))
            throw error
        }
    }

    /// The worker's transcript of a script against `<peer>/ws?id=<id>`.
    func script(_ client: TestClient, _ peer: String, id: String, _ parameters: String) async throws -> [String] {
        let url = OutboundFetchTests.query("\(peer)/ws?id=\(id)")
        let response = try await client.execute(.get, "/socket?url=\(url)&\(parameters)")
        return response.text.split(separator: "\n").map(String.init)
    }

    /// Waits until the peer has recorded a close for `id` (a condition, not a time bound).
    func peerClose(_ id: String) async throws -> String? {
        for _ in 0..<1_000 {
            if let line = SocketPeerWorker.closes.lines.first(where: { $0.hasPrefix("\(id) ") }) { return line }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test func messagesFlowBothWaysAndTheWorkersCloseCodeReachesThePeer() async throws {
        try await withPeer { client, peer, recorder in
            let id = UUID().uuidString
            let lines = try await script(client, peer, id: id, "send=\(OutboundFetchTests.query("hi|b:bytes"))&expect=3&close=\(OutboundFetchTests.query("4000:done"))")
            #expect(lines == [
                "101 protocol=chat",
                // workerd, src/workerd/api/web-socket.c++ (send before accept).
                "before accept: You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.",
                // The greeting the peer sent right behind its 101 was kept for the worker.
                "text: welcome",
                "text: echo hi",
                "binary: setyb",
                "close: 4000 done wasClean=true",
                "readyState=closed",
            ])
            #expect(try await peerClose(id) == "\(id) 4000 done wasClean=true")
            let port = URL(string: peer)!.port!
            #expect(recorder.lines.contains { $0.hasPrefix("[edge:info] outbound GET http://127.0.0.1:\(port)/ws 101 Switching Protocols (") })
        }
    }

    @Test func thePeersCloseCodeAndReasonReachTheWorker() async throws {
        try await withPeer { client, peer, _ in
            let id = UUID().uuidString
            let lines = try await script(client, peer, id: id, "send=\(OutboundFetchTests.query("close:4002:bye now"))&expect=1")
            #expect(Array(lines.dropFirst(2)) == ["text: welcome", "close: 4002 bye now wasClean=true", "readyState=closed"])
            // The worker's end answered the Close frame with the same code, as workerd's auto-reply does.
            #expect(try await peerClose(id) == "\(id) 4002 bye now wasClean=true")
        }
    }

    @Test func aPeerThatGoesAwayIsA1006() async throws {
        try await withPeer { client, peer, _ in
            let lines = try await script(client, peer, id: UUID().uuidString, "send=drop&expect=1")
            // workerd, src/workerd/api/web-socket.c++ (a DISCONNECTED read loop).
            #expect(Array(lines.dropFirst(2)) == [
                "text: welcome", "close: 1006 WebSocket disconnected without sending Close frame. wasClean=false", "readyState=closed",
            ])
        }
    }

    @Test func aRefusedUpgradeIsAnOrdinaryResponseAndAFailedConnectionIsLost() async throws {
        try await withPeer { client, peer, _ in
            let refused = try await client.execute(.get, "/socket?url=\(OutboundFetchTests.query("\(peer)/refuse"))")
            #expect(refused.text == "403 no socket: no sockets here")
            let lost = try await client.execute(.get, "/socket?url=\(OutboundFetchTests.query("http://127.0.0.1:1/ws"))")
            #expect(lost.status == .badGateway)
            #expect(lost.text == "Error: Network connection lost.")
        }
    }
}
