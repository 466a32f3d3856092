import EdgeDurableObjects
import EdgeRuntime

/// `export class Room extends DurableObject`: counts visits, in its own SQLite storage. It lives
/// in the api worker; the web worker binds it with `script_name = "api"`.
public actor Room: DurableObject {
    let state: DurableObjectState

    public init(state: DurableObjectState, env: ApiEnv) {
        self.state = state
    }

    /// One more visit; returns the count.
    public func visit() throws -> Int {
        let visits = (try state.storage.get("visits", as: Int.self) ?? 0) + 1
        try state.storage.put("visits", visits)
        return visits
    }

    public func fetch(_ request: Request) async throws -> Response {
        Response.json(["visits": try state.storage.get("visits", as: Int.self) ?? 0])
    }
}
