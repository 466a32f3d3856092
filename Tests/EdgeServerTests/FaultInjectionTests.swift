import EdgeConfig
import EdgeD1
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Logging
import Testing

/// Each fault kind reached through `Emulator.test(faults:)`, with production's texts and flags;
/// schedules by count (`.at`), so every test injects exactly the faults it names.
@Suite struct FaultInjectionTests {
    let config: WranglerConfig

    init() throws {
        config = try FaultWorker.config()
    }

    func run(_ plan: FaultPlan, mode: TestMode = .inProcess, outbound: OutboundService = .failing, _ body: (TestClient) async throws -> Void) async throws {
        try await Emulator.test(mode, config: config, module: FaultWorker.module, logger: LogRecorder().logger(), outbound: outbound, faults: plan, body)
    }

    func count(_ client: TestClient) async throws -> Int {
        Int(try await client.d1("DB").prepare("SELECT count(*) AS n FROM items").first("n")?.int64Value ?? -1)
    }

    /// What the Ledger keeps under `key` (read with the plan stopped).
    func record(_ client: TestClient, _ key: String) async throws -> String? {
        client.faults?.stop()
        let namespace: DurableObjectNamespace<Ledger> = try client.emulator.bindings.get("LEDGER")
        return try await client.emulator.durableObjects.runInDurableObject(namespace.getByName("main")) { ledger, _ in
            try await ledger.record(key)
        }
    }

    @Test func d1ErrorBeforeTheCommitWritesNothing() async throws {
        let plan = FaultPlan(seed: 1, [.d1BeforeCommit: .at([1]), .slowIO: .at([1])])
        try await run(plan) { (client: TestClient) async throws in
            let failed = try await client.execute(.post, "/write?id=1")
            #expect(failed.status == .internalServerError)
            #expect(D1Database.transientBeforeCommit.map { "D1_ERROR: \($0)" }.contains(failed.text), "\(failed.text)")
            #expect(try await count(client) == 0)
            #expect(try await client.execute(.post, "/write?id=1").text == "ok")
            #expect(try await count(client) == 1)
            #expect(plan.injected == [.d1BeforeCommit: 1, .slowIO: 1])
            #expect(plan.history.map(\.point) == [.d1Query, .d1Query])
        }
    }

    @Test func d1ErrorAfterTheCommitKeepsTheWrite() async throws {
        let plan = FaultPlan(seed: 1, [.d1AfterCommit: .at([1])])
        try await run(plan) { (client: TestClient) async throws in
            let failed = try await client.execute(.post, "/write?id=7")
            #expect(D1Database.transientAfterCommit.map { "D1_ERROR: \($0)" }.contains(failed.text), "\(failed.text)")
            #expect(try await count(client) == 1)
            // The caller's blind retry meets its own first write.
            #expect(try await client.execute(.post, "/write?id=7").text.contains("UNIQUE constraint failed"))
        }
    }

    @Test func d1RetriesReadOnlyQueriesAsProductionDoes() async throws {
        let plan = FaultPlan(seed: 1, [.d1BeforeCommit: .at([1, 2, 3, 4])])
        try await run(plan) { (client: TestClient) async throws in
            // Three attempts fail: the error reaches the caller.
            #expect(try await client.execute(.get, "/read").status == .internalServerError)
            // The fourth fails, D1 retries, the fifth succeeds.
            let read = try await client.execute(.get, "/read").json(as: [String: Int].self)
            #expect(read == ["count": 0, "attempts": 2])
            #expect(D1Database.isReadOnly("WITH x AS (SELECT 1) SELECT * FROM x"))
            #expect(!D1Database.isReadOnly("WITH x AS (SELECT 1) INSERT INTO items SELECT * FROM x"))
        }
    }

    @Test func stubCallsLoseTheirConnectionBeforeOrAfterTheObjectRan() async throws {
        let plan = FaultPlan(seed: 3, [.stubNetwork: .every(1)])
        try await run(plan) { (client: TestClient) async throws in
            for _ in 1...12 {
                let response = try await client.execute(.post, "/add")
                #expect(response.status == .serviceUnavailable)
                let error = try response.json(as: CaughtError.self)
                #expect(error == CaughtError(message: "Network connection lost.", retryable: true, overloaded: false, durableObjectReset: false, remote: false))
            }
            let after = plan.history.filter { $0.detail.hasSuffix("(after the object handled the call)") }.count
            #expect(after > 0 && after < 12, "both sides of the call are drawn")
            #expect(try await record(client, "count") == "\(after)", "only the calls lost after the object ran reached it")
            plan.stop()
            #expect(try await client.execute(.get, "/fetch").text == "\(after)")
        }
    }

    @Test func overloadedObjectsSayDoNotRetry() async throws {
        let plan = FaultPlan(seed: 1, [.stubOverloaded: .at([1])])
        try await run(plan) { (client: TestClient) async throws in
            let error = try await client.execute(.post, "/add").json(as: CaughtError.self)
            #expect(error.overloaded && !error.retryable && !error.remote)
            #expect(DurableObjectError.overloaded.map(\.message).contains(error.message))
            #expect(try await client.execute(.post, "/add").text == "1", "the overloaded call never reached the object")
        }
    }

    @Test func resetBetweenTwoAwaitsOfARequest() async throws {
        // Asked first when the event arrives (no instance yet), then at the request's D1 await.
        let plan = FaultPlan(seed: 1, [.reset: .at([2])])
        try await run(plan) { (client: TestClient) async throws in
            let error = try await client.execute(.post, "/add-across-await").json(as: CaughtError.self)
            #expect(error == CaughtError(message: "Durable Object reset because its code was updated.", retryable: false, overloaded: false, durableObjectReset: true, remote: false))
            #expect(plan.history.map(\.point) == [.objectAwait])
            await client.emulator.durableObjects.settled()
            // The stale instance's write after the await failed; the one before it stayed.
            #expect(try await record(client, "before") == "true")
            #expect(try await record(client, "after") == nil)
        }
    }

    @Test(arguments: [FaultKind.evictHibernate, .evictClose, .reset])
    func objectsLeaveMemoryBetweenEvents(kind: FaultKind) async throws {
        let plan = FaultPlan(seed: 1, [kind: .at([2])])
        try await run(plan) { (client: TestClient) async throws in
            #expect(try await client.execute(.post, "/add").text == "1")
            #expect(try await client.execute(.post, "/add").text == "2")
            #expect(plan.injected == [kind: 1])
            #expect(try client.inspect("LEDGER", .name("main")).first?.constructions == 2)
        }
    }

    @Test(arguments: TestMode.allCases)
    func webSocketsDropWithoutAClose(mode: TestMode) async throws {
        let plan = FaultPlan(seed: 1, [.dropWebSocket: .at([2])])
        try await run(plan, mode: mode) { (client: TestClient) async throws in
            let socket = try await client.webSocket("/ws")
            try await socket.send("a")
            #expect(try await socket.receiveText() == "echo a")
            try await socket.send("b")
            #expect(try await socket.closed().code == 1006)
            await client.emulator.durableObjects.settled()
            #expect(try await record(client, "closed") == "1006 false")
        }
    }

    @Test(arguments: TestMode.allCases)
    func eventStreamsAreCutWithoutTheirEnd(mode: TestMode) async throws {
        let plan = FaultPlan(seed: 1, [.dropStream: .at([2])])
        try await run(plan, mode: mode) { (client: TestClient) async throws in
            var received: [String] = []
            do {
                for try await event in try await client.events("/sse") { received.append(event.data) }
                Issue.record("the stream ended cleanly after \(received)")
            } catch {}
            #expect(received == ["event 1"])
            #expect(plan.injected == [.dropStream: 1])
        }
    }

    @Test func alarmsFailAndAreRetriedWithoutCountingAgainstTheLimit() async throws {
        let plan = FaultPlan(seed: 1, [.alarm: .at([1])])
        try await run(plan) { (client: TestClient) async throws in
            #expect(try await client.execute(.post, "/alarm").text == "set")
            await client.advance(by: .zero)
            #expect(plan.injected == [.alarm: 1])
            await client.advance(by: .seconds(2))
            #expect(try await record(client, "alarms") == "0")
        }
    }

    @Test func outboundFetchLosesItsConnection() async throws {
        let plan = FaultPlan(seed: 1, [.outbound: .at([1])])
        let outbound = OutboundService.routes(["api.example.com": { _ in Response("upstream") }])
        try await run(plan, outbound: outbound) { (client: TestClient) async throws in
            let failed = try await client.execute(.get, "/outbound")
            #expect(failed.status == .badGateway)
            #expect(failed.text == "caught Error: Network connection lost.")
            #expect(try await client.execute(.get, "/outbound").text == "upstream")
        }
    }

    @Test func theSameSeedInjectsAtTheSameOccurrences() async throws {
        func failures(seed: UInt64) async throws -> [Int] {
            var failed: [Int] = []
            try await run(FaultPlan(seed: seed, [.d1BeforeCommit: .rate(0.3)])) { (client: TestClient) async throws in
                for id in 1...40 where try await client.execute(.post, "/write?id=\(id)").status != .ok { failed.append(id) }
            }
            return failed
        }
        let first = try await failures(seed: 99)
        #expect(!first.isEmpty && first.count < 40)
        #expect(try await failures(seed: 99) == first)
        #expect(try await failures(seed: 100) != first)
    }

    @Test func theChaosRouteShowsAndChangesThePlan() async throws {
        let plan = FaultPlan(seed: 5, [.reset: .rate(0.5)])
        try await run(plan) { (client: TestClient) async throws in
            struct State: Decodable { let seed: UInt64; let rules: [String: String]; let injected: [String: Int] }
            var state = try await client.execute(.get, "/cdn-cgi/edge/chaos").json(as: State.self)
            #expect(state.seed == 5 && state.rules == ["reset": "0.5"] && state.injected.count == FaultKind.allCases.count)
            state = try await client.execute(.post, "/cdn-cgi/edge/chaos", json: ["spec": "seed=9,d1-after-commit=every:2"]).json(as: State.self)
            #expect(state.seed == 9 && state.rules == ["d1-after-commit": "every 2"])
            _ = try await client.execute(.post, "/write?id=1")
            _ = try await client.execute(.post, "/write?id=2")
            #expect(try await client.execute(.get, "/cdn-cgi/edge/chaos").json(as: State.self).injected["d1-after-commit"] == 1)
            state = try await client.execute(.post, "/cdn-cgi/edge/chaos", json: ["stop": true]).json(as: State.self)
            #expect(state.rules.isEmpty)
            let bad = try await client.execute(.post, "/cdn-cgi/edge/chaos", json: ["spec": "reset=2"])
            #expect(bad.status == .badRequest && bad.text.contains("invalid_spec"))
        }
        try await Emulator.test(.inProcess, config: config, module: FaultWorker.module, logger: LogRecorder().logger()) { (client: TestClient) async throws in
            #expect(try await client.execute(.get, "/cdn-cgi/edge/chaos").status == .conflict)
        }
    }

    @Test func aFailingTestNamesItsSeedAndHowToReplayIt() async throws {
        let plan = FaultPlan([.reset: .rate(0.1)])
        do {
            try await run(plan) { _ in throw TestError(description: "boom") }
            Issue.record("the body's error was swallowed")
        } catch let error as FaultedTestError {
            #expect("\(error)".hasPrefix("boom ["))
            #expect(error.hint.contains("EDGE_FAULT_SEED=\(plan.seed) swift test --filter"))
        }
    }

    @Test func injectedFaultsAreLogged() async throws {
        let recorder = LogRecorder()
        let plan = FaultPlan(seed: 1, [.d1BeforeCommit: .at([1])])
        try await Emulator.test(.inProcess, config: config, module: FaultWorker.module, logger: recorder.logger(), faults: plan) { (client: TestClient) async throws in
            _ = try await client.execute(.post, "/write?id=1")
        }
        #expect(recorder.lines.contains { $0.contains("Injecting faults: seed 1: d1-before-commit=at 1") })
        #expect(recorder.lines.contains { $0.contains("fault injected: d1-before-commit at D1 query #1: D1 faultdb: D1_ERROR: ") })
    }
}
