/// How long idle objects stay in memory, and how long a forced eviction waits.
///
/// The rule (see ``ObjectLifecycle`` and the README): an object with nothing in flight is
/// *idle*. If it is hibernatable (no plain WebSocket), it leaves memory after
/// ``hibernateAfter`` (production and workerd: 10 s), keeping its hibernatable WebSockets
/// open in the host; otherwise it is evicted after ``evictAfter`` (production: 70–140 s),
/// closing its plain WebSockets.
public struct LifecycleSettings: Sendable, Hashable {
    /// Idle time after which a hibernatable object leaves memory (hibernated when it keeps
    /// hibernatable WebSockets, evicted otherwise).
    public var hibernateAfter: Duration
    /// Idle time after which an object kept in memory only by plain (`accept()`ed) WebSockets is
    /// evicted, closing them as a dropped connection (1006).
    public var evictAfter: Duration
    /// How long a forced eviction waits for in-flight events before failing with workerd's
    /// "Timed out waiting to evict Durable Object: it still has active references."
    public var evictionTimeout: Duration
    /// workerd's `preventEviction` (Miniflare's `unsafePreventEviction`): idle objects stay in
    /// memory until evicted by request.
    public var preventEviction: Bool
    /// How many hibernatable WebSockets one object may hold at once (production: 32 768);
    /// `acceptWebSocket` past it fails with ``DurableObjectError`` "Too many WebSockets...".
    public var maxHibernatableWebSockets: Int

    /// Production's timings and limits unless given: 10 s, 70 s, 30 s, 32 768 sockets.
    public init(
        hibernateAfter: Duration = .seconds(10), evictAfter: Duration = .seconds(70),
        evictionTimeout: Duration = .seconds(30), preventEviction: Bool = false,
        maxHibernatableWebSockets: Int = 32_768
    ) {
        self.hibernateAfter = hibernateAfter
        self.evictAfter = evictAfter
        self.evictionTimeout = evictionTimeout
        self.preventEviction = preventEviction
        self.maxHibernatableWebSockets = maxHibernatableWebSockets
    }
}
