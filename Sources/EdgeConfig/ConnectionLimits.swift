/// The `[dev]` fields that bound what one client connection may hold (Edge extensions: wrangler
/// has no such fields, its dev server workerd has fixed values).
///
/// ```toml
/// [dev]
/// header_timeout = 15      # seconds to send a whole request head (0: no limit)
/// body_timeout = 60        # seconds a request body may go without a byte (0: no limit)
/// keep_alive_timeout = 65  # seconds an idle keep-alive connection stays open (0: no limit)
/// max_connections = 4096   # open connections at most (default: half of `ulimit -n`)
/// ```
///
/// The defaults are what production HTTP servers use:
/// - `header_timeout` 15 s is workerd's, the server behind `wrangler dev` (capnproto
///   `kj/compat/http.h`, `HttpServerSettings::headerTimeout`, which workerd's `server.c++` leaves
///   at its default). Node's `server.headersTimeout` and nginx's `client_header_timeout` are 60 s.
/// - `body_timeout` 60 s is nginx's `client_body_timeout`, which, as here, counts between two
///   reads, not the whole body; workerd has none, Node only a whole-request `requestTimeout` (300 s).
/// - `keep_alive_timeout` 65 s is Node's `server.keepAliveTimeout` since nodejs/node#62782 (it was
///   5 s, workerd's `pipelineTimeout` still is; nginx's `keepalive_timeout` is 75 s). A server
///   that closes idle connections before its clients do races them: a client reusing a connection
///   as the server closes it sees a reset. Clients and proxies close theirs after 60 s
///   (AsyncHTTPClient's pool, common load balancers), so 65 s lets them go first.
/// - `max_connections`: Node's `server.maxConnections` and Hummingbird have no cap by default,
///   nginx 512 `worker_connections`. Edge defaults to half the process's open-file limit, so the
///   cap is reached (and answered with a clear 503) well before `accept` fails for lack of files,
///   leaving the other half to SQLite files and outbound connections.
///
/// WebSockets and `text/event-stream` responses are not timed: they keep their own liveness
/// (pings, heartbeats).
public struct ConnectionLimits: Sendable, Equatable {
    /// The default `header_timeout`: workerd's `headerTimeout`.
    public static let defaultHeaderTimeout = Duration.seconds(15)
    /// The default `body_timeout`: nginx's `client_body_timeout`.
    public static let defaultBodyTimeout = Duration.seconds(60)
    /// The default `keep_alive_timeout`: Node's `server.keepAliveTimeout`.
    public static let defaultKeepAliveTimeout = Duration.seconds(65)

    /// `header_timeout` (seconds): how long a client has to send a whole request head, counted
    /// from the connection's opening for its first request and from the first byte for later
    /// ones. Past it a client that sent part of a head gets 408 and the connection closes; one
    /// that sent nothing is closed without a response. `nil` (written `0`): no limit.
    public var headerTimeout: Duration?

    /// `body_timeout` (seconds): how long a request body may go without a byte. Past it the
    /// client gets 408 (unless the response has begun) and the connection closes; the handler
    /// reading the body gets an error. `nil` (written `0`): no limit.
    public var bodyTimeout: Duration?

    /// `keep_alive_timeout` (seconds): how long a connection may stay open with no request after
    /// its last response. Past it the connection is closed. `nil` (written `0`): no limit.
    public var keepAliveTimeout: Duration?

    /// `max_connections`: how many connections may be open at once; past it new connections get
    /// 503 with `Connection: close` while those open carry on. `nil`: half the process's open-file
    /// limit (`ulimit -n`), decided when the server starts.
    public var maxConnections: Int?

    /// Creates limits; every value has the default described above.
    public init(
        headerTimeout: Duration? = Self.defaultHeaderTimeout,
        bodyTimeout: Duration? = Self.defaultBodyTimeout,
        keepAliveTimeout: Duration? = Self.defaultKeepAliveTimeout,
        maxConnections: Int? = nil
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.keepAliveTimeout = keepAliveTimeout
        self.maxConnections = maxConnections
    }
}
