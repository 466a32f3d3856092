import ArgumentParser
import EdgeConfig
import EdgeServer
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `edge dev`'s live reload options. wrangler has no command-line flag for it; its
/// `unstable_dev` / `startWorker` API calls it `dev.watch` ("Whether the worker server restarts
/// upon source/config file changes", on by default), hence `--watch` / `--no-watch`.
struct ReloadOptions: ParsableArguments {
    @Flag(
        inversion: .prefixedNo,
        help: "Rebuild and swap the worker when a Swift source, Package.swift, the config, .dev.vars, a migration or an asset changes, without dropping a request.")
    var watch = true

    @Option(
        name: .customLong("build-command"),
        help: ArgumentHelp(
            "Shell command that rebuilds this executable after a source change (default: the swift build that built it: same package, scratch path, configuration and product).",
            valueName: "COMMAND"))
    var buildCommand: String?

    /// Set by the supervisor for each build it starts: the inherited listening socket.
    @Option(name: .customLong("listen-fd"), help: .hidden)
    var listenFD: Int32?

    /// Set by the supervisor: its end of the `ReloadLink`.
    @Option(name: .customLong("control-fd"), help: .hidden)
    var controlFD: Int32?

    /// Set by the supervisor: 1 for the first build, then one more per reload.
    @Option(name: .customLong("generation"), help: .hidden)
    var generation = 1

    /// This process as one build under `edge dev`'s supervisor, or `nil` when it serves alone.
    func child() throws -> ReloadChild? {
        guard let listenFD, let controlFD else { return nil }
        let socket: ListeningSocket
        do {
            socket = try ListeningSocket.inherited(listenFD)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        _ = fcntl(controlFD, F_SETFD, FD_CLOEXEC)
        return ReloadChild(socket: socket, link: ReloadLink(descriptor: controlFD), generation: generation)
    }
}

/// One build of the worker under `edge dev`'s supervisor (`DevSupervisor.swift`).
struct ReloadChild: Sendable {
    let socket: ListeningSocket
    let link: ReloadLink
    let generation: Int

    /// The first build prints the bindings and the ready line; a reload does not repeat them.
    var isFirst: Bool { generation == 1 }

    /// Says `prepared`, waits for `serve`, then starts the alarms and accepts on the inherited
    /// socket. A supervisor that has gone ends the process.
    func serve(_ workers: WorkerGroup, logger: Logger) async throws -> RunningServer {
        link.send(.prepared)
        guard await link.expect(.serve) else { Self.supervisorGone(logger) }
        workers.startAlarms()
        let server = try await workers.start(listeningOn: socket)
        if isFirst {
            logger.info("\(StartupBanner.readyLine(url: server.url))")
            if !workers.primary.config.triggers.crons.isEmpty {
                logger.info(
                    "Scheduled Workers are not automatically triggered during local development. To manually trigger a scheduled event, run: curl \"\(server.url)/cdn-cgi/local/scheduled\""
                )
            }
        }
        link.send(.serving)
        return server
    }

    /// Serves until the supervisor asks for a hand-over (then hands over and exits), or SIGINT
    /// or SIGTERM (then shuts down as `edge dev` alone does).
    func waitForEnd(_ workers: WorkerGroup, logger: Logger) async {
        enum End: Sendable {
            case signal(String)
            case handOver
            case supervisorGone
        }
        let (ends, continuation) = AsyncStream<End>.makeStream()
        Task { continuation.yield(.signal(await ShutdownSignal.wait())) }
        Task { [link] in continuation.yield(await link.next() == .handover ? .handOver : .supervisorGone) }
        for await end in ends {
            switch end {
            case .signal(let signal):
                logger.info("Received \(signal): shutting down")
                await workers.shutdown()
            case .handOver:
                await workers.handOver()
                link.send(.released)
            case .supervisorGone:
                Self.supervisorGone(logger)
            }
            return
        }
    }

    /// The supervisor was killed: this build must not outlive it (a new `edge dev` on the same
    /// state would run the same Durable Objects), so it ends at once, as if killed with it.
    private static func supervisorGone(_ logger: Logger) -> Never {
        logger.error("edge dev's supervisor has gone: stopping at once")
        _exit(1)
    }
}

extension ReloadOptions {
    /// With `--watch` (the default), outside a build the supervisor started, and in a package
    /// this executable can be rebuilt from: binds `host:port`, runs the session
    /// (`DevSupervisor`) and returns its exit status. `nil` when this process serves alone.
    func superviseIfWatching(configs: [WranglerConfig], host: String, port: Int, logger: Logger) async throws -> Int32? {
        guard watch, listenFD == nil, let config = configs.first else { return nil }
        let located = PackageBuild.locate(config: config.path, buildCommand: buildCommand)
        guard let build = located.build else {
            logger.debug("Not watching for changes: \(located.reason ?? "")")
            return nil
        }
        let socket: ListeningSocket
        do {
            socket = try ListeningSocket.bind(host: host, port: port)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        let supervisor = DevSupervisor(
            socket: socket, build: build, arguments: Array(CommandLine.arguments.dropFirst()), configs: configs.map(\.path), logger: logger)
        return await supervisor.run()
    }
}
