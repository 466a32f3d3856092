import EdgeRuntime
import Synchronization

/// The workers of one session by name, and the named entrypoints each one exports, for the
/// service bindings between them. Bindings resolve through it at call time, so workers may bind
/// each other in a cycle (A calls B, B calls A) as they may in production.
///
/// Filled once every worker is assembled; emptied at shutdown, which also breaks the reference
/// cycle between the workers and the bindings that reach them.
package final class WorkerDirectory: Sendable {
    /// One worker of the session: its emulator and a maker per named entrypoint (its `Env` built).
    struct Entry: Sendable {
        let emulator: Emulator
        let entrypoints: [String: @Sendable (ExecutionContext) -> any Sendable]
    }

    private let entries = Mutex<[String: Entry]>([:])

    init() {}

    func register(_ name: String, _ entry: Entry) {
        entries.withLock { $0[name] = entry }
    }

    /// The worker named `name`, or the error a call through a binding gets once the session is
    /// shut down (workerd's text for a service that is gone).
    func entry(_ name: String) throws -> Entry {
        guard let entry = entries.withLock({ $0[name] }) else {
            throw RemoteError.crossing(ServiceUnavailable(worker: name))
        }
        return entry
    }

    /// The emulator of the worker named `name`, if the session has it.
    func emulator(named name: String) -> Emulator? {
        entries.withLock { $0[name]?.emulator }
    }

    func remove(_ name: String) {
        _ = entries.withLock { $0.removeValue(forKey: name) }
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}

/// A call through a service binding after the session stopped.
private struct ServiceUnavailable: Error, CustomStringConvertible {
    let worker: String
    var description: String { "The worker \"\(worker)\" of this service binding has shut down." }
}
