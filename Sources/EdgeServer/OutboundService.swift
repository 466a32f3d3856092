import EdgeRuntime
import Foundation

/// Who answers the subrequests a worker or a Durable Object makes with the global `fetch`:
/// Miniflare's `outboundService` (and vitest-pool-workers' `fetchMock`).
///
/// ```swift
/// // A test: api.stripe.com answered by the test, anything else fails naming its URL.
/// let outbound = OutboundService.routes(["api.stripe.com": { request in Response("{\"id\":\"ch_1\"}") }])
/// // `edge dev --outbound-to http://127.0.0.1:9999`: every subrequest goes to a local stub.
/// let dev = OutboundService.forward(to: URL(string: "http://127.0.0.1:9999")!)
/// ```
///
/// Whoever answers, `fetch` itself checks the scheme, follows redirects (each hop is answered
/// here again) and honours `signal`, and each hop shows in the request log as
/// `outbound GET https://api.example.com/x 200 OK (12ms)`.
public struct OutboundService: Sendable {
    /// A function answering a subrequest.
    public typealias Handler = @Sendable (Request) async throws -> Response

    /// What a ``routes(_:unmatched:)`` service does with a host it has no route for.
    public enum Unmatched: Sendable {
        /// Fails the `fetch` with an ``UnroutedFetchError`` naming the URL and the routes.
        case fail
        /// Sends it over the network.
        case network
    }

    enum Kind: Sendable {
        case network
        case handler(Handler)
        case routes([String: Handler], unmatched: Unmatched)
        case forward(URL)
    }

    let kind: Kind

    /// The network (AsyncHTTPClient): what `edge dev` does by default.
    public static let network = OutboundService(kind: .network)

    /// No subrequest leaves: each `fetch` fails with an ``UnroutedFetchError`` naming its URL.
    /// `Emulator.test` uses it unless told otherwise, so a test never reaches the internet.
    public static let failing = OutboundService(kind: .routes([:], unmatched: .fail))

    /// `handler` answers every subrequest (`outboundService: (request) => ...`).
    public static func handler(_ handler: @escaping Handler) -> OutboundService {
        OutboundService(kind: .handler(handler))
    }

    /// Each subrequest goes to the handler of its host (`"api.example.com"`, or
    /// `"127.0.0.1:9999"` for one port only); others fail (``Unmatched/fail``, the default) or go
    /// to the network.
    public static func routes(_ routes: [String: Handler], unmatched: Unmatched = .fail) -> OutboundService {
        OutboundService(kind: .routes(Dictionary(uniqueKeysWithValues: routes.map { ($0.key.lowercased(), $0.value) }), unmatched: unmatched))
    }

    /// Every subrequest goes to `origin` (scheme, host and port replaced, path and query kept),
    /// with `X-Forwarded-Host` and `X-Forwarded-Proto` naming the host and scheme it was meant
    /// for: a local stub server standing in for every API (`edge dev --outbound-to`).
    public static func forward(to origin: URL) -> OutboundService {
        OutboundService(kind: .forward(origin))
    }

    /// The handler of `url`'s host, if a route names it (`host:port` first, then `host`).
    func route(for url: URL, in routes: [String: Handler]) -> Handler? {
        let host = url.host?.lowercased() ?? ""
        if let port = url.port, let handler = routes["\(host):\(port)"] { return handler }
        return routes[host]
    }
}

/// A subrequest that an ``OutboundService`` has no route for: the test (or `edge dev`) did not
/// say who answers its host.
public struct UnroutedFetchError: Error, Sendable, CustomStringConvertible {
    /// The subrequest's method and URL.
    public let method: String
    /// The subrequest's URL.
    public let url: URL
    /// The hosts that have routes.
    public let routedHosts: [String]

    public var description: String {
        let hosts = routedHosts.isEmpty ? "none" : routedHosts.sorted().joined(separator: ", ")
        return "Error: no outbound route answers \(method) \(url.absoluteString) (routed hosts: \(hosts)). "
            + "Add a route for \"\(url.host ?? "")\" to the emulator's OutboundService, or pass unmatched: .network."
    }
}
