import EdgeConfig
import EdgeDurableObjects
import Foundation

/// Several workers in one process, as `wrangler dev -c app.toml -c api.toml` runs them: the first
/// config's worker is the primary and serves the port; the others are reachable only through the
/// bindings of the session (Cloudflare's "Developing with multiple Workers": "Additional configs
/// run as auxiliary Workers, available via service bindings").
///
/// ```swift
/// let group = try await WorkerGroup([
///     .init(config: app, module: AppWorker.module),
///     .init(config: api, module: ApiWorker.module),
/// ], options: options)
/// let server = try await group.start()        // the primary's [dev] ip and port
/// await group.shutdown()
/// ```
///
/// Each worker is an ``Emulator`` of its own: its vars and secrets, D1 databases, Durable
/// Objects, assets and request log. Between them:
/// - `[[services]]` bindings: a `Fetcher` (`env.API.fetch(request)`) for a worker's default
///   export, a `Service<Entrypoint>` (`fetch` and `call { }` RPC) for a named entrypoint;
/// - a Durable Object binding with `script_name` is the other worker's namespace itself: the
///   objects live in that worker (ids and `<state>/do/<that worker>-<Class>/`, as in production).
///
/// Nothing goes over a network between them. The state directory, clock, logger and outbound
/// service of `options` are shared; each member brings its own secrets.
public final class WorkerGroup: Sendable {
    /// One worker of the group.
    public struct Member: Sendable {
        /// Its configuration.
        public var config: WranglerConfig
        /// The module the executable registered for it.
        public var module: WorkerModule
        /// Its secrets (its `.dev.vars`, `--var`).
        public var secrets: [String: String]

        /// Creates a member.
        public init(config: WranglerConfig, module: WorkerModule, secrets: [String: String] = [:]) {
            self.config = config
            self.module = module
            self.secrets = secrets
        }
    }

    /// The workers, in the order of their configs.
    public let workers: [Emulator]
    private let directory: WorkerDirectory

    /// The first config's worker: the one that serves.
    public var primary: Emulator { workers[0] }

    /// The worker named `name`, if the group has it.
    public func worker(_ name: String) -> Emulator? {
        workers.first { $0.config.name == name }
    }

    /// Assembles every worker: checks the configs against each other and against the modules
    /// (each error names the file, the line and the field), opens each worker's databases
    /// (applying migrations), creates the Durable Object namespaces, links the bindings and
    /// builds each `Env`.
    ///
    /// - Throws: ``ServerError`` with the first problem; nothing is left open.
    public init(_ members: [Member], options: Emulator.Options = Emulator.Options()) async throws {
        let directory = WorkerDirectory()
        self.workers = try await Self.assemble(members, options: options, directory: directory)
        self.directory = directory
    }

    /// Serves the primary worker on `host:port` (by default its `[dev] ip` and `port`).
    public func start(host: String? = nil, port: Int? = nil) async throws -> RunningServer {
        try await primary.start(host: host, port: port)
    }

    /// Shuts the primary down first (its server drains), then the others; then the service
    /// bindings between them stop resolving.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        await primary.shutdown(gracePeriod: gracePeriod)
        for worker in workers.dropFirst() {
            await worker.shutdown(gracePeriod: gracePeriod)
        }
        directory.removeAll()
    }
}
