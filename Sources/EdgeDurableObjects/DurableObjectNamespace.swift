/// `DurableObjectNamespace<Object>`: the binding through which a worker reaches the objects of
/// one class (`env.ORDER_HUB`).
///
/// Making an id or a stub does not construct anything: the object is constructed by the first
/// event sent through a stub.
public final class DurableObjectNamespace<Object: DurableObject>: Sendable {
    let namespace: ActorNamespace

    init(_ namespace: ActorNamespace) {
        self.namespace = namespace
    }

    /// `ns.idFromName(name)`: the id derived from `name`, the same every time (and the same as
    /// `wrangler dev` derives for the same worker and class).
    public func idFromName(_ name: String) -> DurableObjectId {
        namespace.ids.idFromName(name)
    }

    /// `ns.newUniqueId()`: a random id.
    public func newUniqueId() -> DurableObjectId {
        namespace.ids.newUniqueId()
    }

    /// `ns.idFromString(hex)`: the id of `hex`, or workerd's `TypeError` when it is not 64 hex
    /// digits or was not made by this namespace.
    public func idFromString(_ hex: String) throws -> DurableObjectId {
        try namespace.ids.idFromString(hex)
    }

    /// `ns.get(id)`: a stub for the object.
    public func get(_ id: DurableObjectId) -> DurableObjectStub<Object> {
        DurableObjectStub(id: id, namespace: namespace)
    }

    /// `ns.getByName(name)`: `get(idFromName(name))`.
    public func getByName(_ name: String) -> DurableObjectStub<Object> {
        get(idFromName(name))
    }
}
