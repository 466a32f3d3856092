import ArgumentParser
import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import Foundation
import Logging

/// `edge dev`: serves the worker locally, like `wrangler dev`.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Serve the worker locally, with its D1 databases and Durable Objects.",
        discussion: """
            Applies pending D1 migrations first (unless --no-migrate), then serves on http://<ip>:<port>.
            Control routes for loopback clients: /cdn-cgi/local/scheduled?cron=... and
            /cdn-cgi/edge/durable-objects (list, evict, reset) and /cdn-cgi/edge/chaos (with --chaos).
            Ctrl-C stops gracefully.
            """
    )

    @OptionGroup var options: ConfigOptions

    @OptionGroup var reload: ReloadOptions

    @OptionGroup var connectionLimits: ConnectionLimitOptions

    @Option(help: "Address to listen on (default: [dev] ip, else 127.0.0.1).")
    var ip: String?

    @Option(help: "Port to listen on; 0 picks a free one (default: [dev] port, else 8787).")
    var port: Int?

    @Option(name: .customLong("var"), help: ArgumentHelp("A variable for env, overriding [vars] and .dev.vars.", valueName: "KEY=VALUE"))
    var vars: [String] = []

    @Flag(name: .customLong("no-migrate"), help: "Do not apply pending D1 migrations at start.")
    var noMigrate = false

    @Option(name: .customLong("hibernate-after"), help: "Seconds an idle Durable Object waits before hibernating (default: [dev] hibernate_after, else 10).")
    var hibernateAfter: Double?

    @Option(name: .customLong("evict-after"), help: "Seconds an idle Durable Object that cannot hibernate waits before eviction (default: [dev] evict_after, else 70).")
    var evictAfter: Double?

    @Option(name: .customLong("log-level"), help: "Which log lines to show.")
    var logLevel: LogLevel = .info

    @Option(name: .customLong("outbound-to"), help: ArgumentHelp("Send every outbound fetch of the worker to this origin (a local stub), path and query kept, the intended host in X-Forwarded-Host.", valueName: "URL"))
    var outboundTo: String?

    @Option(name: .customLong("chaos"), help: ArgumentHelp(
        "Inject production's failures (evictions, resets, stub, D1 and fetch errors, dropped sockets, slow I/O, failing alarms), seeded: --chaos alone is the default profile; --chaos=seed=7,reset=0.02,d1-after-commit=every:50 sets a seed and rates. Each fault is logged; GET/POST /cdn-cgi/edge/chaos reads and changes it.",
        valueName: "SPEC"))
    var chaos: String?

    func validate() throws {
        for entry in vars where Self.split(entry) == nil {
            throw ValidationError("--var expects KEY=VALUE, got '\(entry)'.")
        }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535, got \(port).") }
        if let chaos {
            do {
                _ = try FaultSpec(parsing: chaos)
            } catch {
                throw ValidationError("--chaos: \(error.description)")
            }
        }
        if let outboundTo, Self.origin(outboundTo) == nil {
            throw ValidationError("--outbound-to expects an http:// or https:// origin such as http://127.0.0.1:9999, got '\(outboundTo)'.")
        }
    }

    func run() async throws {
        var configs = try options.loadAll()
        configs[0].dev.connections = connectionLimits.applied(to: configs[0].dev.connections)
        let config = configs[0]
        let level = logLevel.loggerLevel ?? .critical
        LoggingSystem.bootstrap { ConsoleLogHandler(label: $0, logLevel: level) }
        let logger = Logger(label: "edge")
        // Live reload: a supervisor runs each build as a child (`DevCommand+Reload.swift`).
        let child = try reload.child()
        if child == nil, let status = try await reload.superviseIfWatching(
            configs: configs, host: ip ?? config.dev.ip, port: port ?? config.dev.port, logger: logger)
        {
            if status != 0 { throw ExitCode(status) }
            return
        }

        let members = try members(of: configs)
        var lifecycle = LifecycleSettings(hibernateAfter: config.dev.hibernateAfter, evictAfter: config.dev.evictAfter)
        if let hibernateAfter { lifecycle.hibernateAfter = .milliseconds(Int(hibernateAfter * 1000)) }
        if let evictAfter { lifecycle.evictAfter = .milliseconds(Int(evictAfter * 1000)) }

        let workers: WorkerGroup
        let server: RunningServer
        do {
            var settings = Emulator.Options(
                stateRoot: options.stateRoot, applyMigrations: !noMigrate,
                lifecycle: lifecycle, logger: logger,
                outbound: outboundTo.flatMap(Self.origin).map(OutboundService.forward(to:)) ?? .network,
                faults: try chaos.map { try FaultSpec(parsing: $0).plan() })
            settings.startsAlarms = child == nil  // a reload's build starts them when it takes over
            workers = try await WorkerGroup(members, options: settings)
            for member in members where child?.isFirst ?? true {
                if members.count > 1 { Terminal.print("Worker \"\(member.config.name)\":") }
                for line in StartupBanner.bindingLines(config: member.config, secretNames: member.secrets.keys) { Terminal.print(line) }
            }
            if let child {
                server = try await child.serve(workers, logger: logger)
            } else {
                server = try await workers.start(host: ip ?? config.dev.ip, port: port ?? config.dev.port)
            }
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        if logLevel == .none, child?.isFirst ?? true { Terminal.print(StartupBanner.readyLine(url: server.url)) }
        if !config.triggers.crons.isEmpty, child?.isFirst ?? true {
            Terminal.print("Scheduled Workers are not automatically triggered during local development. To manually trigger a scheduled event, run: curl \"\(server.url)/cdn-cgi/local/scheduled\"")
        }
        if let child {
            await child.waitForEnd(workers, logger: logger)
            return
        }
        let signal = await ShutdownSignal.wait()
        logger.info("Received \(signal): shutting down")
        await workers.shutdown()
    }

    /// The origin of `--outbound-to`, if it is an http(s) URL with a host.
    static func origin(_ text: String) -> URL? {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else { return nil }
        return url
    }

    static func split(_ entry: String) -> (String, String)? {
        guard let index = entry.firstIndex(where: { $0 == "=" || $0 == ":" }), index != entry.startIndex else { return nil }
        return (String(entry[..<index]), String(entry[entry.index(after: index)...]))
    }
}
