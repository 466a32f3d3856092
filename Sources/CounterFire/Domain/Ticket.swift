/// One line of an order.
public struct OrderItem: Codable, Sendable, Equatable {
    public var name: String
    public var quantity: Int
    public var notes: String?
}

/// The kitchen's view of an order (the contract's `Ticket`).
public struct Ticket: Codable, Sendable, Equatable {
    public var id: String
    public var restaurantID: String
    public var number: Int
    public var status: OrderStatus
    public var items: [OrderItem]
    public var customerName: String?
    /// The seq of the last event applied to this ticket.
    public var seq: Int
    public var createdAt: String
    public var updatedAt: String
    public var statusTimes: [String: String]

    enum CodingKeys: String, CodingKey {
        case id, number, status, items, seq
        case restaurantID = "restaurant_id"
        case customerName = "customer_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case statusTimes = "status_times"
    }

    /// The customer's view of the same order.
    public var trackerView: TrackerView {
        TrackerView(orderID: id, number: number, status: status, seq: seq, statusTimes: statusTimes)
    }
}

/// One entry of the log (the contract's `Event`).
public struct OrderEvent: Codable, Sendable, Equatable {
    public var orderID: String
    public var seq: Int
    public var cursor: Int
    public var type: OrderEventType
    public var status: OrderStatus
    public var at: String

    enum CodingKeys: String, CodingKey {
        case seq, cursor, type, status, at
        case orderID = "order_id"
    }
}

/// The customer's view of an order (the contract's `TrackerView`).
public struct TrackerView: Codable, Sendable, Equatable {
    public var orderID: String
    public var number: Int
    public var status: OrderStatus
    public var seq: Int
    public var statusTimes: [String: String]

    enum CodingKeys: String, CodingKey {
        case number, status, seq
        case orderID = "order_id"
        case statusTimes = "status_times"
    }
}
