import EdgeD1
import EdgeDurableObjects
import EdgeRuntime

/// CounterFire's bindings, the twin of
/// `interface Env { DB: D1Database; ORDER_HUB: DurableObjectNamespace<OrderHub>; ASSETS: Fetcher }`.
public struct Env: WorkerEnv {
    /// The D1 database with the order log.
    public let DB: D1Database
    /// One OrderHub per restaurant.
    public let ORDER_HUB: DurableObjectNamespace<OrderHub>
    /// The pages (`[assets] binding = "ASSETS"`).
    public let ASSETS: any Fetcher
    /// How far a kitchen or tracker stream may fall behind before the hub disconnects it:
    /// `[vars] HUB_BACKLOG_LIMIT_BYTES` (default 16 MiB).
    public let hubBacklogLimit: Int
    /// The hub notices in flight from this worker (see ``HubNotice``).
    let hubNotices = HubNotices()

    public init(bindings: Bindings) throws {
        DB = try bindings.get("DB")
        ORDER_HUB = try bindings.get("ORDER_HUB")
        ASSETS = try bindings.get("ASSETS", as: (any Fetcher).self)
        hubBacklogLimit = bindings.optionalText("HUB_BACKLOG_LIMIT_BYTES").flatMap { Int($0) } ?? 16 * 1024 * 1024
    }
}
