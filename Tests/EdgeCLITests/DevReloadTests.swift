@testable import EdgeCLI
import EdgeServer
import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Live reload of `edge dev`, with the real `edge` binary as its own supervisor and children.
/// A full `swift build` per reload would make the test take minutes, so the package the test
/// makes names a quick build step with `--build-command` (`scripts/init-check.sh` runs the real
/// `swift build` on a generated package); everything else is the real session: inotify, the
/// inherited socket, the hand-over, CounterFire's hub and D1 on disk.
@Suite(.serialized) struct DevReloadTests {
    @Test func reloadsUnderLoadWithoutAFailedRequestAndTheBoardCatchesUp() async throws {
        try await withTemporaryDirectory { package in
            try Self.makePackage(at: package)
            let dev = try DevSession(["--port", "0", "--persist-to", "state", "--build-command", "sh build.sh"], in: package)
            defer { dev.kill() }
            let url = try await dev.waitFor("Ready on ")
            let port = try #require(UInt16(url.split(separator: ":").last.map(String.init) ?? ""))

            let board = KitchenBoard(port: port)
            Thread.detachNewThread { board.run() }
            try await until("the board has its snapshot") { board.connects.withLock { $0 } >= 1 }

            let load = ClosedLoop(port: port, clients: 4)
            load.start()
            try await until("orders flow before any reload") { load.created.withLock { $0.count } >= 20 }

            // 1. A new migration: no build, the new child applies it before it takes over.
            try "CREATE TABLE reload_probe (id INTEGER PRIMARY KEY);\n"
                .write(to: package.appendingPathComponent("migrations/0003_reload_probe.sql"), atomically: true, encoding: .utf8)
            try await dev.waitFor("Reloaded in", count: 1)
            #expect(dev.text.contains("migrations/0003_reload_probe.sql changed: reloading"), "\(dev.text)")
            #expect(dev.text.contains("Applied migration 0003_reload_probe.sql"), "\(dev.text)")
            #expect(dev.text.contains("(no build needed)"))
            try await load.progress(by: 20)

            // 2. A Swift source: the build command runs, then the swap.
            try Self.touchSource(in: package)
            try await dev.waitFor("Reloaded in", count: 2)
            #expect(dev.text.contains("Sources/App/App.swift changed: rebuilding (sh build.sh)"), "\(dev.text)")
            #expect(dev.text.contains("(build "))
            #expect(try String(contentsOf: package.appendingPathComponent("builds.log"), encoding: .utf8) == "built\n")
            try await load.progress(by: 20)

            // 3. A build error: printed with file:line; the running build keeps serving.
            try "".write(to: package.appendingPathComponent("build-error"), atomically: true, encoding: .utf8)
            try Self.touchSource(in: package)
            try await dev.waitFor("The previous build keeps serving.")
            #expect(dev.text.contains("✘ [ERROR] Build failed: Sources/App/App.swift:3:5: cannot find 'boom' in scope"), "\(dev.text)")
            try await load.progress(by: 20)
            try FileManager.default.removeItem(at: package.appendingPathComponent("build-error"))

            // 4. The config: read again by the new build (here it moves [assets] to public2/).
            let config = package.appendingPathComponent("wrangler-like.toml")
            let text = try String(contentsOf: config, encoding: .utf8)
            try text.replacingOccurrences(of: #"directory = "public""#, with: #"directory = "public2""#)
                .write(to: config, atomically: true, encoding: .utf8)
            try await dev.waitFor("Reloaded in", count: 3)
            try await load.progress(by: 20)
            let page = try await EdgeProcess.offThePool { try RawConnection(port: port).request("GET", "/") }
            #expect(page.body == "<h1>reloaded assets</h1>\n")

            let summary = await load.stop()
            #expect(summary.failures.isEmpty, "failed requests: \(summary.failures.prefix(5))\n\(dev.text)")
            #expect(summary.completed > 80)

            // The board: every order exactly once, across three reloads that closed it with 1012.
            let created = load.created.withLock { $0 }
            try await until("the board has every order") { board.orders.withLock { Set($0).isSuperset(of: created) } }
            board.stop()
            let seen = board.orders.withLock { $0 }
            #expect(seen.count == Set(seen).count, "an order reached the board twice")
            #expect(board.closeCodes.withLock { $0 } == [1012, 1012, 1012], "\(board.closeCodes.withLock { $0 })")
            // Never two live instances of the hub across builds (both print to this one output):
            // each construction follows the previous instance's reset (or eviction).
            var live = false
            for line in dev.text.split(separator: "\n") where line.contains("OrderHub demo") {
                if line.contains("constructed") {
                    #expect(!live, "the hub was constructed while another instance was live:\n\(dev.text)")
                    live = true
                } else if line.contains("reset") || line.contains("evicted") || line.contains("hibernated") {
                    live = false
                }
            }
            #expect(dev.text.components(separatedBy: "reset (code update)").count - 1 == 3)

            #expect(await dev.stop() == 0, "\(dev.text)")
        }
    }

    @Test func noWatchServesInTheProcessItself() async throws {
        try await withTemporaryDirectory { package in
            try Self.makePackage(at: package)
            let watching = try DevSession(["--port", "0", "--persist-to", "state", "--build-command", "sh build.sh"], in: package)
            defer { watching.kill() }
            _ = try await watching.waitFor("Ready on ")
            #expect(!watching.children.isEmpty, "a watching edge dev serves from a child it supervises")
            #expect(await watching.stop() == 0)

            let alone = try DevSession(["--port", "0", "--persist-to", "state", "--no-watch"], in: package)
            defer { alone.kill() }
            _ = try await alone.waitFor("Ready on ")
            #expect(alone.children.isEmpty, "--no-watch serves in the process itself")
            #expect(await alone.stop() == 0)
        }
    }

    @Test func aNewBuildThatCannotStartLeavesTheOldOneServing() async throws {
        try await withTemporaryDirectory { package in
            try Self.makePackage(at: package)
            let dev = try DevSession(["--port", "0", "--persist-to", "state", "--build-command", "sh build.sh"], in: package)
            defer { dev.kill() }
            let url = try await dev.waitFor("Ready on ")
            let port = try #require(UInt16(url.split(separator: ":").last.map(String.init) ?? ""))
            let config = package.appendingPathComponent("wrangler-like.toml")
            let text = try String(contentsOf: config, encoding: .utf8)
            try text.replacingOccurrences(of: #"class_name = "OrderHub""#, with: #"class_name = "Nope""#)
                .write(to: config, atomically: true, encoding: .utf8)
            try await dev.waitFor("The new build did not start")
            #expect(dev.text.contains(#"names the class "Nope", which the worker does not register"#), "\(dev.text)")
            let health = try await EdgeProcess.offThePool { try RawConnection(port: port).request("GET", "/v1/health") }
            #expect(health.status == 200)
            #expect(await dev.stop() == 0)
        }
    }

    @Test func theWatcherSeesNewDirectoriesAndSkipsEditorsTemporaryFiles() async throws {
        try await withTemporaryDirectory { root in
            let sources = root.appendingPathComponent("Sources")
            try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
            let watcher = try FileWatcher(targets: [.init(directory: sources.path, recursive: true, names: nil)])
            defer { watcher.stop() }
            var changes = watcher.changes.makeAsyncIterator()

            try FileManager.default.createDirectory(at: sources.appendingPathComponent("New"), withIntermediateDirectories: true)
            _ = await changes.next()  // the new directory itself
            try "x".write(to: sources.appendingPathComponent("New/.File.swift.swp"), atomically: false, encoding: .utf8)
            try "x".write(to: sources.appendingPathComponent("New/File.swift~"), atomically: false, encoding: .utf8)
            try "let x = 1\n".write(to: sources.appendingPathComponent("New/File.swift"), atomically: true, encoding: .utf8)
            let batch = await changes.next() ?? []
            #expect(batch == [sources.path + "/New/File.swift"], "\(batch)")
        }
    }

    @Test func buildErrorsAreReadWithFileAndLine() {
        let build = PackageBuild(root: URL(fileURLWithPath: "/p"), executable: "/p/.build/debug/app", command: "swift build").errors(
            in: """
                [3/5] Compiling App App.swift
                /p/Sources/App/App.swift:12:7: error: cannot find 'x' in scope
                 10 | let a = 1
                    |       `- error: cannot find 'x' in scope
                /p/Sources/App/App.swift:12:7: error: cannot find 'x' in scope
                /other/Thing.swift:1:2: error: expected declaration
                error: fatalError
                """)
        #expect(build == ["Sources/App/App.swift:12:7: cannot find 'x' in scope", "/other/Thing.swift:1:2: expected declaration"])
    }

    // MARK: the package

    /// A package directory the real `edge` (CounterFire) can serve and watch: `Package.swift`
    /// (only its presence matters), a source, CounterFire's config, migrations and assets, and a
    /// build step that fails while `build-error` exists, with a compiler's file:line error.
    static func makePackage(at package: URL) throws {
        let files = FileManager.default
        try "// The package root edge dev watches.\n".write(to: package.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try files.createDirectory(at: package.appendingPathComponent("Sources/App"), withIntermediateDirectories: true)
        try touchSource(in: package)
        try files.copyItem(at: EdgeProcess.repositoryRoot.appendingPathComponent("wrangler-like.toml"), to: package.appendingPathComponent("wrangler-like.toml"))
        try files.copyItem(at: EdgeProcess.repositoryRoot.appendingPathComponent("migrations"), to: package.appendingPathComponent("migrations"))
        try files.copyItem(at: EdgeProcess.repositoryRoot.appendingPathComponent("public"), to: package.appendingPathComponent("public"))
        try files.createDirectory(at: package.appendingPathComponent("public2"), withIntermediateDirectories: true)
        try "<h1>reloaded assets</h1>\n".write(to: package.appendingPathComponent("public2/index.html"), atomically: true, encoding: .utf8)
        try """
            if [ -f build-error ]; then
              echo "$PWD/Sources/App/App.swift:3:5: error: cannot find 'boom' in scope" >&2
              exit 1
            fi
            echo built >> builds.log

            """.write(to: package.appendingPathComponent("build.sh"), atomically: true, encoding: .utf8)
    }

    static func touchSource(in package: URL) throws {
        try "let edited = \"\(UUID().uuidString)\"\n".write(to: package.appendingPathComponent("Sources/App/App.swift"), atomically: true, encoding: .utf8)
    }
}

/// Waits until `condition` holds; fails after a bound that only catches a hang.
func until(_ what: String, timeout: Duration = .seconds(120), _ condition: @escaping @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw EdgeTestError("timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// `edge dev` with its output read as it comes (the session prints a line per reload).
final class DevSession: @unchecked Sendable {
    private let process: ChildProcess
    private let output = Pipe()
    private let buffer = Mutex("")

    init(_ arguments: [String], in directory: URL) throws {
        process = try ChildProcess.spawn(
            executable: EdgeProcess.executable.path, arguments: ["dev"] + arguments, directory: directory.path,
            output: .pipe(output), error: .pipe(output))
        let handle = output.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                buffer.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
    }

    var text: String { buffer.withLock { $0 } }

    /// Waits until `marker` has appeared `count` times; returns the rest of the line of its
    /// first appearance.
    @discardableResult
    func waitFor(_ marker: String, count: Int = 1) async throws -> String {
        try await until("edge dev printed \(marker) \(count) time(s):\n\(text)") { [self] in
            text.components(separatedBy: marker).count - 1 >= count || !process.isRunning
        }
        let output = text
        guard let range = output.range(of: marker) else { throw EdgeTestError("edge dev exited:\n\(output)") }
        return String(output[range.upperBound...].prefix { $0 != "\n" })
    }

    /// The processes this `edge dev` started (its children, from any of its threads).
    var children: [String] {
        let tasks = "/proc/\(process.pid)/task"
        return ((try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []).flatMap { task in
            ((try? String(contentsOfFile: "\(tasks)/\(task)/children", encoding: .utf8)) ?? "").split(separator: " ").map(String.init)
        }
    }

    /// SIGINT, then the exit status.
    func stop() async -> Int32 {
        process.signal(SIGINT)
        return await process.exitStatus()
    }

    func kill() {
        process.signal(SIGTERM)
    }
}

/// Clients that each send one request after another on a keep-alive connection, alternating a
/// health check with an order (the hub Durable Object and D1), and record every failure.
final class ClosedLoop: @unchecked Sendable {
    let port: UInt16
    let clients: Int
    let created = Mutex<[String]>([])
    private let failures = Mutex<[String]>([])
    private let completed = Mutex(0)
    private let running = Mutex(true)
    private let finished = Mutex(0)

    init(port: UInt16, clients: Int) {
        self.port = port
        self.clients = clients
    }

    func start() {
        for client in 0..<clients {
            Thread.detachNewThread { [self] in
                let connection = RawConnection(port: port)
                var round = 0
                while running.withLock({ $0 }) {
                    round += 1
                    do {
                        if round % 2 == 0 {
                            let reply = try connection.request("GET", "/v1/health")
                            if reply.status != 200 { failures.withLock { $0.append("health \(reply.status) \(reply.body)") } }
                        } else {
                            let body = #"{"items":[{"name":"Tea \#(client)-\#(round)","quantity":1}]}"#
                            let reply = try connection.request("POST", "/v1/restaurants/demo/orders", body: body)
                            if reply.status == 201, let id = Self.orderId(reply.body) {
                                created.withLock { $0.append(id) }
                            } else {
                                failures.withLock { $0.append("order \(reply.status) \(reply.body)") }
                            }
                        }
                        completed.withLock { $0 += 1 }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
                finished.withLock { $0 += 1 }
            }
        }
    }

    /// Waits until `count` more requests have completed.
    func progress(by count: Int) async throws {
        let target = completed.withLock { $0 } + count
        try await until("\(count) more requests completed") { [self] in completed.withLock { $0 } >= target }
    }

    func stop() async -> (completed: Int, failures: [String]) {
        running.withLock { $0 = false }
        try? await until("the clients stopped") { [self] in finished.withLock { $0 } == clients }
        return (completed.withLock { $0 }, failures.withLock { $0 })
    }

    static func orderId(_ body: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return nil }
        return (object["id"] ?? (object["order"] as? [String: Any])?["id"]) as? String
    }
}

/// The kitchen board's protocol: a WebSocket on the KDS stream that resumes after each close
/// with `?after=<last cursor applied>`, as `public/kds.js` does.
final class KitchenBoard: @unchecked Sendable {
    let port: UInt16
    let orders = Mutex<[String]>([])
    let closeCodes = Mutex<[UInt16]>([])
    let connects = Mutex(0)
    private let running = Mutex(true)

    init(port: UInt16) {
        self.port = port
    }

    func run() {
        var cursor: Int?
        let connection = RawConnection(port: port)
        while running.withLock({ $0 }) {
            do {
                let after = cursor.map { "&after=\($0)" } ?? ""
                try connection.upgrade("/v1/kds/stream?restaurant=demo&key=demo-kitchen-key\(after)")
                connects.withLock { $0 += 1 }
                reading: while true {
                    switch try connection.nextFrame() {
                    case .close(let code):
                        closeCodes.withLock { $0.append(code) }
                        break reading
                    case .text(let text):
                        guard let message = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
                        if let next = message["cursor"] as? Int { cursor = next }
                        if message["type"] as? String == "event", let event = message["event"] as? [String: Any],
                            event["type"] as? String == "order.created", let id = event["order_id"] as? String
                        {
                            orders.withLock { $0.append(id) }
                        }
                    }
                }
            } catch {
                // A connection refused or cut: the page's reconnect, after a pause.
                usleep(50_000)
            }
        }
        connection.disconnect()
    }

    func stop() {
        running.withLock { $0 = false }
    }
}
