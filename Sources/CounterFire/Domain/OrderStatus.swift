/// An order's status: `received -> preparing -> ready -> completed`, and
/// `received | preparing | ready -> cancelled`. `completed` and `cancelled` are terminal.
public enum OrderStatus: String, Codable, Sendable, CaseIterable {
    case received, preparing, ready, completed, cancelled

    /// Whether a ticket in this status is still open (shown on the kitchen board).
    public var isOpen: Bool { self != .completed && self != .cancelled }

    /// Whether the contract allows a change from this status to `next`.
    public func canChange(to next: OrderStatus) -> Bool {
        switch (self, next) {
        case (.received, .preparing), (.preparing, .ready), (.ready, .completed): true
        case (.received, .cancelled), (.preparing, .cancelled), (.ready, .cancelled): true
        default: false
        }
    }
}

/// The kind of an `order_event` row.
public enum OrderEventType: String, Codable, Sendable {
    case created = "order.created"
    case statusChanged = "order.status_changed"
}
