import EdgeConfig
import EdgeD1
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Testing

/// Several workers in one process (`edge dev -c gateway -c api`): service bindings by fetch and
/// RPC, a Durable Object bound across workers, each worker's own vars and D1, errors crossing a
/// binding, and the config errors of a session.
@Suite struct ServiceBindingTests {
    @Test(arguments: TestMode.allCases)
    func aServiceBindingFetchReachesTheOtherWorkersDefaultExport(mode: TestMode) async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        try await Emulator.test(mode, workers: try fixture.members()) { client in
            let response = try await client.execute(.get, "/api/hello")
            #expect(response.status == .ok)
            #expect(response.text == "api says hello from api to gateway at http://api.internal/hello")
        }
    }

    @Test(arguments: TestMode.allCases)
    func rpcRunsOnANamedEntrypointWithItsWorkersEnv(mode: TestMode) async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        try await Emulator.test(mode, workers: try fixture.members()) { client in
            let sum = try await client.execute(.get, "/add?a=2&b=40").text
            #expect(sum == "42")
            let greetings = try await client.execute(.get, "/greetings").text
            #expect(greetings == "gateway: hello from gateway, api: hello from api")
            let adminFetch = try await client.execute(.get, "/admin-fetch").text
            #expect(adminFetch == "admin fetch /status")
        }
    }

    @Test(arguments: TestMode.allCases)
    func aScriptNameBindingIsTheOtherWorkersNamespace(mode: TestMode) async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        try await Emulator.test(mode, workers: try fixture.members()) { client in
            let api = try client.worker("api")
            let expectedId = api.namespace("SHARED", as: SharedCounter.self).idFromName("demo")
            #expect(try await client.execute(.get, "/count?name=demo").text == "1 then count 2, id \(expectedId)")
            #expect(try await client.execute(.get, "/count?name=demo").text == "3 then count 4, id \(expectedId)")
            // One object, living in api: its storage is under do/api-SharedCounter/, api's controls reach it.
            let objects = try api.inspect("SHARED", .name("demo"))
            #expect(objects.map(\.constructions) == [1])
            let folder = api.emulator.options.stateRoot.appendingPathComponent("do/api-SharedCounter/\(expectedId).sqlite")
            #expect(FileManager.default.fileExists(atPath: folder.path))
            #expect(client.list().isEmpty)
            _ = try await api.evict("SHARED", .name("demo"))
            #expect(try await client.execute(.get, "/count?name=demo").text == "5 then count 6, id \(expectedId)")
            #expect(try api.inspect("SHARED", .name("demo")).map(\.constructions) == [2])
        }
    }

    @Test func aClassOnlyAnotherWorkerBindsIsHostedByItsOwnWorker() async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        // api declares the class (migrations, module) but binds it nowhere: gateway's binding alone makes the namespace.
        let api = SessionFixture.api.replacingOccurrences(of: "[durable_objects]\nbindings = [{ name = \"SHARED\", class_name = \"SharedCounter\" }]\n", with: "")
        #expect(!api.contains("SHARED"))
        try await Emulator.test(.live, workers: try fixture.members(api: api)) { client in
            let first = try await client.execute(.get, "/count?name=solo").text
            #expect(first.hasPrefix("1 then count 2, id "))
            let apiClient = try client.worker("api")
            #expect(apiClient.list().map(\.binding) == ["SharedCounter"])
            #expect(try apiClient.inspect("SharedCounter", .name("solo")).count == 1)
            #expect(!apiClient.emulator.bindings.resources.keys.contains("SharedCounter"))
        }
    }

    @Test(arguments: TestMode.allCases)
    func eachWorkerHasItsOwnVarsAndDatabases(mode: TestMode) async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        try await Emulator.test(mode, workers: try fixture.members()) { client in
            #expect(try await client.execute(.get, "/hits").text == "api hits 1; rpc 1; hits tables here 0")
            #expect(try await client.execute(.get, "/hits").text == "api hits 2; rpc 2; hits tables here 0")
            let api = try client.worker("api")
            #expect(try await api.d1("DB").prepare("SELECT count(*) AS n FROM hits").first("n") == .integer(2))
            let d1 = api.emulator.options.stateRoot.appendingPathComponent("d1")
            #expect(FileManager.default.fileExists(atPath: d1.appendingPathComponent("api-db.sqlite").path))
            #expect(FileManager.default.fileExists(atPath: d1.appendingPathComponent("gateway-db.sqlite").path))
            #expect(api.emulator.bindings.vars["GREETING"] == "hello from api")
            #expect(client.emulator.bindings.vars["GREETING"] == "hello from gateway")
        }
    }

    @Test(arguments: TestMode.allCases)
    func errorsThrownByTheOtherWorkerReachTheCallerWithNameAndMessage(mode: TestMode) async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        try await Emulator.test(mode, workers: try fixture.members()) { client in
            let text = try await client.execute(.get, "/errors").text
            #expect(text == """
                fetch: TypeError: api broke remote=true
                rpc: TypeError: admin refused remote=true
                no fetch: Error: Handler does not export a fetch() function. remote=true
                """)
        }
    }

    @Test func onlyTheFirstWorkerServesThePort() async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        try await Emulator.test(.live, workers: try fixture.members()) { client in
            let response = try await client.execute(.get, "/hello")
            #expect(response.status == .notFound)
            #expect(response.text == "gateway: no route /hello")
            #expect(client.emulator.config.name == "gateway")
            #expect(throws: (any Error).self) { try client.worker("nope") }
        }
    }

    @Test func aRequestGoesThroughAtMostThirtyTwoInvocations() async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        let loop = try fixture.config("loop", "name = \"loop\"\nservices = [{ binding = \"SELF\", service = \"loop\" }]\n")
        try await Emulator.test(.live, workers: [.init(config: loop, module: LoopWorker.module)]) { client in
            let text = try await client.execute(.get, "/").text
            #expect(text == "invocation 32: Error: Subrequest depth limit exceeded. This request recursed through Workers too many times. This can happen e.g. if you have a Worker or Durable Object that calls other Workers or objects recursively.")
        }
    }

    // MARK: config errors

    @Test func anUnknownEntrypointIsAStartupErrorAtItsLine() async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        let gateway = SessionFixture.gateway.replacingOccurrences(of: "entrypoint = \"Admin\"", with: "entrypoint = \"Adminn\"")
        let error = try await startupError(try fixture.members(gateway: gateway))
        #expect(error.contains(
            "gateway/wrangler-like.toml:17: Worker \"gateway\"'s binding \"ADMIN\" refers to service \"api\" with a named entrypoint \"Adminn\", but \"api\" has no such named entrypoint. Entrypoints \"api\" registers: Admin, Silent"))
    }

    @Test func anUnknownServiceIsAStartupErrorAtItsLine() async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        let members = try fixture.members()
        // gateway alone: its services and script_name name a worker that is not in the session.
        let error = try await startupError([members[0]])
        #expect(error.contains("gateway/wrangler-like.toml:12: Worker \"gateway\"'s binding \"API\" refers to a service \"api\", but no such service is defined."))
    }

    @Test func aScriptNameClassTheOtherWorkerDoesNotRegisterIsAStartupError() async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        let gateway = SessionFixture.gateway.replacingOccurrences(of: "class_name = \"SharedCounter\", script_name", with: "class_name = \"Missing\", script_name")
        let error = try await startupError(try fixture.members(gateway: gateway))
        #expect(error.contains(
            "gateway/wrangler-like.toml:25: Worker \"gateway\"'s binding \"COUNTER\" refers to a Durable Object namespace named \"Missing\" in service \"api\", but no such Durable Object namespace is defined by that service. Classes \"api\" registers: SharedCounter"))
    }

    @Test func aSingleEmulatorWithAServiceBindingSaysWhichWorkerIsMissing() async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        let config = try fixture.config("gateway", SessionFixture.gateway)
        let stateRoot = fixture.directory.appendingPathComponent("state")
        await #expect {
            _ = try await Emulator(config: config, module: GatewayWorker.module, options: .init(stateRoot: stateRoot))
        } throws: { error in
            "\(error)".contains("refers to a service \"api\", but no such service is defined. Workers in this session: gateway")
        }
    }

    @Test func workersMayBindEachOtherInACycle() async throws {
        let fixture = try SessionFixture()
        defer { fixture.remove() }
        let api = SessionFixture.api + "\n\n[[services]]\nbinding = \"BACK\"\nservice = \"gateway\"\n"
        try await Emulator.test(.inProcess, workers: try fixture.members(api: api)) { client in
            let sum = try await client.execute(.get, "/add?a=1&b=1").text
            #expect(sum == "2")
        }
    }

    private func startupError(_ members: [WorkerGroup.Member]) async throws -> String {
        let stateRoot = FileManager.default.temporaryDirectory.appendingPathComponent("edge-session-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: stateRoot) }
        do {
            let group = try await WorkerGroup(members, options: .init(stateRoot: stateRoot))
            await group.shutdown()
            Issue.record("the session started")
            return ""
        } catch {
            return "\(error)"
        }
    }
}
