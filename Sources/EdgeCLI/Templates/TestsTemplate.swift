extension InitProject {
    /// The package's tests, on `Emulator.test`: in-process and over a real socket, a forced
    /// eviction in the middle of a conversation, the alarm on the virtual clock.
    var testsSource: String {
        #"""
        import EdgeConfig
        import EdgeDurableObjects
        import EdgeRuntime
        import EdgeServer
        import EdgeTesting
        import Foundation
        import Testing
        import \#(moduleName)

        /// Runs `body` against the worker on a fresh emulator of the package's wrangler-like.toml
        /// (migrations applied, state in a temporary directory that is removed afterwards).
        ///
        /// The worker and its Durable Objects run on a virtual clock that moves only with
        /// `client.advance(by:)`: `Date.now()`, timers and alarms all read it.
        func withWorker<T>(_ mode: TestMode, _ body: (TestClient) async throws -> T) async throws -> T {
            let config = try WranglerConfig.load(from: packageRoot.appendingPathComponent("wrangler-like.toml")).config
            return try await Emulator.test(mode, config: config, module: \#(workerType).module, body)
        }

        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

        @Suite struct \#(workerType)Tests {
            @Test(arguments: TestMode.allCases)
            func servesThePageAndCountsVisitsInD1(mode: TestMode) async throws {
                try await withWorker(mode) { client in
                    let page = try await client.execute(.get, "/")
                    #expect(page.status == .ok)
                    #expect(page.text.contains("<title>\#(name)</title>"))
                    for expected in 1...2 {
                        let visit = try await client.execute(.post, "/api/visits", text: "")
                        #expect(try visit.json(as: [String: Int].self) == ["visits": expected])
                    }
                }
            }

            @Test(arguments: TestMode.allCases)
            func socketsOutliveAForcedEvictionAndTheHistoryStays(mode: TestMode) async throws {
                try await withWorker(mode) { client in
                    let alice = try await client.webSocket("/api/rooms/lobby/ws")
                    let bob = try await client.webSocket("/api/rooms/lobby/ws")
                    try await alice.send("before")
                    #expect(try await alice.receiveText() == "before")
                    #expect(try await bob.receiveText() == "before")

                    // Drops the instance and its memory; the hibernatable sockets stay open.
                    try await client.evict("ROOM", .name("lobby"))
                    #expect(try client.inspect("ROOM", .name("lobby")).first?.state == .hibernated)

                    try await bob.send("after")
                    #expect(try await alice.receiveText() == "after")
                    #expect(try await bob.receiveText() == "after")
                    #expect(try client.inspect("ROOM", .name("lobby")).first?.constructions == 2)

                    let carol = try await client.webSocket("/api/rooms/lobby/ws")
                    #expect(try await carol.receiveText() == "before")
                    #expect(try await carol.receiveText() == "after")
                    let history = try await client.execute(.get, "/api/rooms/lobby/messages")
                    #expect(try history.json(as: [String].self) == ["before", "after"])
                }
            }

            @Test func theAlarmKeepsTheNewestMessages() async throws {
                try await withWorker(.inProcess) { client in
                    let sent = Room.historyLimit + 5
                    for number in 1...sent {
                        _ = try await client.execute(.post, "/api/rooms/busy/messages", text: "message \(number)")
                    }
                    await client.advance(by: .seconds(Room.trimDelay / 2))
                    #expect(try await client.execute(.get, "/api/rooms/busy/messages").json(as: [String].self).count == sent)

                    await client.advance(by: .seconds(Room.trimDelay))
                    let kept = try await client.execute(.get, "/api/rooms/busy/messages").json(as: [String].self)
                    #expect(kept.count == Room.historyLimit)
                    #expect(kept.first == "message 6")
                    #expect(kept.last == "message \(sent)")
                }
            }
        }

        """#
    }
}
