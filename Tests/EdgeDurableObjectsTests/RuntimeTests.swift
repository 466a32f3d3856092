import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Testing

@Suite("Runtime: registration, listing, persistence", .timeLimit(.minutes(1)))
struct RuntimeTests {
    @Test func anUnknownClassNameIsAStartUpError() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-do-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect {
            _ = try DurableObjectRuntime(
                workerName: "w", stateRoot: root, classes: [Counter.self, SocketHub.self], bindings: [("HUB", "OrderHub")],
                sqliteClasses: [], clock: VirtualClock())
        } throws: { error in
            String(describing: error)
                == "Error: The Durable Object binding \"HUB\" names the class \"OrderHub\", which the worker does not register. "
                + "Registered classes: Counter, SocketHub. The executable registers them: WorkerModule(worker, durableObjects: "
                + "[...]) (see \"Your own worker\" in Edge's README)."
        }
    }

    @Test func listShowsStatesSocketsAndConstructions() async throws {
        try await Harness.run { harness throws in
            _ = try await harness.counter("busy").call { await $0.bump() }
            _ = try await harness.sockets("room").fetch(Request("https://do/connect"))
            _ = try await harness.sockets("room").fetch(Request("https://do/connect"))
            await harness.clock.advance(by: .seconds(10))
            _ = try await harness.counter("fresh").call { await $0.bump() }
            let list = harness.runtime.list()
            #expect(list.map(\.binding) == ["COUNTER", "SOCKETS", "LOADER", "QUIET", "LEGACY"])
            let counters = try #require(list.first { $0.binding == "COUNTER" })
            #expect(counters.className == "Counter")
            #expect(counters.objects.map { "\($0.name ?? "-") \($0.state) \($0.constructions)" } == ["busy inactive 1", "fresh idle 1"])
            let room = try #require(list.first { $0.binding == "SOCKETS" }?.objects.first)
            #expect(room.name == "room")
            #expect(room.state == .hibernated)
            #expect(room.sockets == 2)
            #expect(room.hibernatableSockets == 2)
            let json = String(decoding: try JSONEncoder().encode(room), as: UTF8.self)
            #expect(json.contains("\"state\":\"hibernated\""))
            #expect(json.contains("\"id\":\"\(room.id.hex)\""))
        }
    }

    @Test func dataAlarmsAndNamesSurviveANewRuntimeOnTheSameDirectory() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-do-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let clock = VirtualClock()
        let first = try Harness.make(root: root, clock: clock, recorder: Recorder())
        let stub = first.counter("persisted")
        #expect(try await stub.call { try await $0.increment() } == 1)
        let alarmTime = clock.now.addingTimeInterval(120)
        try await first.runtime.runInDurableObject(stub) { _, state in
            try state.storage.setAlarm(alarmTime)
            _ = try state.storage.sql.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('kept')")
        }
        await first.runtime.shutdown()

        let recorder = Recorder()
        let second = try Harness.make(root: root, clock: clock, recorder: recorder)
        let listed = try #require(second.runtime.list().first { $0.binding == "COUNTER" }?.objects.first)
        #expect(listed.name == "persisted")
        #expect(listed.state == .inactive)
        #expect(listed.constructions == 0)
        #expect(listed.alarm == alarmTime)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("do/test-Counter/\(stub.id.hex).sqlite").path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("do/test-Counter/metadata.sqlite").path))

        await clock.advance(by: .seconds(120))
        #expect(recorder.entries == ["construct persisted", "alarm 0 false persisted"])
        let restored = second.counter("persisted")
        #expect(try await restored.call { try await $0.count() } == 1)
        let note = try await second.runtime.runInDurableObject(restored) { _, state in
            try state.storage.sql.exec("SELECT text FROM notes").one()["text"]
        }
        #expect(note == .text("kept"))
        await second.runtime.shutdown()
    }

    @Test func workerModuleBuildsTheEnvOnceAndNamesItsClasses() async throws {
        struct App: Worker {
            struct Env: WorkerEnv {
                let greeting: String
                init(bindings: Bindings) throws { greeting = try bindings.text("GREETING") }
            }
            func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
                Response(env.greeting)
            }
        }
        let module = WorkerModule(App(), durableObjects: [Counter.self, SocketHub.self])
        #expect(module.classes.keys.sorted() == ["Counter", "SocketHub"])
        #expect(throws: BindingError.self) { try module.instantiate(bindings: Bindings()) }
        let worker = try module.instantiate(bindings: Bindings(vars: ["GREETING": "hello"]))
        #expect(try await worker.fetch(Request("https://app/"), ctx: ExecutionContext()).text() == "hello")
    }
}
