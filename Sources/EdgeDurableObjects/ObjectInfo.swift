import Foundation

/// Where an object is in its lifecycle, as the control API reports it (production's states,
/// which no other emulator exposes).
public enum ObjectState: String, Sendable, Hashable, Codable {
    /// In memory, handling something: an event, `waitUntil` work, a streaming response.
    case active
    /// In memory with nothing in flight; leaves memory when the idle timer fires.
    case idle
    /// Out of memory; the host keeps its hibernatable WebSockets open.
    case hibernated
    /// Out of memory with nothing open (never constructed, evicted, or reset).
    case inactive
}

/// One object, for ``DurableObjectRuntime/list()`` and ``DurableObjectRuntime/inspect(binding:target:)``.
public struct ObjectInfo: Sendable, Hashable, Codable {
    /// The id (with its name, when known).
    public let id: DurableObjectId
    /// Where the object is.
    public let state: ObjectState
    /// Open WebSockets: hibernatable ones plus plain ones of the live instance.
    public let sockets: Int
    /// Open hibernatable WebSockets (held by the host, hibernated or not).
    public let hibernatableSockets: Int
    /// How many times the constructor has run since the runtime started.
    public let constructions: Int
    /// Events in flight (requests, calls, alarms, WebSocket events).
    public let inFlight: Int
    /// Events waiting at the input gate (behind `blockConcurrencyWhile`, or an eviction).
    public let queued: Int
    /// The pending alarm, if any.
    public let alarm: Date?

    /// `id.name`.
    public var name: String? { id.name }

    private enum CodingKeys: String, CodingKey {
        case id, name, state, sockets, hibernatableSockets, constructions, inFlight, queued, alarm
    }

    /// Encodes the id as hex and the alarm as milliseconds since the epoch (as `getAlarm()`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.hex, forKey: .id)
        try container.encodeIfPresent(id.name, forKey: .name)
        try container.encode(state, forKey: .state)
        try container.encode(sockets, forKey: .sockets)
        try container.encode(hibernatableSockets, forKey: .hibernatableSockets)
        try container.encode(constructions, forKey: .constructions)
        try container.encode(inFlight, forKey: .inFlight)
        try container.encode(queued, forKey: .queued)
        try container.encodeIfPresent(alarm.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }, forKey: .alarm)
    }
}

extension ObjectInfo {
    /// Reads what ``encode(to:)`` writes (the control API's answer, as `edge do list` reads it).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = DurableObjectId(
            hex: try container.decode(String.self, forKey: .id), name: try container.decodeIfPresent(String.self, forKey: .name))
        state = try container.decode(ObjectState.self, forKey: .state)
        sockets = try container.decode(Int.self, forKey: .sockets)
        hibernatableSockets = try container.decode(Int.self, forKey: .hibernatableSockets)
        constructions = try container.decode(Int.self, forKey: .constructions)
        inFlight = try container.decode(Int.self, forKey: .inFlight)
        queued = try container.decode(Int.self, forKey: .queued)
        alarm = try container.decodeIfPresent(Int64.self, forKey: .alarm).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}

/// One binding and its objects, for ``DurableObjectRuntime/list()``.
public struct NamespaceInfo: Sendable, Hashable, Codable {
    /// The binding name (`ORDER_HUB`).
    public let binding: String
    /// The class (`OrderHub`).
    public let className: String
    /// Its objects in memory or on disk, by name, then id.
    public let objects: [ObjectInfo]
}

/// Which objects a control operation acts on.
public enum ObjectTarget: Sendable, Hashable {
    /// The object `idFromName(name)`.
    case name(String)
    /// The object with this 64-hex-digit id.
    case id(String)
    /// Every object of the binding.
    case all
}

/// What a forced eviction does with the object's hibernatable WebSockets (Miniflare's
/// `unsafeEvictDurableObject` option of the same name).
public enum WebSocketDisposition: String, Sendable, Hashable, Codable, CaseIterable {
    /// Keep them open in the host: the object is hibernated, and their next message wakes it.
    case hibernate
    /// Close them as dropped connections (1006).
    case close
}
