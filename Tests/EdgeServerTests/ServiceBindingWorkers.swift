import EdgeConfig
import EdgeD1
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import Foundation

// Two workers for the session tests: "api" (a default export, two named entrypoints and a
// Durable Object) and "gateway", which reaches api through a service binding to its default
// export, one to its `Admin` entrypoint and a Durable Object binding with `script_name = "api"`.

struct ApiEnv: WorkerEnv {
    let GREETING: String
    let DB: D1Database
    init(bindings: Bindings) throws {
        GREETING = try bindings.text("GREETING")
        DB = try bindings.get("DB")
    }
}

struct ApiWorker: Worker {
    func fetch(_ request: Request, env: ApiEnv, ctx: ExecutionContext) async throws -> Response {
        switch request.path {
        case "/hello":
            return Response("api says \(env.GREETING) to \(request.headers.get("x-caller") ?? "?") at \(request.url.absoluteString)")
        case "/throw":
            throw TypeError("api broke")
        case "/hit":
            try await env.DB.exec("CREATE TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY)")
            _ = try await env.DB.prepare("INSERT INTO hits DEFAULT VALUES").run()
            let count = try await env.DB.prepare("SELECT count(*) AS n FROM hits").first("n")?.int64Value ?? -1
            return Response("api hits \(count)")
        default:
            return Response("api: no route \(request.path)", status: .notFound)
        }
    }

    static let module = WorkerModule(ApiWorker(), entrypoints: [Admin.self, Silent.self], durableObjects: [SharedCounter.self])
}

/// `class Admin extends WorkerEntrypoint`: RPC methods and a fetch.
struct Admin: WorkerEntrypoint {
    let ctx: ExecutionContext
    let env: ApiEnv

    init(ctx: ExecutionContext, env: ApiEnv) {
        self.ctx = ctx
        self.env = env
    }

    func add(_ a: Int, _ b: Int) -> Int { a + b }

    func greeting() -> String { env.GREETING }

    func hits() async throws -> Int64 {
        try await env.DB.prepare("SELECT count(*) AS n FROM hits").first("n")?.int64Value ?? -1
    }

    func fail() throws -> Int {
        throw TypeError("admin refused")
    }

    func fetch(_ request: Request) async throws -> Response {
        Response("admin fetch \(request.path)")
    }
}

/// An entrypoint without `fetch`.
struct Silent: WorkerEntrypoint {
    init(ctx: ExecutionContext, env: ApiEnv) {}
}

/// api's Durable Object, bound by gateway with `script_name = "api"`.
actor SharedCounter: DurableObject {
    let state: DurableObjectState

    init(state: DurableObjectState, env: ApiEnv) {
        self.state = state
    }

    func increment() throws -> Int {
        let next = (try state.storage.get("count", as: Int.self) ?? 0) + 1
        try state.storage.put("count", next)
        return next
    }

    func fetch(_ request: Request) async throws -> Response {
        Response("count \(try increment())")
    }
}

struct GatewayEnv: WorkerEnv {
    let GREETING: String
    let DB: D1Database
    let API: any Fetcher
    let ADMIN: Service<Admin>
    let SILENT: Service<Silent>
    let COUNTER: DurableObjectNamespace<SharedCounter>

    init(bindings: Bindings) throws {
        GREETING = try bindings.text("GREETING")
        DB = try bindings.get("DB")
        API = try bindings.get("API")
        ADMIN = try bindings.get("ADMIN")
        SILENT = try bindings.get("SILENT")
        COUNTER = try bindings.get("COUNTER")
    }
}

struct GatewayWorker: Worker {
    func fetch(_ request: Request, env: GatewayEnv, ctx: ExecutionContext) async throws -> Response {
        let query = request.searchParams
        switch request.path {
        case "/api/hello":
            return try await env.API.fetch("http://api.internal/hello", RequestInit(headers: ["x-caller": "gateway"]))
        case "/add":
            let (a, b) = (Int(query.get("a") ?? "") ?? 0, Int(query.get("b") ?? "") ?? 0)
            return Response("\(try await env.ADMIN.call { $0.add(a, b) })")
        case "/greetings":
            let theirs = try await env.ADMIN.call { $0.greeting() }
            return Response("gateway: \(env.GREETING), api: \(theirs)")
        case "/admin-fetch":
            return try await env.ADMIN.fetch("http://admin.internal/status")
        case "/hits":
            let api = try await env.API.fetch("http://api.internal/hit").text()
            let counted = try await env.ADMIN.call { try await $0.hits() }
            try await env.DB.exec("CREATE TABLE IF NOT EXISTS own (id INTEGER PRIMARY KEY)")
            let tables = try await env.DB.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'hits'").first("n")?.int64Value ?? -1
            return Response("\(api); rpc \(counted); hits tables here \(tables)")
        case "/count":
            let stub = env.COUNTER.getByName(query.get("name") ?? "x")
            let viaCall = try await stub.call { try await $0.increment() }
            let viaFetch = try await stub.fetch("http://counter/").text()
            return Response("\(viaCall) then \(viaFetch), id \(stub.id)")
        case "/errors":
            var lines: [String] = []
            lines.append(await Self.attempt("fetch") { _ = try await env.API.fetch("http://api.internal/throw") })
            lines.append(await Self.attempt("rpc") { _ = try await env.ADMIN.call { try $0.fail() } })
            lines.append(await Self.attempt("no fetch") { _ = try await env.SILENT.fetch("http://silent.internal/") })
            return Response(lines.joined(separator: "\n"))
        default:
            return Response("gateway: no route \(request.path)", status: .notFound)
        }
    }

    /// `<label>: <error> remote=<remote>` for the `RemoteError` `call` throws.
    static func attempt(_ label: String, _ call: () async throws -> Void) async -> String {
        do {
            try await call()
            return "\(label): no error"
        } catch let error as RemoteError {
            return "\(label): \(error) remote=\(error.remote)"
        } catch {
            return "\(label): not a RemoteError: \(error)"
        }
    }

    static let module = WorkerModule(GatewayWorker())
}

/// Both workers' configs, written to files so errors carry lines.
struct SessionFixture {
    static let api = """
        name = "api"

        [vars]
        GREETING = "hello from api"

        [[d1_databases]]
        binding = "DB"
        database_name = "api-db"

        [durable_objects]
        bindings = [{ name = "SHARED", class_name = "SharedCounter" }]

        [[migrations]]
        tag = "v1"
        new_sqlite_classes = ["SharedCounter"]
        """

    static let gateway = """
        name = "gateway"

        [vars]
        GREETING = "hello from gateway"

        [[d1_databases]]
        binding = "DB"
        database_name = "gateway-db"

        [[services]]
        binding = "API"
        service = "api"

        [[services]]
        binding = "ADMIN"
        service = "api"
        entrypoint = "Admin"

        [[services]]
        binding = "SILENT"
        service = "api"
        entrypoint = "Silent"

        [durable_objects]
        bindings = [{ name = "COUNTER", class_name = "SharedCounter", script_name = "api" }]
        """

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-session-\(UUID().uuidString)", isDirectory: true)
    }

    /// Writes `text` as `<worker>/wrangler-like.toml` and loads it.
    func config(_ worker: String, _ text: String) throws -> WranglerConfig {
        let file = directory.appendingPathComponent("\(worker)/wrangler-like.toml")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try WranglerConfig.load(from: file).config
    }

    func members(gateway: String = Self.gateway, api: String = Self.api) throws -> [WorkerGroup.Member] {
        [
            .init(config: try config("gateway", gateway), module: GatewayWorker.module),
            .init(config: try config("api", api), module: ApiWorker.module),
        ]
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A worker that calls itself through a service binding until the chain is refused.
struct LoopEnv: WorkerEnv {
    let SELF: any Fetcher
    init(bindings: Bindings) throws { SELF = try bindings.get("SELF") }
}

struct LoopWorker: Worker {
    func fetch(_ request: Request, env: LoopEnv, ctx: ExecutionContext) async throws -> Response {
        let invocation = Int(request.headers.get("x-invocation") ?? "1") ?? 1
        do {
            return try await env.SELF.fetch("http://loop.internal/", RequestInit(headers: ["x-invocation": String(invocation + 1)]))
        } catch {
            return Response("invocation \(invocation): \(error)")
        }
    }

    static let module = WorkerModule(LoopWorker())
}
