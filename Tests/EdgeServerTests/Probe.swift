import Synchronization

/// What handlers saw, by name, so a test can wait for it (the worker runs in other tasks).
final class Probe: Sendable {
    private static let registry = Mutex<[String: Probe]>([:])
    private let recorded = Mutex<[String]>([])

    /// The probe called `name`, created on first use.
    static func named(_ name: String) -> Probe {
        registry.withLock { probes in
            if let probe = probes[name] { return probe }
            let probe = Probe()
            probes[name] = probe
            return probe
        }
    }

    /// A probe with a fresh unique name.
    static func fresh() -> (name: String, probe: Probe) {
        let name = "probe-\(UInt64.random(in: 0...UInt64.max))"
        return (name, named(name))
    }

    func record(_ event: String) {
        recorded.withLock { $0.append(event) }
    }

    var events: [String] { recorded.withLock { $0 } }

    /// Waits up to `timeout` for an event matching `predicate`; returns it.
    func wait(timeout: Duration = .seconds(10), for predicate: (String) -> Bool) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let event = events.first(where: predicate) { return event }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return events.first(where: predicate)
    }
}
