/// `DurableObjectId`: the 64-hex-digit identity of one Durable Object in a namespace.
///
/// Two ids are equal when their hex strings are (`id.equals(other)`); the `name` an id was
/// derived from travels with it but is not part of its identity. Ids are made by a
/// ``DurableObjectNamespace`` (`idFromName`, `newUniqueId`, `idFromString`), never directly.
public struct DurableObjectId: Sendable, Hashable, CustomStringConvertible {
    /// The id as 64 lowercase hex digits (`id.toString()`).
    public let hex: String
    /// `id.name`: the name passed to `idFromName`, or `nil` for unique ids and for ids read back
    /// with `idFromString`.
    public let name: String?

    init(hex: String, name: String?) {
        self.hex = hex
        self.name = name
    }

    /// `id.toString()`: the 64 hex digits.
    public var description: String { hex }

    /// `id.toString()`.
    public func toString() -> String { hex }

    /// `id.equals(other)`: whether both name the same object.
    public func equals(_ other: DurableObjectId) -> Bool { hex == other.hex }

    public static func == (lhs: DurableObjectId, rhs: DurableObjectId) -> Bool { lhs.hex == rhs.hex }

    public func hash(into hasher: inout Hasher) { hasher.combine(hex) }

    /// The id as the lifecycle log shows it: `OrderHub demo (1f3c…)`, or `OrderHub (1f3c…)`.
    func label(className: String) -> String {
        let short = "\(hex.prefix(4))…"
        if let name { return "\(className) \(name) (\(short))" }
        return "\(className) (\(short))"
    }
}
