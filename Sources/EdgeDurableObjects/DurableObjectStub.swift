import EdgeRuntime

/// `DurableObjectStub`: sends events to one Durable Object.
///
/// Errors thrown by the object's code arrive as ``DurableObjectError`` with `remote` set and the
/// message kept. A reset fails calls in flight with `durableObjectReset` set; calls made after it
/// construct a new instance (the stub stays usable).
public struct DurableObjectStub<Object: DurableObject>: Sendable {
    /// `stub.id`.
    public let id: DurableObjectId
    /// `stub.name`: the name the id was derived from, if any.
    public var name: String? { id.name }
    let namespace: ActorNamespace

    init(id: DurableObjectId, namespace: ActorNamespace) {
        self.id = id
        self.namespace = namespace
    }

    /// `stub.fetch(request)`: delivers `request` to the object's `fetch`.
    ///
    /// A returned WebSocket that the object `accept()`ed keeps the object in memory while open;
    /// a streaming body keeps it active until read to the end.
    public func fetch(_ request: Request) async throws -> Response {
        let container = try self.container()
        return try await deliver(container) { instance in
            let response = try await instance.object.fetch(request)
            container.adopt(response, generation: instance.generation)
            return response
        }
    }

    /// `stub.fetch(url, init)`: builds the request as `new Request(url, init)` does and delivers it.
    /// - Throws: `TypeError` `Invalid URL: <url>` before the object sees anything, as in production.
    public func fetch(_ url: String, _ options: RequestInit = RequestInit()) async throws -> Response {
        try await fetch(Request(url, options))
    }

    /// JavaScript RPC (`await stub.method(args)`): runs `body` inside the object, through its
    /// input gate, as one event:
    ///
    /// ```swift
    /// try await env.ORDER_HUB.getByName(rid).call { try await $0.notify() }
    /// ```
    public func call<R: Sendable>(_ body: nonisolated(nonsending) @escaping @Sendable (Object) async throws -> R) async throws -> R {
        let container = try self.container()
        return try await deliver(container) { instance in
            guard let object = instance.object as? Object else {
                fatalError("the namespace of \(Object.self) constructed a \(type(of: instance.object))")
            }
            return try await body(object)
        }
    }

    func container() throws -> ActorContainer {
        guard namespace.ids.owns(id) else { throw DurableObjectError.idNotInNamespace }
        return namespace.container(for: id)
    }
}
