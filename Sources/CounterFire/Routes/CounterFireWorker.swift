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
        guard let (route, groups) = Route.match(request, in: try Self.routes.get()) else {
            throw APIError.notFound(request.path)
        }
        return try await route.handle(request, groups: groups, env: env, ctx: ctx)
    }

    /// The contract's routes, the busiest first (each request tries them in order). A pattern
    /// that does not compile fails every request with its `TypeError`, and every test with it.
    static let routes = Result { () throws -> [Route] in
        [
            // `{"ok":true}`, what `Response.json(["ok": true])` writes, without an encoder per check.
            try Route(.get, "/v1/health") { _, _, _, _ in Response(#"{"ok":true}"#, headers: ["content-type": "application/json"]) },
            try Route(.post, "/v1/restaurants/:restaurant/orders") { request, groups, env, ctx in
                try await OrderRoutes(env: env, ctx: ctx).create(request, restaurant: groups["restaurant"] ?? "")
            },
            try Route(.post, "/v1/orders/:order/status") { request, groups, env, ctx in
                try await OrderRoutes(env: env, ctx: ctx).changeStatus(request, order: groups["order"] ?? "")
            },
            try Route(.get, "/v1/orders/:order") { request, groups, env, ctx in
                try await OrderRoutes(env: env, ctx: ctx).read(request, order: groups["order"] ?? "")
            },
            try Route(.get, "/v1/kds/stream") { request, _, env, _ in try await StreamRoutes(env: env).kitchen(request) },
            try Route(.get, "/v1/track/:token/stream") { request, groups, env, _ in
                try await StreamRoutes(env: env).trackerStream(request, token: groups["token"] ?? "")
            },
            try Route(.get, "/v1/track/:token") { request, groups, env, _ in
                try await StreamRoutes(env: env).tracker(request, token: groups["token"] ?? "")
            },
            try Route(.get, "/kds") { request, _, env, _ in try await page("/kds.html", request, env: env) },
            try Route(.get, "/track/:token") { request, _, env, _ in try await page("/track.html", request, env: env) },
        ]
    }

    /// Serves one of the pages from the assets for a route that has no file of its own.
    private static func page(_ file: String, _ request: Request, env: Env) async throws -> Response {
        var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false) ?? URLComponents()
        components.path = file
        components.query = nil
        guard let url = components.url else { throw APIError.notFound(request.path) }
        return try await env.ASSETS.fetch(Request(url: url, method: request.method, headers: request.headers))
    }
}
