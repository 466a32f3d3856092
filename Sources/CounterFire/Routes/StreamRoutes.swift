import EdgeDurableObjects
import EdgeRuntime
import Foundation

/// `GET /v1/kds/stream`, `GET /v1/track/{token}` and `GET /v1/track/{token}/stream`: checks
/// keys and tokens, then hands the stream to the restaurant's hub.
struct StreamRoutes {
    let env: Env
    var store: OrderStore { OrderStore(db: env.DB) }

    func kitchen(_ request: Request) async throws -> Response {
        guard KitchenKey.presented(in: request) != nil else { throw APIError.unauthorized }
        guard let restaurant = request.searchParams.get("restaurant") else {
            throw APIError.invalidField("restaurant", "is required (?restaurant=<id>).")
        }
        guard RestaurantID.isValid(restaurant) else { throw APIError.restaurantNotFound }
        try await KitchenKey.verify(request, restaurant: restaurant, store: store)
        var query: [URLQueryItem] = []
        if let after = request.searchParams.get("after") { query.append(URLQueryItem(name: "after", value: after)) }
        do {
            return try await env.ORDER_HUB.getByName(restaurant).fetch(forwarded(request, path: "/kds", query: query))
        } catch let error as DurableObjectError where error.code == .tooManyWebSockets {
            throw APIError.tooManyConnections(error.message)
        }
    }

    func tracker(_ request: Request, token: String) async throws -> Response {
        guard let ticket = try await ticket(token: token) else { throw APIError.trackerNotFound }
        struct Body: Encodable { let order: TrackerView }
        return Response.json(Body(order: ticket.trackerView), options: .contract)
    }

    func trackerStream(_ request: Request, token: String) async throws -> Response {
        guard let ticket = try await ticket(token: token) else { throw APIError.trackerNotFound }
        var query = [URLQueryItem(name: "order", value: ticket.id)]
        if let after = request.searchParams.get("after") { query.append(URLQueryItem(name: "after", value: after)) }
        return try await env.ORDER_HUB.getByName(ticket.restaurantID)
            .fetch(forwarded(request, path: "/track", query: query))
    }

    private func ticket(token: String) async throws -> Ticket? {
        guard (16...128).contains(token.utf8.count) else { return nil }
        return try await store.ticket(trackerTokenHash: crypto.subtle.digest(.sha256, Array(token.utf8)).hexString)
    }

    /// The request the hub sees: its own path, the resume position, and the headers that matter
    /// (upgrade and `Last-Event-ID`); never the kitchen key.
    private func forwarded(_ request: Request, path: String, query: [URLQueryItem]) -> Request {
        var components = URLComponents()
        components.scheme = "http"
        components.host = "order-hub"
        components.path = path
        components.queryItems = query
        var headers = request.headers
        headers.delete("authorization")
        return Request(url: components.url!, method: request.method, headers: headers, body: request.body)
    }
}
