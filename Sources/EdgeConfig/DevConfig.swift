/// `[dev]`: how `edge dev` serves the Worker and how long idle Durable Objects stay in memory.
///
/// `ip` and `port` are wrangler's fields. `hibernate_after` and `evict_after` are Edge's own:
/// wrangler has no setting for them. Production hibernates an idle object after about 10 seconds
/// and evicts it after 70 to 140 seconds; Edge uses fixed delays so tests are repeatable.
///
/// ```toml
/// [dev]
/// ip = "127.0.0.1"
/// port = 8787
/// hibernate_after = 10   # seconds, Edge extension
/// evict_after = 70       # seconds, Edge extension
/// ```
///
/// `header_timeout`, `body_timeout`, `keep_alive_timeout` and `max_connections` (Edge extensions)
/// are ``connections``: see ``ConnectionLimits``.
public struct DevConfig: Sendable, Equatable {
    /// Edge's default `ip`. wrangler listens on `localhost`; Edge binds IPv4 loopback explicitly.
    public static let defaultIP = "127.0.0.1"

    /// The default `port`, as wrangler's.
    public static let defaultPort = 8787

    /// The default `hibernate_after`, production's hibernation delay.
    public static let defaultHibernateAfter = Duration.seconds(10)

    /// The default `evict_after`, the shortest eviction delay production uses.
    public static let defaultEvictAfter = Duration.seconds(70)

    /// `ip`: the address the dev server listens on.
    public var ip: String

    /// `port`: the port the dev server listens on, 1 to 65535.
    public var port: Int

    /// `hibernate_after` (Edge extension, seconds): how long an object whose only connections are
    /// hibernatable WebSockets stays in memory before it hibernates.
    public var hibernateAfter: Duration

    /// `evict_after` (Edge extension, seconds): how long an idle object stays in memory before it is evicted.
    public var evictAfter: Duration

    /// The connection timeouts and cap (Edge extensions).
    public var connections: ConnectionLimits

    /// Creates dev settings; every value has wrangler's or Edge's default.
    public init(
        ip: String = Self.defaultIP,
        port: Int = Self.defaultPort,
        hibernateAfter: Duration = Self.defaultHibernateAfter,
        evictAfter: Duration = Self.defaultEvictAfter,
        connections: ConnectionLimits = ConnectionLimits()
    ) {
        self.ip = ip
        self.port = port
        self.hibernateAfter = hibernateAfter
        self.evictAfter = evictAfter
        self.connections = connections
    }
}
