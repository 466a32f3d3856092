import EdgeDurableObjects
import EdgeRuntime
import Foundation
import HTTPTypes

/// `POST /v1/restaurants/{rid}/orders`, `GET /v1/orders/{id}`, `POST /v1/orders/{id}/status`.
struct OrderRoutes {
    let env: Env
    let ctx: ExecutionContext
    var store: OrderStore { OrderStore(db: env.DB) }

    struct Created: Encodable {
        let order: Ticket
        let tracker_token: String
        let tracker_url: String

        /// The JSON response, written as the hub writes its messages: the same bytes as
        /// `Response.json(self, options: .contract)` (tested), without an encoder on every create.
        func response(status: HTTPResponse.Status) -> Response {
            var out = JSONWriter()
            out.key("order", first: true)
            out.ticket(order)
            out.key("tracker_token")
            out.string(tracker_token)
            out.key("tracker_url")
            out.string(tracker_url)
            out.end()
            return Response(out.text, status: status, headers: ["content-type": "application/json"])
        }
    }

    struct OrderWithEvents: Encodable {
        let order: Ticket
        let events: [OrderEvent]
    }

    struct StatusChanged: Encodable {
        let order: Ticket
        let event: OrderEvent?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(order, forKey: .order)
            try container.encode(event, forKey: .event)  // `"event": null` when nothing was written
        }
        enum CodingKeys: String, CodingKey { case order, event }
    }

    func create(_ request: Request, restaurant: String) async throws -> Response {
        guard RestaurantID.isValid(restaurant) else { throw APIError.restaurantNotFound }
        let key = try IdempotencyKey.validate(request.headers.get("idempotency-key"))
        let body = try await JSONBody.read(request)
        let input = try CreateOrderInput.parse(body)
        let outcome = try await store.createOrder(
            restaurant: restaurant, input: input, idempotencyKey: key, requestHash: input.canonicalHash)
        switch outcome {
        case .created(let ticket, _, let token):
            HubNotice.send(env: env, ctx: ctx, restaurant: restaurant)
            return created(ticket, token, request).response(status: .created)
        case .replayed(let ticket, let token):
            // A retry after an ambiguous failure (the first attempt committed, then its answer
            // was lost) never sent the first attempt's notice: send it now. A repeated notice
            // changes nothing, because the hub reads the log.
            HubNotice.send(env: env, ctx: ctx, restaurant: restaurant)
            return created(ticket, token, request).response(status: .ok)
        }
    }

    func read(_ request: Request, order id: String) async throws -> Response {
        guard KitchenKey.presented(in: request) != nil else { throw APIError.unauthorized }
        let ticket = try await store.existingTicket(order: id)
        try await KitchenKey.verify(request, restaurant: ticket.restaurantID, store: store)
        return Response.json(OrderWithEvents(order: ticket, events: try await store.events(order: id)), options: .contract)
    }

    func changeStatus(_ request: Request, order id: String) async throws -> Response {
        guard KitchenKey.presented(in: request) != nil else { throw APIError.unauthorized }
        let current = try await store.existingTicket(order: id)
        try await KitchenKey.verify(request, restaurant: current.restaurantID, store: store)
        let input = try StatusChangeInput.parse(try await JSONBody.read(request))
        switch try await store.changeStatus(current, to: input.status, expectedSeq: input.expectedSeq) {
        case .changed(let ticket, let event):
            HubNotice.send(env: env, ctx: ctx, restaurant: ticket.restaurantID)
            return Response.json(StatusChanged(order: ticket, event: event), options: .contract)
        case .unchanged(let ticket):
            // Perhaps the retry of a change that committed while its answer was lost: notify,
            // as the first attempt could not.
            HubNotice.send(env: env, ctx: ctx, restaurant: ticket.restaurantID)
            return Response.json(StatusChanged(order: ticket, event: nil), options: .contract)
        }
    }

    private func created(_ ticket: Ticket, _ token: String, _ request: Request) -> Created {
        var origin = URLComponents()
        origin.scheme = request.url.scheme
        origin.host = request.url.host
        origin.port = request.url.port
        origin.path = "/track/\(token)"
        return Created(order: ticket, tracker_token: token, tracker_url: origin.string ?? "/track/\(token)")
    }
}

extension CreateOrderInput {
    /// SHA-256 of the body's canonical JSON: the same order written with other spacing or key
    /// order is the same request for Idempotency-Key purposes.
    ///
    /// The form is what `JSONEncoder` with `.sortedKeys` writes for `{customer_name?, items}`
    /// (slashes escaped), written by hand; `HandWrittenJSONTests` compares the bytes, so keys
    /// stored by earlier versions still match.
    var canonicalHash: String {
        crypto.subtle.digest(.sha256, canonicalJSON).hexString
    }

    var canonicalJSON: [UInt8] {
        var out = JSONWriter()
        out.escapesSlashes = true
        if let customerName {
            out.key("customer_name", first: true)
            out.string(customerName)
            out.key("items")
        } else {
            out.key("items", first: true)
        }
        out.items(items)
        out.end()
        return out.bytes
    }
}
