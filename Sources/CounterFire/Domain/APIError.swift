import EdgeRuntime
import HTTPTypes

/// An error the API answers with: `{"error": {"code": "<snake_case>", "message": "<text>"}}`.
public struct APIError: Error, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func invalidField(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, "invalid_field", "\(field) \(message)")
    }
    static let invalidJSON = APIError(.badRequest, "invalid_json", "The body is not valid JSON.")
    static let unauthorized = APIError(.unauthorized, "unauthorized", "A valid kitchen key is required: send Authorization: Bearer <key> or ?key=<key>.")
    static let restaurantNotFound = APIError(.notFound, "restaurant_not_found", "No restaurant has that id.")
    static let orderNotFound = APIError(.notFound, "order_not_found", "No order has that id.")
    static let trackerNotFound = APIError(.notFound, "tracker_not_found", "No order has that tracker token.")
    static let payloadTooLarge = APIError(.contentTooLarge, "payload_too_large", "The body is larger than 64 KiB.")
    static let unsupportedMediaType = APIError(.unsupportedMediaType, "unsupported_media_type", "Send the body as application/json.")
    static let idempotencyConflict = APIError(.conflict, "idempotency_conflict", "This Idempotency-Key was used with another body.")
    static let invalidIdempotencyKey = APIError(.badRequest, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters.")

    static func tooManyConnections(_ detail: String) -> APIError {
        APIError(.serviceUnavailable, "too_many_connections", "The kitchen hub cannot take another WebSocket; retry later or use the event stream. \(detail)")
    }
    static func notFound(_ path: String) -> APIError {
        APIError(.notFound, "not_found", "No route for \(path).")
    }
    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIError {
        APIError(.methodNotAllowed, "method_not_allowed", "\(method.rawValue) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: ", ")).")
    }
    static func invalidTransition(from: OrderStatus, to: OrderStatus) -> APIError {
        APIError(.conflict, "invalid_transition", "An order cannot go from \(from.rawValue) to \(to.rawValue).")
    }
    static func seqConflict(expected: Int, actual: Int) -> APIError {
        APIError(.conflict, "seq_conflict", "expected_seq is \(expected) but the ticket's seq is \(actual).")
    }

    /// The JSON response.
    public var response: Response {
        struct Body: Encodable {
            struct Detail: Encodable { let code: String; let message: String }
            let error: Detail
        }
        return Response.json(Body(error: .init(code: code, message: message)), status: status, options: .contract)
    }
}
