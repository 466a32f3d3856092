/// How many worker invocations the current request has gone through: the request from the socket
/// (or test) is the first, each call through a service binding adds one. Production allows a
/// request 32 ("A single request has a maximum of 32 Worker invocations", Cloudflare's service
/// bindings limits) and then throws; without the limit, two workers calling each other would
/// recurse until memory ran out.
enum ServiceCallDepth {
    @TaskLocal static var current = 1

    /// Production's limit.
    static let limit = 32

    /// Runs `body` as the next invocation, or throws production's error when that would pass the limit.
    static func next<R>(_ body: () async throws -> R) async throws -> R {
        let depth = current + 1
        guard depth <= limit else { throw DepthExceeded() }
        return try await $current.withValue(depth) { try await body() }
    }
}

/// Production's text (as Workers report it, e.g. tldraw/tldraw#5722).
struct DepthExceeded: Error, CustomStringConvertible {
    var description: String {
        "Error: Subrequest depth limit exceeded. This request recursed through Workers too many times. This can happen e.g. if you have a Worker or Durable Object that calls other Workers or objects recursively."
    }
}
