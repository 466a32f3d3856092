import EdgeConfig
import EdgeD1
import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Logging
import NIOCore
import Synchronization

/// One worker running locally, as `wrangler dev` runs it: the configuration, the app's
/// ``WorkerModule``, its D1 databases and Durable Objects, and the `Env` built from them.
///
/// ```swift
/// let emulator = try await Emulator(config: config, module: CounterFireWorker.module)
/// let server = try await emulator.start()        // Ready on http://127.0.0.1:8787
/// let response = await emulator.handle(request)  // or in-process, without a socket
/// await emulator.shutdown()
/// ```
///
/// ``handle(_:remoteAddress:)`` routes a request as the server does: the control routes under
/// `/cdn-cgi/` (loopback peers only), then `[assets]`, then the worker's `fetch`.
public final class Emulator: Sendable {
    /// How to assemble the emulator beyond what the config says.
    public struct Options: Sendable {
        /// The state directory (`--persist-to`): `d1/<database>.sqlite`, `do/<worker>-<Class>/`.
        public var stateRoot: URL
        /// Apply pending D1 migrations at start (`--no-migrate` turns it off).
        public var applyMigrations: Bool
        /// Secrets (`.dev.vars`, `--var`); they override `[vars]` of the same name.
        public var secrets: [String: String]
        /// The clock Durable Objects run on (a `VirtualClock` in tests).
        public var clock: any EdgeClock
        /// Idle timings; by default `[dev] hibernate_after` / `evict_after` of the config.
        public var lifecycle: LifecycleSettings?
        /// Where request and lifecycle lines go.
        public var logger: Logger
        /// Who answers the global `fetch` of the worker and its Durable Objects (the network by default).
        public var outbound: OutboundService
        /// Start Durable Object alarms at once; `edge dev`'s next build starts them when it takes
        /// over (`Emulator+HandOver.swift`).
        package var startsAlarms = true
        /// The faults to inject (`Emulator.test(faults:)`, `edge dev --chaos`); `nil`: none, at no cost.
        public var faults: FaultPlan?

        /// Creates options; by default state lives in `.edge/state` and migrations are applied.
        public init(
            stateRoot: URL = URL(fileURLWithPath: ".edge/state"),
            applyMigrations: Bool = true,
            secrets: [String: String] = [:],
            clock: any EdgeClock = SystemClock(),
            lifecycle: LifecycleSettings? = nil,
            logger: Logger = Logger(label: "edge"),
            outbound: OutboundService = .network,
            faults: FaultPlan? = nil
        ) {
            self.outbound = outbound
            self.faults = faults
            self.stateRoot = stateRoot
            self.applyMigrations = applyMigrations
            self.secrets = secrets
            self.clock = clock
            self.lifecycle = lifecycle
            self.logger = logger
        }
    }

    /// The configuration.
    public let config: WranglerConfig
    /// The options it was assembled with.
    public let options: Options
    /// The Durable Object host: namespaces, lifecycle, forced eviction and reset.
    package let durableObjects: DurableObjectRuntime
    /// The D1 databases by binding name (a test reaches one with ``d1(_:)``).
    package let databases: [String: D1Database]
    /// The bindings the worker's `Env` was built from.
    public let bindings: Bindings
    /// The `[assets]` files, when configured.
    package let assets: StaticAssets?
    /// The logger.
    public let logger: Logger

    let worker: WorkerInstance
    let pendingWork = PendingWork()
    /// What every invocation's `IoContext` shares (`Emulator+IoContext.swift`).
    let ioServices: IoContext.Services
    let state = Mutex<(server: RunningServer?, stopped: Bool)>((nil, false))

    /// The worker's session: the workers its service bindings reach (``WorkerGroup``), this one
    /// alone for an emulator made by ``init(config:module:options:)``.
    let session: WorkerDirectory

    /// Opens the databases (applying pending migrations unless disabled, and logging which),
    /// creates the Durable Object namespaces, builds the bindings and the worker's `Env`.
    /// A config whose service bindings or `script_name`s name other workers runs in a
    /// ``WorkerGroup`` with them.
    ///
    /// - Throws: ``ServerError`` naming the binding the worker needs and the config lacks, the
    ///   migration that failed, or the database that could not be opened.
    public convenience init(config: WranglerConfig, module: WorkerModule, options: Options = Options()) async throws {
        let session = WorkerDirectory()
        let parts = try await WorkerGroup.prepare(
            [.init(config: config, module: module, secrets: options.secrets)], options: options, directory: session)
        try await self.init(parts: parts[0], session: session)
    }

    /// One worker of a session, from what ``WorkerGroup`` prepared (`WorkerGroup+Assembly.swift`):
    /// builds its bindings, its `Env` and each named entrypoint's, then registers it in
    /// `session`. On failure, closes what `parts` opened.
    package init(parts: WorkerParts, session: WorkerDirectory) async throws {
        let (config, options, runtime, databases) = (parts.config, parts.options, parts.runtime, parts.databases)
        self.config = config
        self.options = options
        self.logger = options.logger
        self.ioServices = Self.ioServices(options: options)
        Self.logFaults(options)
        self.session = session
        var resources = parts.links
        for (binding, database) in databases { resources[binding] = database }
        let assets = config.assets.map { StaticAssets(directory: $0.directory) }
        if let binding = config.assets?.binding, let assets { resources[binding] = assets }
        let bindings = Bindings(
            vars: config.vars.mapValues(\.stringValue),
            secrets: options.secrets,
            resources: resources
        )
        if options.startsAlarms { runtime.attach(bindings: bindings) }
        let entrypoints: [String: @Sendable (ExecutionContext) -> any Sendable]
        do {
            self.worker = try parts.module.instantiate(bindings: bindings)
            entrypoints = try Dictionary(
                parts.module.entrypoints.map { ($0.entrypointName, try $0.factory(bindings: bindings)) },
                uniquingKeysWith: { first, _ in first })
        } catch {
            await parts.close()
            throw ServerError.startup("\(config.path.path): \(error)")
        }
        self.durableObjects = runtime
        self.databases = databases
        self.bindings = bindings
        self.assets = assets
        session.register(config.name, .init(emulator: self, entrypoints: entrypoints))
    }

    /// The D1 database bound as `binding`.
    public func d1(_ binding: String) -> D1Database? {
        databases[binding]
    }

    // MARK: requests

    /// Handles one request as the server does, without a socket: the control routes (only when
    /// `remoteAddress` is a loopback address), then `[assets]`, then the worker. A worker that
    /// throws, or returns a response workerd would refuse to construct, gives a 500 (the error
    /// is logged as wrangler shows an uncaught exception).
    public func handle(_ request: Request, remoteAddress: SocketAddress? = LoopbackPeer.inProcess) async -> Response {
        if let response = await controlResponse(request, remoteAddress: remoteAddress) {
            return response
        }
        if let response = assets?.response(for: request) {
            return response
        }
        return await fetch(request)
    }

    /// The worker's `fetch`, with the error handling of ``handle(_:remoteAddress:)``.
    func fetch(_ request: Request) async -> Response {
        let logger = self.logger
        let ctx = ExecutionContext { error in logger.error("Uncaught (in waitUntil) \(error)") }
        let io = invocationContext(for: request)
        let response: Response
        do {
            response = try await IoContext.$current.withValue(io) { try await worker.fetch(request, ctx: ctx) }
                .validated(logger: logger)
        } catch {
            logger.error("Uncaught \(error)")
            response = Response("\(error)", status: .internalServerError)
        }
        pendingWork.track(ctx)
        end(io, of: response, ctx: ctx)
        return response
    }

    // MARK: serving

    /// Starts serving on `host:port` (by default `[dev] ip` and `port`; port 0 picks a free
    /// one), with `[dev]`'s connection timeouts and cap, and logs `Ready on <url>`.
    /// - Throws: ``ServerError/addressInUse(host:port:)`` when the port is taken.
    public func start(host: String? = nil, port: Int? = nil) async throws -> RunningServer {
        let host = host ?? config.dev.ip
        let port = port ?? config.dev.port
        guard state.withLock({ $0.server == nil && !$0.stopped }) else {
            throw ServerError.startup("The emulator is already serving, or has been shut down.")
        }
        let server = try await RunningServer.start(host: host, port: port, logger: logger, limits: config.dev.connections) { [self] request, peer in
            await self.handle(request, remoteAddress: peer)
        }
        let refused: Bool = state.withLock { state in
            guard state.server == nil, !state.stopped else { return true }
            state.server = server
            return false
        }
        if refused {
            await server.shutdown(gracePeriod: .zero)
            throw ServerError.startup("The emulator is already serving, or has been shut down.")
        }
        logger.info("\(StartupBanner.readyLine(url: server.url))")
        if !config.triggers.crons.isEmpty {
            logger.info(
                "Scheduled Workers are not automatically triggered during local development. To manually trigger a scheduled event, run: curl \"\(server.url)/cdn-cgi/local/scheduled\""
            )
        }
        return server
    }

    /// The bindings table and `Ready on <url>`, as wrangler dev prints them at start.
    package func startupBanner(url: String) -> [String] {
        StartupBanner.lines(config: config, secretNames: options.secrets.keys, url: url)
    }

    /// Stops everything, gracefully: the server (see ``RunningServer/shutdown(gracePeriod:)``),
    /// then `waitUntil` work still running (within what is left of `gracePeriod`), then the
    /// Durable Objects (their WebSockets close with 1001), then the databases. Calling it again
    /// does nothing.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let (server, first): (RunningServer?, Bool) = state.withLock { state in
            defer { state = (nil, true) }
            return (state.server, !state.stopped)
        }
        guard first else { return }
        let deadline = ContinuousClock.now + gracePeriod
        if let server {
            logger.info("Shutting down")
            await server.shutdown(gracePeriod: gracePeriod)
        }
        await pendingWork.settle(until: deadline)
        await durableObjects.shutdown()
        databases.values.forEach { $0.close() }
        session.remove(config.name)
    }
}
