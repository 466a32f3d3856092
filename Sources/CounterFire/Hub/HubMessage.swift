import EdgeRuntime
import Foundation

/// The messages of the KDS and tracker streams, encoded once and sent to every subscriber.
enum HubMessage {
    struct Snapshot: Encodable {
        let type = "snapshot"
        let cursor: Int
        let tickets: [Ticket]
    }

    struct Event: Encodable {
        let type = "event"
        let cursor: Int
        let event: OrderEvent
        let ticket: Ticket
    }

    struct TrackerSnapshot: Encodable {
        let type = "snapshot"
        let order: TrackerView
    }

    struct TrackerEvent: Encodable {
        let type = "event"
        let event: OrderEvent
        let order: TrackerView
    }

    struct Heartbeat: Encodable {
        let type = "heartbeat"
        let cursor: Int
    }
}
