import EdgeDurableObjects

/// The JSON bodies of the Durable Object control API (`/cdn-cgi/edge/durable-objects`, see
/// ``DurableObjectControl``): the server writes and reads these types, and `edge do` decodes and
/// encodes the same ones, so the two cannot drift apart.
package enum ControlAPI {
    /// `GET /cdn-cgi/edge/durable-objects`: every binding with its objects.
    package struct Listing: Codable, Sendable {
        package let namespaces: [NamespaceInfo]

        package init(namespaces: [NamespaceInfo]) {
            self.namespaces = namespaces
        }
    }

    /// The body of `POST .../{binding}/evict` and `.../reset`: exactly one of `name`, `id` and
    /// `all: true`, and for an eviction optionally `websockets`. `websockets` is the text as
    /// sent, so that a value other than `hibernate` or `close` is refused with its own message.
    package struct Selection: Codable, Sendable {
        package var name: String?
        package var id: String?
        package var all: Bool?
        package var websockets: String?

        package init(target: ObjectTarget, webSockets: WebSocketDisposition? = nil) {
            switch target {
            case .name(let name): self.name = name
            case .id(let id): self.id = id
            case .all: all = true
            }
            websockets = webSockets?.rawValue
        }

        /// The fields a selection may have, for the refusal of any other.
        static let fieldNames: Set<String> = ["name", "id", "all", "websockets"]
    }

    /// The answer to an eviction: the ids (hex) of the objects that were in memory.
    package struct Evicted: Codable, Sendable {
        package let evicted: [String]
    }

    /// The answer to a reset: the ids (hex) of the objects reset.
    package struct Reset: Codable, Sendable {
        package let reset: [String]
    }

    /// Every refusal: `{"error": {"code": "...", "message": "..."}}`.
    package struct Failure: Codable, Sendable {
        package struct Detail: Codable, Sendable {
            /// A stable code, such as `invalid_target` or `unknown_binding`.
            package let code: String
            /// What is wrong, in words.
            package let message: String
        }

        package let error: Detail
    }
}
