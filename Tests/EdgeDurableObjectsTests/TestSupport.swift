import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Logging
import Synchronization
import Testing

/// A runtime over a fresh temporary state directory and a virtual clock, with every test class
/// bound under its own binding name. Shut down and removed after the test.
struct Harness: Sendable {
    let root: URL
    let clock: VirtualClock
    let runtime: DurableObjectRuntime
    let recorder: Recorder

    static let bindings: [(binding: String, className: String)] = [
        ("COUNTER", "Counter"), ("SOCKETS", "SocketHub"), ("LOADER", "Loader"), ("QUIET", "Quiet"),
        ("LEGACY", "Legacy"),
    ]
    static let classes: [DurableObjectClass] = [Counter.self, SocketHub.self, Loader.self, Quiet.self, Legacy.self]

    /// Runs `body` with a harness; `root` reuses a state directory (for restarts).
    static func run(
        root: URL? = nil, clock: VirtualClock = VirtualClock(), lifecycle: LifecycleSettings = LifecycleSettings(),
        recorder: Recorder = Recorder(), _ body: (Harness) async throws -> Void
    ) async throws {
        let directory = root ?? FileManager.default.temporaryDirectory.appendingPathComponent("edge-do-\(UUID().uuidString)")
        let harness = try make(root: directory, clock: clock, lifecycle: lifecycle, recorder: recorder)
        do {
            try await body(harness)
        } catch {
            await harness.runtime.shutdown()
            if root == nil { try? FileManager.default.removeItem(at: directory) }
            throw error
        }
        await harness.runtime.shutdown()
        if root == nil { try? FileManager.default.removeItem(at: directory) }
    }

    /// A harness that the caller shuts down (for tests that restart on the same directory).
    static func make(root: URL, clock: VirtualClock, lifecycle: LifecycleSettings = LifecycleSettings(), recorder: Recorder) throws
        -> Harness
    {
        let runtime = try DurableObjectRuntime(
            workerName: "test", stateRoot: root, classes: classes, bindings: bindings,
            sqliteClasses: ["Counter", "SocketHub", "Loader", "Quiet"], clock: clock, lifecycle: lifecycle,
            logger: Logger(label: "edge-test"))
        var resources = runtime.namespaces()
        resources["RECORDER"] = recorder
        runtime.attach(bindings: Bindings(resources: resources))
        return Harness(root: root, clock: clock, runtime: runtime, recorder: recorder)
    }

    func counter(_ name: String) -> DurableObjectStub<Counter> {
        namespace("COUNTER", Counter.self).getByName(name)
    }

    func sockets(_ name: String) -> DurableObjectStub<SocketHub> {
        namespace("SOCKETS", SocketHub.self).getByName(name)
    }

    func namespace<O: DurableObject>(_ binding: String, _ type: O.Type) -> DurableObjectNamespace<O> {
        runtime.namespaces()[binding] as! DurableObjectNamespace<O>
    }

    /// The object `name` of `binding` as the control API shows it.
    func info(_ binding: String, _ name: String) throws -> ObjectInfo {
        try #require(try runtime.inspect(binding: binding, target: .name(name)).first)
    }
}

/// What the test objects did, in order, plus knobs the tests turn.
final class Recorder: Sendable {
    private let state = Mutex<(entries: [String], alarmFailures: Int)>(([], 0))
    /// Held by `Loader`'s constructor-time load until opened.
    let loadLatch = Latch()

    func record(_ entry: String) {
        state.withLock { $0.entries.append(entry) }
    }

    var entries: [String] { state.withLock { $0.entries } }

    func entries(startingWith prefix: String) -> [String] {
        entries.filter { $0.hasPrefix(prefix) }
    }

    /// The next `count` alarm runs throw.
    func failAlarms(_ count: Int) {
        state.withLock { $0.alarmFailures = count }
    }

    func takeAlarmFailure() -> Bool {
        state.withLock { state in
            guard state.alarmFailures > 0 else { return false }
            state.alarmFailures -= 1
            return true
        }
    }
}

/// A gate a test opens.
final class Latch: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let open = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Waits (on real time, briefly) until `condition` holds: for synchronising with tasks, never for
/// lifecycle timing, which runs on the virtual clock.
func eventually(_ what: String, _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !(try condition()) {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting until \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}

/// Expects `body` to throw an error whose description is `description`; returns it.
@discardableResult
func expectError(
    _ description: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> (any Error)? {
    do {
        try await body()
        Issue.record("expected an error: \(description)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(String(describing: error) == description, sourceLocation: sourceLocation)
        return error
    }
}

/// The next event a WebSocket end receives.
func nextEvent(_ iterator: inout WebSocket.Events.Iterator) async -> WebSocketEvent? {
    await iterator.next()
}
