import EdgeDurableObjects
import EdgeRuntime
import TwoWorkersAPI

/// The web worker's bindings: `interface Env { API: Fetcher; GUESTBOOK: Service<Guestbook>; ROOM: DurableObjectNamespace<Room> }`.
public struct WebEnv: WorkerEnv {
    let API: any Fetcher
    let GUESTBOOK: Service<Guestbook>
    let ROOM: DurableObjectNamespace<Room>

    public init(bindings: Bindings) throws {
        API = try bindings.get("API")
        GUESTBOOK = try bindings.get("GUESTBOOK")
        ROOM = try bindings.get("ROOM")
    }
}

/// The primary worker: its `public/` assets first, then these routes.
public struct WebWorker: Worker {
    public init() {}

    public func fetch(_ request: Request, env: WebEnv, ctx: ExecutionContext) async throws -> Response {
        let path = request.path
        if path.hasPrefix("/api/") {
            // `env.API.fetch(request)`: the api worker sees the path without /api.
            var url = request.url.absoluteString
            if let range = url.range(of: "/api/") { url.replaceSubrange(range, with: "/") }
            return try await env.API.fetch(Request(url, RequestInit(method: request.method, headers: request.headers)))
        }
        if path == "/sign", request.method == .post {
            let name = request.searchParams.get("name") ?? ""
            do {
                let count = try await env.GUESTBOOK.call { try await $0.sign(name) }
                return Response.json(Signed(signed: name, count: count), status: .created)
            } catch let error as RemoteError where error.name == "TypeError" {
                return Response.json(["error": error.message], status: .badRequest)
            }
        }
        if path.hasPrefix("/visit/") {
            let room = String(path.dropFirst("/visit/".count))
            let visits = try await env.ROOM.getByName(room).call { try await $0.visit() }
            return Response("Visit \(visits) to \(room)\n")
        }
        return Response("web: no route \(request.method.rawValue) \(path)", status: .notFound)
    }

    /// The web worker as the executable registers it.
    public static var module: WorkerModule { WorkerModule(WebWorker()) }
}

/// The answer to `POST /sign`.
struct Signed: Encodable {
    let signed: String
    let count: Int
}
