import EdgeConfig
import EdgeD1
import EdgeDurableObjects
import EdgeRuntime
import Foundation
import HTTPTypes

/// A worker and object for fault-injection tests: a D1 write and read, stub calls whose errors
/// come back as JSON with their flags, a request that awaits D1 between two storage writes,
/// hibernatable WebSockets, an SSE stream, an alarm and an outbound fetch.
struct FaultEnv: WorkerEnv {
    let DB: D1Database
    let LEDGER: DurableObjectNamespace<Ledger>

    init(bindings: Bindings) throws {
        DB = try bindings.get("DB")
        LEDGER = try bindings.get("LEDGER")
    }
}

/// A caught error as the tests read it.
struct CaughtError: Codable, Equatable {
    let message: String
    let retryable: Bool
    let overloaded: Bool
    let durableObjectReset: Bool
    let remote: Bool
}

extension DurableObjectError {
    var caught: CaughtError {
        CaughtError(message: message, retryable: retryable, overloaded: overloaded, durableObjectReset: durableObjectReset, remote: remote)
    }
}

struct FaultWorker: Worker {
    typealias Env = FaultEnv

    static let module = WorkerModule(FaultWorker(), durableObjects: [Ledger.self])

    static let toml = """
        name = "fault-test"
        compatibility_date = "2026-10-01"

        [[d1_databases]]
        binding = "DB"
        database_name = "faultdb"

        [durable_objects]
        bindings = [{ name = "LEDGER", class_name = "Ledger" }]

        [[migrations]]
        tag = "v1"
        new_sqlite_classes = ["Ledger"]
        """

    /// The config, written with its migration to a new temporary directory.
    static func config() throws -> WranglerConfig {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        try Data("CREATE TABLE items (id INTEGER PRIMARY KEY, value TEXT);\n".utf8)
            .write(to: directory.appendingPathComponent("migrations/0001_init.sql"))
        let path = directory.appendingPathComponent("wrangler-like.toml")
        try Data(toml.utf8).write(to: path)
        return try WranglerConfig.load(from: path).config
    }

    func fetch(_ request: Request, env: FaultEnv, ctx: ExecutionContext) async throws -> Response {
        let ledger = env.LEDGER.getByName("main")
        switch request.path {
        case "/write":
            let id = Int(request.searchParams.get("id") ?? "") ?? 0
            try await env.DB.prepare("INSERT INTO items (id, value) VALUES (?1, 'w')").bind(id).run()
            return Response("ok")
        case "/read":
            let result = try await env.DB.prepare("SELECT count(*) AS n FROM items").all()
            return Response.json(["count": Int(result.results.first?["n"]?.int64Value ?? -1), "attempts": result.meta.totalAttempts ?? 0])
        case "/add":
            return try await caught { "\(try await ledger.call { try await $0.add() })" }
        case "/fetch":
            return try await caught { try await ledger.fetch("http://ledger/count").text() }
        case "/add-across-await":
            return try await caught { "\(try await ledger.call { try await $0.addAcrossAwait() })" }
        case "/ws":
            return try await ledger.fetch(request)
        case "/alarm":
            return try await caught { try await ledger.call { try await $0.setAlarm() }; return "set" }
        case "/sse":
            let events = EventStream()
            ctx.waitUntil {
                for n in 1...3 { try await events.send(id: "\(n)", data: "event \(n)") }
                events.close()
            }
            return Response(eventStream: events)
        case "/outbound":
            do {
                return Response(try await EdgeRuntime.fetch("https://api.example.com/x").text())
            } catch let error as NetworkError {
                return Response("caught \(error)", status: .badGateway)
            }
        default:
            return Response("no route", status: .notFound)
        }
    }

    /// `body`'s text, or the stub error as JSON with status 503.
    private func caught(_ body: () async throws -> String) async throws -> Response {
        do {
            return Response(try await body())
        } catch let error as DurableObjectError {
            return Response.json(error.caught, status: .serviceUnavailable)
        }
    }
}

/// Counts calls in its storage; records what its WebSockets and alarms saw.
actor Ledger: DurableObject {
    typealias Env = FaultEnv
    let state: DurableObjectState
    let env: FaultEnv

    init(state: DurableObjectState, env: FaultEnv) {
        self.state = state
        self.env = env
    }

    func add() throws -> Int {
        let count = (try state.storage.get("count", as: Int.self) ?? 0) + 1
        try state.storage.put("count", count)
        return count
    }

    /// Writes, awaits D1, writes again: a reset between the two leaves only the first write.
    func addAcrossAwait() async throws -> Int {
        try state.storage.put("before", true)
        _ = try await env.DB.prepare("SELECT 1").all()
        try state.storage.put("after", true)
        return try add()
    }

    func fetch(_ request: Request) async throws -> Response {
        if request.isWebSocketUpgrade {
            let (client, server) = WebSocketPair()
            state.acceptWebSocket(server, tags: ["t"])
            return Response(webSocket: client)
        }
        return Response("\(try state.storage.get("count", as: Int.self) ?? 0)")
    }

    func webSocketMessage(_ ws: WebSocket, _ message: WebSocketMessage) async throws {
        guard case .text(let text) = message else { return }
        try ws.send("echo \(text)")
    }

    func webSocketClose(_ ws: WebSocket, code: UInt16, reason: String, wasClean: Bool) async throws {
        try state.storage.put("closed", "\(code) \(wasClean)")
    }

    func setAlarm() throws {
        try state.storage.setAlarm(Date.now())
    }

    func alarm(_ info: AlarmInfo) async throws {
        var runs = try state.storage.get("alarms", as: [Int].self) ?? []
        runs.append(info.retryCount)
        try state.storage.put("alarms", runs)
    }

    /// What the tests read back.
    func record(_ key: String) throws -> String? {
        if let text = try? state.storage.get(key, as: String.self) { return text }
        if let runs = try? state.storage.get(key, as: [Int].self) { return runs.map(String.init).joined(separator: ",") }
        if let flag = try? state.storage.get(key, as: Bool.self) { return "\(flag)" }
        if let number = try? state.storage.get(key, as: Int.self) { return "\(number)" }
        return nil
    }
}
