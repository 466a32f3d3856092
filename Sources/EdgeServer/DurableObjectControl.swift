import EdgeDurableObjects
import EdgeRuntime
import Foundation
import HTTPTypes

/// The Durable Object control routes of `counterfire-api.md` ("Emulator control"):
///
/// - `GET /cdn-cgi/edge/durable-objects`: every binding and its objects (id, name, state, sockets,
///   constructions, ...); `GET .../{binding}` one binding.
/// - `POST .../{binding}/evict` with `{"name": "..."}`, `{"id": "<64 hex>"}` or `{"all": true}`,
///   and optionally `"websockets": "hibernate"` (the default) or `"close"`: 200
///   `{"evicted": [ids]}`, empty when nothing was in memory.
/// - `POST .../{binding}/reset` with the same target: 200 `{"reset": [ids]}`.
///
/// Bad input is a 400 with `{"error": {"code", "message"}}` saying what is wrong; an unknown
/// binding is a 404 naming the bindings there are.
struct DurableObjectControl {
    static let prefix = "/cdn-cgi/edge/durable-objects"

    let emulator: Emulator

    func respond(to request: Request, path: String) async -> Response {
        let parts = path.dropFirst(Self.prefix.count).split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        do {
            switch parts.count {
            case 0:
                try allow(request, .get)
                return Response.json(ControlAPI.Listing(namespaces: emulator.listDurableObjects()))
            case 1:
                try allow(request, .get)
                let namespace = try self.namespace(parts[0])
                return Response.json(namespace)
            case 2 where parts[1] == "evict":
                try allow(request, .post)
                _ = try self.namespace(parts[0])
                let body = try await ControlBody(request, allowsWebSockets: true)
                let ids = try await run { try await emulator.evict(binding: parts[0], target: body.target, webSockets: body.webSockets) }
                return Response.json(ControlAPI.Evicted(evicted: ids.map(\.hex)))
            case 2 where parts[1] == "reset":
                try allow(request, .post)
                _ = try self.namespace(parts[0])
                let body = try await ControlBody(request, allowsWebSockets: false)
                let ids = try await run { try await emulator.reset(binding: parts[0], target: body.target) }
                return Response.json(ControlAPI.Reset(reset: ids.map(\.hex)))
            default:
                throw ControlError(
                    status: .notFound, code: "not_found",
                    message: "No control route \(path). Routes: GET \(Self.prefix), GET \(Self.prefix)/{binding}, POST \(Self.prefix)/{binding}/evict, POST \(Self.prefix)/{binding}/reset."
                )
            }
        } catch let error as ControlError {
            return error.response
        } catch {
            return ControlError(status: .internalServerError, code: "internal_error", message: "\(error)").response
        }
    }

    private func allow(_ request: Request, _ method: HTTPRequest.Method) throws(ControlError) {
        guard request.method == method else {
            throw ControlError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method.rawValue) is not allowed here; use \(method.rawValue)."
            )
        }
    }

    private func namespace(_ binding: String) throws(ControlError) -> NamespaceInfo {
        let namespaces = emulator.listDurableObjects()
        guard let namespace = namespaces.first(where: { $0.binding == binding }) else {
            let known = namespaces.map(\.binding)
            throw ControlError(
                status: .notFound, code: "unknown_binding",
                message: "There is no Durable Object binding \"\(binding)\". Bindings: \(known.isEmpty ? "none" : known.joined(separator: ", "))."
            )
        }
        return namespace
    }

    /// Runs an operation; the runtime's refusals (an id of another namespace, an eviction that
    /// timed out) become errors with their text.
    private func run<T>(_ operation: () async throws -> T) async throws(ControlError) -> T {
        do {
            return try await operation()
        } catch let error as DurableObjectError where error.code == .invalidIdFormat || error.code == .idNotInNamespace {
            throw ControlError(status: .badRequest, code: "invalid_id", message: error.description)
        } catch {
            throw ControlError(status: .internalServerError, code: "operation_failed", message: "\(error)")
        }
    }
}

/// The body of an evict or reset request: exactly one of `name`, `id`, `all: true`, and
/// optionally `websockets`.
struct ControlBody {
    let target: ObjectTarget
    let webSockets: WebSocketDisposition

    private static let shape = "{\"name\": \"...\"}, {\"id\": \"<64 hex digits>\"} or {\"all\": true}"

    init(_ request: Request, allowsWebSockets: Bool) async throws(ControlError) {
        let data: Data
        do {
            data = Data(try await request.body.collect(upTo: 64 * 1024).readableBytesView)
        } catch {
            throw ControlError.badBody("The body could not be read: \(error)")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ControlError.badBody("The body must be a JSON object: \(Self.shape).")
        }
        if let unknown = object.keys.sorted().first(where: { !ControlAPI.Selection.fieldNames.contains($0) }) {
            throw ControlError.badBody("Unknown field \"\(unknown)\": expected \(Self.shape), and optionally \"websockets\".")
        }
        let fields: ControlAPI.Selection
        do {
            fields = try JSONDecoder().decode(ControlAPI.Selection.self, from: data)
        } catch DecodingError.typeMismatch(_, let context) {
            let field = context.codingPath.first?.stringValue ?? "?"
            throw ControlError.invalidTarget(field == "all" ? "\"all\" must be true." : "\"\(field)\" must be a string.")
        } catch {
            throw ControlError.badBody("The body does not match \(Self.shape): \(error)")
        }
        let given = [("name", fields.name != nil), ("id", fields.id != nil), ("all", fields.all != nil)].filter(\.1).map(\.0)
        guard given.count == 1 else {
            throw ControlError.invalidTarget(
                given.isEmpty ? "Name the objects: \(Self.shape)." : "Give only one of \(given.map { "\"\($0)\"" }.joined(separator: ", "))."
            )
        }
        if let name = fields.name {
            target = .name(name)
        } else if let id = fields.id {
            target = .id(id)
        } else if fields.all == true {
            target = .all
        } else {
            throw ControlError.invalidTarget("\"all\" must be true.")
        }
        switch fields.websockets {
        case nil:
            webSockets = allowsWebSockets ? .hibernate : .close
        case let value? where WebSocketDisposition(rawValue: value) != nil:
            guard allowsWebSockets || value == "close" else {
                throw ControlError(
                    status: .badRequest, code: "invalid_websockets",
                    message: "A reset closes every WebSocket; \"websockets\" can only be \"close\" here."
                )
            }
            webSockets = WebSocketDisposition(rawValue: value)!
        case let value?:
            throw ControlError(
                status: .badRequest, code: "invalid_websockets",
                message: "\"websockets\" must be \"hibernate\" or \"close\", not \"\(value)\"."
            )
        }
    }
}

extension ControlError {
    static func badBody(_ message: String) -> ControlError {
        ControlError(status: .badRequest, code: "invalid_json", message: message)
    }

    static func invalidTarget(_ message: String) -> ControlError {
        ControlError(status: .badRequest, code: "invalid_target", message: message)
    }
}
