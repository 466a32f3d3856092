import EdgeRuntime
import Foundation
import HTTPTypes
import Logging

/// The sender an invocation's `IoContext` hands the global `fetch`: one hop of a subrequest,
/// answered as the ``OutboundService`` says and logged as outbound.
package struct OutboundFetcher: Fetcher {
    let service: OutboundService
    let logger: Logger
    /// The emulator's fault plan (`OutboundFetcher+Faults.swift`); `nil`: none.
    let faults: FaultPlan?

    /// A sender answering through `service`, logging to `logger`.
    package init(service: OutboundService, logger: Logger, faults: FaultPlan? = nil) {
        self.service = service
        self.logger = logger
        self.faults = faults
    }

    package func fetch(_ request: Request) async throws -> Response {
        let start = ContinuousClock.now
        do {
            if let faults { try await inject(faults, request) }
            let response = try await answer(request)
            logger.logOutbound(method: request.method, url: request.url, status: response.status, since: start)
            return response
        } catch {
            logger.error("outbound \(request.method.rawValue) \(OutboundFetcher.loggedURL(request.url)) failed: \(OutboundFetcher.logged(error))")
            throw error
        }
    }

    private func answer(_ request: Request) async throws -> Response {
        switch service.kind {
        case .network:
            return try await OutboundHTTPClient.send(request, logger: logger)
        case .handler(let handler):
            return try await handler(request)
        case .routes(let routes, let unmatched):
            if let handler = service.route(for: request.url, in: routes) { return try await handler(request) }
            guard unmatched == .network else {
                throw UnroutedFetchError(method: request.method.rawValue, url: request.url, routedHosts: Array(routes.keys))
            }
            return try await OutboundHTTPClient.send(request, logger: logger)
        case .forward(let origin):
            return try await OutboundHTTPClient.send(Self.forwarded(request, to: origin), logger: logger)
        }
    }

    /// `request` sent to `origin` instead, path and query kept, the intended host and scheme in
    /// `X-Forwarded-Host` and `X-Forwarded-Proto`.
    static func forwarded(_ request: Request, to origin: URL) -> Request {
        var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false) ?? URLComponents()
        let intended = components.port.map { "\(components.host ?? ""):\($0)" } ?? (components.host ?? "")
        components.scheme = origin.scheme
        components.host = origin.host
        components.port = origin.port
        var headers = request.headers
        headers.set("x-forwarded-host", intended)
        headers.set("x-forwarded-proto", request.url.scheme ?? "https")
        return Request(url: components.url ?? origin, method: request.method, headers: headers, body: request.body)
    }

    /// The URL as the log shows it: origin and path, query left out, token-like segments redacted.
    static func loggedURL(_ url: URL) -> String {
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(url.scheme ?? "")://\(url.host ?? "")\(port)\(RequestLog.loggedPath(of: url))"
    }

    /// An error as the log line shows it (a network error with what failed underneath).
    static func logged(_ error: any Error) -> String {
        if let network = error as? NetworkError { return "\(network) (\(network.detail))" }
        return "\(error)"
    }
}

extension Logger {
    /// Logs `outbound GET https://api.example.com/x 200 OK (12ms)` at info level.
    func logOutbound(method: HTTPRequest.Method, url: URL, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        guard logLevel <= .info else { return }
        let line = RequestLog.line(method: method, path: OutboundFetcher.loggedURL(url), status: status, duration: ContinuousClock.now - start)
        info("outbound \(line)")
    }
}
