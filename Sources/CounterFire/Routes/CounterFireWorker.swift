import EdgeDurableObjects
import EdgeRuntime
import Foundation
import HTTPTypes

/// CounterFire's worker: the routes of the contract (`counterfire-api.md`).
public struct CounterFireWorker: Worker {
    public typealias Env = CounterFire.Env

    public init() {}

    /// The module `edge` runs: the worker and its Durable Object classes.
    public static var module: WorkerModule { WorkerModule(CounterFireWorker(), durableObjects: [OrderHub.self]) }

    public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        do {
            return try await route(request, env: env, ctx: ctx)
        } catch let error as APIError {
            return error.response
        }
    }

    func route(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let routes = OrderRoutes(env: env, ctx: ctx)
        switch parts {
        case ["v1", "health"]:
            try allow(request, .get)
            // `{"ok":true}`, what `Response.json(["ok": true])` writes, without an encoder per check.
            return Response(#"{"ok":true}"#, headers: ["content-type": "application/json"])
        case let p where p.count == 4 && p[0] == "v1" && p[1] == "restaurants" && p[3] == "orders":
            try allow(request, .post)
            return try await routes.create(request, restaurant: p[2])
        case let p where p.count == 3 && p[0] == "v1" && p[1] == "orders":
            try allow(request, .get)
            return try await routes.read(request, order: p[2])
        case let p where p.count == 4 && p[0] == "v1" && p[1] == "orders" && p[3] == "status":
            try allow(request, .post)
            return try await routes.changeStatus(request, order: p[2])
        case ["v1", "kds", "stream"]:
            try allow(request, .get)
            return try await StreamRoutes(env: env).kitchen(request)
        case let p where p.count == 3 && p[0] == "v1" && p[1] == "track":
            try allow(request, .get)
            return try await StreamRoutes(env: env).tracker(request, token: p[2])
        case let p where p.count == 4 && p[0] == "v1" && p[1] == "track" && p[3] == "stream":
            try allow(request, .get)
            return try await StreamRoutes(env: env).trackerStream(request, token: p[2])
        case ["kds"]:
            return try await page("/kds.html", request, env: env)
        case let p where p.count == 2 && p[0] == "track":
            return try await page("/track.html", request, env: env)
        default:
            throw APIError.notFound(request.path)
        }
    }

    private func allow(_ request: Request, _ method: HTTPRequest.Method) throws(APIError) {
        guard request.method == method || (method == .get && request.method == .head) else {
            throw APIError.methodNotAllowed(request.method, allowed: [method])
        }
    }

    /// Serves one of the pages from the assets for a route that has no file of its own.
    private func page(_ file: String, _ request: Request, env: Env) async throws -> Response {
        try allow(request, .get)
        var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.path = file
        components.query = nil
        guard let url = components.url else { throw APIError.notFound(request.path) }
        return try await env.ASSETS.fetch(Request(url: url, method: request.method, headers: request.headers))
    }
}
