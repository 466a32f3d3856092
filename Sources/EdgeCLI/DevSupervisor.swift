import EdgeConfig
import EdgeServer
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `edge dev` with live reload: the process the user started holds the listening socket and
/// watches the package; each build of the worker runs in a child process (this same executable,
/// `dev --listen-fd 3 --control-fd 4`) that inherits the socket. On a change:
///
/// 1. a Swift source or `Package.swift` changed: the build command runs (`PackageBuild`) while
///    the current child keeps serving; a failed build prints its errors with file:line and
///    stops there. A config, `.dev.vars`, migration or asset change needs no build.
/// 2. a new child starts and prepares (`ReloadLink`): reads the config again, opens the
///    databases, applies new migrations, builds `Env`; it runs no Durable Object and accepts
///    nothing yet. If it cannot start, it says why and the current child keeps serving.
/// 3. the current child hands over (`Emulator.handOver`): it stops accepting (new connections
///    wait in the socket's backlog, none is refused), answers what is in flight with
///    `Connection: close`, ends event streams, closes WebSockets with 1012, then resets every
///    Durable Object as a code update does (events still in flight fail with "Durable Object
///    reset because its code was updated.") and says `released`.
/// 4. only then is the new child told to serve: it starts its alarms and accepts. So a Durable
///    Object is never live in two builds at once, and state on disk carries over.
///
/// `Reloaded in <total> (build <duration>)` ends a reload. Ctrl-C (SIGINT) or SIGTERM stops a
/// build in progress and the child, gracefully.
final class DevSupervisor: @unchecked Sendable {
    private let socket: ListeningSocket
    private let build: PackageBuild
    private let arguments: [String]
    private let configs: [URL]
    private let logger: Logger
    /// How long a handing-over child may take before it is killed (its own grace is 5 s).
    private let handOverTimeout: Duration = .seconds(15)

    private let lock = NSLock()
    private var current: Generation?
    /// Every child not yet exited, by number (a handing-over one and its successor overlap).
    private var live: [Int: Generation] = [:]
    private var building: ChildProcess?
    private var stopping = false
    private var generations = 0
    private var watcher: FileWatcher?
    private var targets: [FileWatcher.Target] = []

    /// One build of the worker, running.
    private struct Generation {
        let number: Int
        let process: ChildProcess
        let link: ReloadLink
        let exit: Task<Int32, Never>
    }

    /// - Parameters:
    ///   - arguments: the `dev ...` arguments this process got, passed on to each child.
    ///   - configs: the configuration files the children read.
    init(socket: ListeningSocket, build: PackageBuild, arguments: [String], configs: [URL], logger: Logger) {
        self.socket = socket
        self.build = build
        self.arguments = arguments
        self.configs = configs
        self.logger = logger
    }

    /// Runs the session until SIGINT or SIGTERM; returns the exit status for the process (the
    /// first build's when it could not start).
    func run() async -> Int32 {
        let signals = Task { [self] in
            let signal = await ShutdownSignal.wait()
            stop(signal)
        }
        defer { signals.cancel() }
        let first: Generation
        switch await start() {
        case .success(let generation): first = generation
        case .failure(let status): return status
        }
        guard await serve(first) else { return await first.exit.value }
        lock.withLock { current = first }
        watch()
        logger.debug("Watching for changes; a source change runs: \(build.command)")

        // One iterator per watcher, kept for its life (dropping it would end its stream).
        var source: (watcher: FileWatcher, changes: AsyncStream<[String]>.Iterator)?
        while let watcher = lock.withLock({ self.watcher }), !lock.withLock({ stopping }) {
            if source?.watcher !== watcher { source = (watcher, watcher.changes.makeAsyncIterator()) }
            guard let batch = await source?.changes.next() else {
                // Stopped, or replaced after a reload moved what to watch: take the next one.
                if lock.withLock({ self.watcher === watcher }) { break }
                continue
            }
            await reload(batch)
        }
        return await finish()
    }

    // MARK: reloading

    private func reload(_ paths: [String]) async {
        let started = ContinuousClock.now
        let sources = paths.filter(needsBuild)
        let shown = Self.display((sources.isEmpty ? paths : sources).map(relative))
        var buildTime: Duration?
        if !sources.isEmpty {
            logger.info("\(shown) changed: rebuilding (\(build.command))")
            let outcome = await build.run { process in lock.withLock { building = process } }
            lock.withLock { building = nil }
            if lock.withLock({ stopping }) { return }
            guard outcome.succeeded else {
                reportBuildFailure(outcome)
                return
            }
            buildTime = outcome.duration
        } else {
            logger.info("\(shown) changed: reloading")
        }
        let next: Generation
        switch await start() {
        case .success(let generation): next = generation
        case .failure(let status):
            if !lock.withLock({ stopping }) {
                Terminal.error("The new build did not start (exit status \(status)). \(keepsServing)")
            }
            return
        }
        let old = lock.withLock { () -> Generation? in
            defer { current = next }
            return current
        }
        if let old { await handOver(old) }
        guard !stopped(next) else { return }
        // One that exits instead of serving is reported by `noticeExit`.
        guard await serve(next) else { return }
        let total = ContinuousClock.now - started
        let detail = buildTime.map { "build \(Self.seconds($0))" } ?? "no build needed"
        logger.info("Reloaded in \(Self.seconds(total)) (\(detail))")
        watch()
    }

    /// Whether the session is stopping; if so, `generation` (not yet serving) stops too.
    private func stopped(_ generation: Generation) -> Bool {
        guard lock.withLock({ stopping }) else { return false }
        generation.process.signal(SIGTERM)
        return true
    }

    /// A child started: prepared, or exited first with its status.
    private enum Started {
        case success(Generation)
        case failure(Int32)
    }

    /// Starts a child and waits until it has prepared; a child that exits first gives its status.
    private func start() async -> Started {
        let number = lock.withLock { () -> Int in
            generations += 1
            return generations
        }
        let ends: (supervisor: CInt, child: CInt)
        let process: ChildProcess
        do {
            ends = try ReloadLink.pair()
            process = try ChildProcess.spawn(
                executable: build.executable,
                arguments: arguments + ["--listen-fd", "3", "--control-fd", "4", "--generation", String(number)],
                descriptors: [(socket.descriptor, 3), (ends.child, 4)])
        } catch {
            Terminal.error("\(error)")
            return .failure(1)
        }
        close(ends.child)
        let link = ReloadLink(descriptor: ends.supervisor)
        let generation = Generation(number: number, process: process, link: link, exit: Task { await process.exitStatus() })
        lock.withLock { live[number] = generation }
        Task { [self] in await noticeExit(of: generation) }
        if stopped(generation) { return .failure(await generation.exit.value) }
        guard await link.expect(.prepared) else { return .failure(await generation.exit.value) }
        if stopped(generation) { return .failure(await generation.exit.value) }
        return .success(generation)
    }

    /// Tells a prepared child to serve; `false` when it exits instead.
    private func serve(_ generation: Generation) async -> Bool {
        generation.link.send(.serve)
        return await generation.link.expect(.serving)
    }

    /// Asks `old` to hand over and waits until it has let its Durable Objects go: it says
    /// `released`, or exits, or is killed after ``handOverTimeout`` (and waited for), so the
    /// next build never serves an object `old` still runs.
    private func handOver(_ old: Generation) async {
        old.link.send(.handover)
        let released = Task { await old.link.expect(.released) }
        let timeout = Task {
            try await Task.sleep(for: handOverTimeout)
            logger.warning("The previous build did not hand over within \(Self.seconds(handOverTimeout)): killing it")
            old.process.signal(SIGKILL)
        }
        if await released.value == false {
            // The link ended without `released`: it exited (or is being killed); wait for it.
            _ = await old.exit.value
        }
        timeout.cancel()
    }

    private func noticeExit(of generation: Generation) async {
        let status = await generation.exit.value
        let (wasCurrent, stopping) = lock.withLock { () -> (Bool, Bool) in
            live[generation.number] = nil
            let wasCurrent = current?.number == generation.number
            if wasCurrent { current = nil }
            return (wasCurrent, self.stopping)
        }
        if wasCurrent, !stopping {
            Terminal.error("The worker exited (status \(status)): nothing serves until the next change rebuilds it.")
        }
    }

    private func reportBuildFailure(_ outcome: PackageBuild.Outcome) {
        let errors = build.errors(in: outcome.output)
        if errors.isEmpty {
            let tail = outcome.output.split(whereSeparator: \.isNewline).suffix(20).joined(separator: "\n")
            Terminal.error("Build failed after \(Self.seconds(outcome.duration)):\n\(tail)")
        } else {
            for error in errors { Terminal.error("Build failed: \(error)") }
        }
        logger.warning("\(keepsServing)")
    }

    /// What serves while a change cannot be applied.
    private var keepsServing: String {
        lock.withLock { current } == nil ? "Nothing serves until the next change." : "The previous build keeps serving."
    }

    // MARK: watching

    /// Watches the package's sources and the children's config, `.dev.vars`, migrations and
    /// assets (read again after each reload, as a config change may move them).
    private func watch() {
        let targets = watchTargets()
        let (unchanged, previous) = lock.withLock { (targets == self.targets && watcher != nil, watcher) }
        if unchanged { return }
        do {
            let replacement = try FileWatcher(targets: targets)
            lock.withLock {
                watcher = replacement
                self.targets = targets
            }
            previous?.stop()
        } catch {
            logger.warning("Not watching for changes: \(error)")
        }
    }

    private func watchTargets() -> [FileWatcher.Target] {
        var targets = [
            FileWatcher.Target(directory: build.root.appendingPathComponent("Sources").path, recursive: true, names: nil),
            FileWatcher.Target(directory: build.root.path, recursive: false, names: ["Package.swift"]),
        ]
        for url in configs {
            targets.append(.init(directory: url.deletingLastPathComponent().path, recursive: false, names: [url.lastPathComponent, DevVars.fileName]))
            guard let config = try? WranglerConfig.load(from: url).config else { continue }
            for database in config.d1Databases {
                targets.append(.init(directory: database.migrationsDirectory.path, recursive: false, names: nil))
            }
            if let assets = config.assets {
                targets.append(.init(directory: assets.directory.path, recursive: true, names: nil))
            }
        }
        var seen = Set<String>()
        return targets.filter { seen.insert("\($0.directory)|\($0.recursive)|\($0.names?.sorted() ?? [])").inserted }
    }

    private func needsBuild(_ path: String) -> Bool {
        let sources = build.root.appendingPathComponent("Sources").path + "/"
        return path.hasPrefix(sources) || path == build.root.appendingPathComponent("Package.swift").path
    }

    private func relative(_ path: String) -> String {
        let prefix = build.root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    // MARK: stopping

    private func stop(_ signal: String) {
        let (children, build, watcher): ([Generation], ChildProcess?, FileWatcher?) = lock.withLock {
            stopping = true
            return (Array(live.values), building, self.watcher)
        }
        logger.debug("Received \(signal): stopping the worker")
        build?.signalGroup(SIGTERM)
        watcher?.stop()
        for child in children { child.process.signal(signal == "SIGTERM" ? SIGTERM : SIGINT) }
    }

    /// Waits for every child still running; the status of the newest.
    private func finish() async -> Int32 {
        let children = lock.withLock { live.values.sorted { $0.number < $1.number } }
        var status: Int32 = 0
        for child in children { status = await child.exit.value }
        return status
    }

    private static func display(_ paths: [String]) -> String {
        paths.count <= 3 ? paths.joined(separator: ", ") : paths.prefix(3).joined(separator: ", ") + " and \(paths.count - 3) more"
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return String(format: "%.2fs", value)
    }
}
