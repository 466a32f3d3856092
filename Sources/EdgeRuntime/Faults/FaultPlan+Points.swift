// What the hosts call at their fault points. Each is reached only when the host has a plan
// (`if let faults { ... }`), so an emulator without one pays a `nil` check per point.

extension FaultPlan {
    /// An await of handler code (a D1 query, a stub call, a `fetch`): when the code runs in a
    /// Durable Object, asks whether to reset or evict that object now, between two awaits of
    /// the request. The object's host applies it (and records it).
    package func atObjectAwait() {
        guard let io = IoContext.current, let interrupt = io.interruption else { return }
        if let roll = firstFiring([.reset, .evictClose, .evictHibernate], at: .objectAwait) { interrupt(roll) }
    }

    /// A `slow-io` fault at `point`: waits ``slowIODelay`` (wall time: slow I/O is the network's,
    /// not the emulator's clock), when it fires.
    package func slowIO(at point: FaultPoint, _ what: @autoclosure () -> String) async {
        guard let roll = fires(.slowIO, at: point) else { return }
        record(roll, "\(what()) delayed \(slowIODelay)")
        try? await Task.sleep(for: slowIODelay)
    }

    /// Whether the WebSocket message about to be sent drops the connection instead.
    package func dropsWebSocket() -> Bool {
        guard let roll = fires(.dropWebSocket, at: .webSocketSend) else { return false }
        record(roll, "connection dropped without a Close frame (1006)")
        return true
    }

    /// Whether the Server-Sent Events frame about to be queued cuts the stream instead.
    package func dropsStream() -> Bool {
        guard let roll = fires(.dropStream, at: .streamWrite) else { return false }
        record(roll, "stream cut without its end")
        return true
    }
}

/// Why an injected fault cut a stream: the body fails, and the server drops the connection
/// without ending the chunked body, as a lost connection looks to the client.
public struct StreamDropped: Error, Sendable, CustomStringConvertible {
    public var description: String { "Network connection lost." }
}
