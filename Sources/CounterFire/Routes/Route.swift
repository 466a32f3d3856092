import EdgeRuntime
import HTTPTypes

/// One row of CounterFire's route table: a `URLPattern` on the pathname, the method it allows
/// (`GET` also answers `HEAD`), and the handler, which gets the pattern's groups
/// (`/v1/orders/:id` gives `groups["id"]`).
struct Route: Sendable {
    typealias Handler = @Sendable (_ request: Request, _ groups: [String: String], _ env: Env, _ ctx: ExecutionContext) async throws -> Response

    let pattern: URLPattern
    let method: HTTPRequest.Method
    let handler: Handler

    /// `new URLPattern({ pathname })`.
    /// - Throws: ``TypeError`` for an invalid pattern.
    init(_ method: HTTPRequest.Method, _ pathname: String, _ handler: @escaping Handler) throws {
        self.pattern = try URLPattern(pathname: pathname)
        self.method = method
        self.handler = handler
    }

    /// The first route whose pattern matches the request's URL, and its pathname groups.
    static func match(_ request: Request, in routes: [Route]) -> (route: Route, groups: [String: String])? {
        for route in routes {
            if let result = route.pattern.exec(request.url) { return (route, result.pathname.groups) }
        }
        return nil
    }

    /// Runs the handler, or throws 405 for another method.
    func handle(_ request: Request, groups: [String: String], env: Env, ctx: ExecutionContext) async throws -> Response {
        guard request.method == method || (method == .get && request.method == .head) else {
            throw APIError.methodNotAllowed(request.method, allowed: [method])
        }
        return try await handler(request, groups, env, ctx)
    }
}
