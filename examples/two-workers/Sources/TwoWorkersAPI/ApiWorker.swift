import EdgeD1
import EdgeDurableObjects
import EdgeRuntime

/// The api worker's bindings: `interface Env { DB: D1Database; ROOM: DurableObjectNamespace<Room>; SIGNATURE: string }`.
public struct ApiEnv: WorkerEnv {
    let DB: D1Database
    let ROOM: DurableObjectNamespace<Room>
    let SIGNATURE: String

    public init(bindings: Bindings) throws {
        DB = try bindings.get("DB")
        ROOM = try bindings.get("ROOM")
        SIGNATURE = try bindings.text("SIGNATURE")
    }
}

/// `export default { fetch }`: what a service binding without `entrypoint` reaches.
public struct ApiWorker: Worker {
    public init() {}

    public func fetch(_ request: Request, env: ApiEnv, ctx: ExecutionContext) async throws -> Response {
        switch (request.method, request.path) {
        case (.get, "/entries"):
            let rows = try await env.DB.prepare("SELECT name FROM entries ORDER BY id").all()
            let names = rows.results.compactMap { $0["name"]?.stringValue }
            return Response.json(["entries": names, "served_by": [env.SIGNATURE]])
        default:
            return Response("api: no route \(request.method.rawValue) \(request.path)", status: .notFound)
        }
    }

    /// The api worker as the executable registers it.
    public static var module: WorkerModule {
        WorkerModule(ApiWorker(), entrypoints: [Guestbook.self], durableObjects: [Room.self])
    }
}
