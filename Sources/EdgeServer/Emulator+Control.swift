import EdgeDurableObjects
import EdgeRuntime
import Foundation
import HTTPTypes
import NIOCore

// The emulator's controls, in-process (methods) and over HTTP (routes under `/cdn-cgi/`, served
// to loopback peers only):
//
// | route                                                  | method                        |
// |--------------------------------------------------------|-------------------------------|
// | GET  /cdn-cgi/local/scheduled?cron=&time=&format=json   | scheduled(cron:scheduledTime:) |
// | GET  /cdn-cgi/edge/durable-objects[/{binding}]          | listDurableObjects()          |
// | POST /cdn-cgi/edge/durable-objects/{binding}/evict      | evict(binding:target:webSockets:) |
// | POST /cdn-cgi/edge/durable-objects/{binding}/reset      | reset(binding:target:)        |
// | GET/POST /cdn-cgi/edge/chaos                            | faults (`ChaosControl.swift`) |

extension Emulator {
    /// Every Durable Object binding with its objects (`GET /cdn-cgi/edge/durable-objects`).
    public func listDurableObjects() -> [NamespaceInfo] {
        durableObjects.list()
    }

    /// Forcibly evicts objects (see `DurableObjectRuntime.evict`); returns the ids that were in memory.
    @discardableResult
    public func evict(binding: String, target: ObjectTarget, webSockets: WebSocketDisposition = .hibernate) async throws -> [DurableObjectId] {
        try await durableObjects.evict(binding: binding, target: target, webSockets: webSockets)
    }

    /// Resets objects as a code update does (see `DurableObjectRuntime.reset`); returns the ids reset.
    @discardableResult
    public func reset(binding: String, target: ObjectTarget) async throws -> [DurableObjectId] {
        try await durableObjects.reset(binding: binding, target: target)
    }

    /// The `/cdn-cgi/` control routes; `nil` for any other path.
    func controlResponse(_ request: Request, remoteAddress: SocketAddress?) async -> Response? {
        let path = RequestLog.pathname(of: request.url)
        let route: ControlRoute
        switch path {
        case "/cdn-cgi/local/scheduled", "/cdn-cgi/handler/scheduled", "/cdn-cgi/mf/scheduled":
            route = .scheduled
        case _ where path == DurableObjectControl.prefix || path.hasPrefix(DurableObjectControl.prefix + "/"):
            route = .durableObjects
        case ChaosControl.path:
            route = .chaos
        case _ where path == "/cdn-cgi/edge" || path.hasPrefix("/cdn-cgi/edge/"):
            route = .unknown
        default:
            return nil
        }
        guard LoopbackPeer.isLoopback(remoteAddress) else {
            logger.warning("Refused \(request.method.rawValue) \(path) from \(remoteAddress?.ipAddress ?? "an unknown peer"): control routes are served to loopback clients only")
            return ControlError.forbidden.response
        }
        switch route {
        case .scheduled:
            return await scheduledResponse(request)
        case .durableObjects:
            return await DurableObjectControl(emulator: self).respond(to: request, path: path)
        case .chaos:
            return await ChaosControl(plan: faults).respond(to: request)
        case .unknown:
            return ControlError(
                status: .notFound, code: "not_found",
                message: "No control route \(path). Routes: \(DurableObjectControl.prefix)[/{binding}[/evict|/reset]], \(ChaosControl.path), /cdn-cgi/local/scheduled."
            ).response
        }
    }

    private enum ControlRoute {
        case scheduled, durableObjects, chaos, unknown
    }
}

/// A control route's error: `{"error": {"code", "message"}}` with a fitting status, the shape
/// of CounterFire's API errors.
struct ControlError: Error {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    static let forbidden = ControlError(
        status: .forbidden, code: "forbidden",
        message: "The emulator's control routes are served to loopback clients (127.0.0.0/8, ::1) only."
    )

    var response: Response {
        Response.json(ControlAPI.Failure(error: .init(code: code, message: message)), status: status)
    }
}
