import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Testing

@Suite("Emulator")
struct EmulatorTests {
    @Test("each request logs a line like wrangler's, after the ready line")
    func requestLogLine() async throws {
        let recorder = LogRecorder()
        let port = try await withEmulator(.live, logger: recorder.logger()) { client in
            _ = try await client.execute(.get, "/hello?x=1")
            _ = try await client.execute(.get, "/missing")
            _ = try await client.execute(.post, "/throw", text: "")
            return try #require(client.server).port
        }
        let lines = recorder.lines
        #expect(lines.contains("[edge:info] Ready on http://127.0.0.1:\(port)"))
        #expect(lines.contains("[edge:info] Applied migration 0001_init.sql to DB (testdb)"))
        let pattern = #/^\[edge:info\] (GET|POST) (/\S*) (\d{3}) ([A-Za-z ]+) \((\d+)ms\)$/#
        let requests = lines.compactMap { try? pattern.wholeMatch(in: $0) }.map { "\($0.1) \($0.2) \($0.3) \($0.4)" }
        // A line is written once the response is: the next request may log first.
        #expect(requests.sorted() == ["GET /hello 200 OK", "GET /missing 404 Not Found", "POST /throw 500 Internal Server Error"])
        #expect(lines.contains("[edge:error] Uncaught boom"))
        #expect(lines.contains("[edge:info] Shutting down"))
    }

    @Test("a port in use is a clear error naming the address")
    func portInUse() async throws {
        try await withEmulator(.live) { client in
            let port = try #require(client.server).port
            let fixture = try Fixture()
            defer { fixture.remove() }
            let second = try await Emulator(config: fixture.config, module: Fixture.module, options: fixture.options())
            let error = await #expect(throws: ServerError.self) { _ = try await second.start(host: "127.0.0.1", port: port) }
            #expect(error?.isAddressInUse == true)
            #expect(error?.description == "Address 127.0.0.1:\(port) is already in use: is another edge dev running? Pick another with --port.")
            await second.shutdown()
        }
    }

    @Test("the startup banner lists the bindings as wrangler does")
    func banner() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        var options = fixture.options()
        options.secrets = ["API_KEY": "s3cret"]
        let emulator = try await Emulator(config: fixture.config, module: Fixture.module, options: options)
        let lines = emulator.startupBanner(url: "http://127.0.0.1:8787")
        await emulator.shutdown()
        #expect(lines.first == "Your Worker has access to the following bindings:")
        #expect(lines.last == "Ready on http://127.0.0.1:8787")
        let rows = lines.dropFirst().dropLast().map { $0.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) } }
        #expect(rows == [
            ["Binding", "Resource", "Mode"],
            ["env.DB (testdb)", "D1 Database", "local"],
            ["env.COUNTER (Counter)", "Durable Object", "local"],
            ["env.GREETING (\"edge\")", "Environment Variable", "local"],
            ["env.API_KEY (\"(hidden)\")", "Environment Variable", "local"],
        ])
        #expect(!lines.joined().contains("s3cret"))
        let header = lines[1]
        let row = lines[2]
        #expect(header.range(of: "Resource")?.lowerBound.utf16Offset(in: header) == row.range(of: "D1 Database")?.lowerBound.utf16Offset(in: row))
    }

    @Test("the worker sees an absolute URL, Host, and CF-Connecting-IP from the peer", arguments: TestMode.allCases)
    func requestShape(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            let seen = try await client.execute(.get, "/request?x=1&y=%20", headers: ["cf-connecting-ip": "1.2.3.4"]).json(as: [String: String].self)
            #expect(seen["cfConnectingIP"] == "127.0.0.1", "a client cannot choose its CF-Connecting-IP")
            #expect(seen["method"] == "GET")
            if let port = client.server?.port {
                #expect(seen["url"] == "http://127.0.0.1:\(port)/request?x=1&y=%20")
                #expect(seen["host"] == "127.0.0.1:\(port)")
            } else {
                #expect(seen["url"] == "http://localhost/request?x=1&y=%20")
            }
        }
    }

    @Test("worker errors and invalid responses become 500s", arguments: TestMode.allCases)
    func errors(mode: TestMode) async throws {
        let recorder = LogRecorder()
        try await withEmulator(mode, logger: recorder.logger()) { client in
            let thrown = try await client.execute(.get, "/throw")
            #expect(thrown.status == .internalServerError)
            #expect(thrown.text == "boom")
            let invalid = try await client.execute(.get, "/invalid")
            #expect(invalid.status == .internalServerError)
            #expect(invalid.text.hasPrefix("RangeError: Responses may only be constructed with status codes in the range 200 to 599"))
        }
        #expect(recorder.lines.contains { $0.hasPrefix("[edge:error] Uncaught RangeError: Responses may only be constructed") })
    }

    @Test("a binding the worker needs and the config lacks stops start-up, naming it")
    func missingBinding() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let error = await #expect(throws: ServerError.self) {
            _ = try await Emulator(config: fixture.config, module: WorkerModule(NeedyWorker(), durableObjects: [Counter.self]), options: fixture.options())
        }
        #expect(error?.description.contains("\"MISSING\"") == true)
        #expect(error?.description.contains("wrangler-like.toml") == true)
    }

    @Test("migrations are applied at start and the databases are reachable", arguments: TestMode.allCases)
    func databases(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            #expect(try await client.execute(.get, "/db").text == "from migration")
            _ = try await client.d1("DB").prepare("UPDATE items SET value = 'changed' WHERE id = 1").run()
            #expect(try await client.execute(.get, "/db").text == "changed")
        }
    }

    @Test("each test run starts from an empty state directory", arguments: TestMode.allCases)
    func freshState(mode: TestMode) async throws {
        for _ in 0..<2 {
            try await withEmulator(mode) { client in
                let response = try await client.execute(.get, "/counter/fresh")
                #expect(response.text == "1")
                let path = client.d1("DB").path.path
                #expect(path.contains("edge-test-"))
            }
        }
    }

    @Test("the virtual clock drives Durable Object idle eviction")
    func virtualClock() async throws {
        try await withEmulator(.inProcess) { client in
            let first = try await client.execute(.get, "/counter/idle")
            #expect(first.text == "1")
            #expect(try client.inspect("COUNTER", .name("idle")).first?.state != .inactive)
            await client.advance(by: .seconds(120))
            #expect(try client.inspect("COUNTER", .name("idle")).first?.state == .inactive)
            #expect(try await client.execute(.get, "/counter/idle").text == "2")
            #expect(try client.inspect("COUNTER", .name("idle")).first?.constructions == 2)
        }
    }

    @Test("graceful shutdown lets a request in flight finish")
    func shutdownWaitsForRequests() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let emulator = try await Emulator(config: fixture.config, module: Fixture.module, options: fixture.options())
        let server = try await emulator.start(host: "127.0.0.1", port: 0)
        let client = TestClient(emulator: emulator, server: server)
        let (name, probe) = Probe.fresh()
        async let slow = client.execute(.get, "/slow?probe=\(name)")
        #expect(await probe.wait(timeout: .seconds(10)) { $0 == "started" } != nil)
        await emulator.shutdown()
        let response = try await slow
        #expect(response.text == "slow done")
        await #expect(throws: (any Error).self) { _ = try await client.execute(.get, "/hello") }
    }
}
