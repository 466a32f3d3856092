import EdgeRuntime

extension OutboundFetcher {
    /// The plan's faults for one hop of the global `fetch`: an await of the calling code (a
    /// Durable Object may be evicted or reset there), `slow-io`, and `outbound`, which fails the
    /// hop before it leaves with `Error: Network connection lost.` (``NetworkError``: workerd's
    /// text for every lost connection, `src/workerd/jsg/util.c++`).
    func inject(_ faults: FaultPlan, _ request: Request) async throws {
        faults.atObjectAwait()
        await faults.slowIO(at: .outboundFetch, "outbound \(request.method.rawValue) \(Self.loggedURL(request.url))")
        guard let roll = faults.fires(.outbound, at: .outboundFetch) else { return }
        faults.record(roll, "outbound \(request.method.rawValue) \(Self.loggedURL(request.url)): Network connection lost.")
        throw NetworkError(detail: "injected fault (\(FaultKind.outbound.rawValue) #\(roll.occurrence))")
    }
}
