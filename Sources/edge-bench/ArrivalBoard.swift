import Synchronization

/// What the kitchen clients saw, per client: when the first message (snapshot or replay) came,
/// the highest cursor applied, and when each client first reached the cursor being waited for.
/// Clients record arrival times on their event loop the moment a whole message is parsed.
final class ArrivalBoard: Sendable {
    private struct State {
        var firstAt: [UInt64]
        var cursor: [Int]
        var reachedAt: [UInt64]
        var target = Int.max
        var greeted = 0
        var reached = 0
        var closed = 0
        var messages = 0
        /// Per client: the connection resumed after its cursor, so its first message must be the next one.
        var resumed: [Bool]
        var gaps = 0
        var repeats = 0
    }

    private let state: Mutex<State>
    let count: Int

    init(clients: Int) {
        count = clients
        state = Mutex(State(
            firstAt: Array(repeating: 0, count: clients), cursor: Array(repeating: -1, count: clients),
            reachedAt: Array(repeating: 0, count: clients), resumed: Array(repeating: false, count: clients)))
    }

    /// Called by client `index` for each snapshot or event it receives.
    func record(client index: Int, cursor: Int, at time: UInt64) {
        state.withLock { state in
            state.messages += 1
            let checked = state.firstAt[index] != 0 || state.resumed[index]
            if checked {
                if cursor <= state.cursor[index] {
                    state.repeats += 1
                } else if cursor > state.cursor[index] + 1 {
                    state.gaps += 1
                }
            }
            if state.firstAt[index] == 0 {
                state.firstAt[index] = time
                state.greeted += 1
            }
            if cursor > state.cursor[index] { state.cursor[index] = cursor }
            if cursor >= state.target, state.reachedAt[index] == 0 {
                state.reachedAt[index] = time
                state.reached += 1
            }
        }
    }

    /// Client `index` reconnects: with `resuming`, from its last cursor (the next message must
    /// follow it); otherwise fresh (the next message is a snapshot).
    func reconnect(client index: Int, resuming: Bool) {
        state.withLock { state in
            if state.firstAt[index] != 0 { state.greeted -= 1 }
            state.firstAt[index] = 0
            state.resumed[index] = resuming
            if !resuming { state.cursor[index] = -1 }
        }
    }

    /// Events that skipped a cursor, and events at or before one already seen, over all clients.
    var gapsAndRepeats: (gaps: Int, repeats: Int) { state.withLock { ($0.gaps, $0.repeats) } }

    func closed(client index: Int) {
        state.withLock { $0.closed += 1 }
    }

    /// Starts waiting for `cursor`: clients already past it count as reached at once (time 1).
    func expect(cursor: Int, among clients: Range<Int>) {
        state.withLock { state in
            state.target = cursor
            state.reached = 0
            for index in 0..<count {
                state.reachedAt[index] = 0
                if clients.contains(index), state.cursor[index] >= cursor {
                    state.reachedAt[index] = 1
                    state.reached += 1
                }
            }
        }
    }

    var greeted: Int { state.withLock { $0.greeted } }
    var reached: Int { state.withLock { $0.reached } }
    var closedCount: Int { state.withLock { $0.closed } }
    var messages: Int { state.withLock { $0.messages } }

    func firstAt(_ clients: Range<Int>) -> [UInt64] { state.withLock { Array($0.firstAt[clients]) } }
    func reachedAt(_ clients: Range<Int>) -> [UInt64] { state.withLock { Array($0.reachedAt[clients]) } }
    func cursor(of index: Int) -> Int { state.withLock { $0.cursor[index] } }

    /// Polls until `condition` holds or `timeout` seconds pass; returns whether it held.
    func wait(timeout: Double, until condition: (ArrivalBoard) -> Bool) async -> Bool {
        let deadline = monotonicNanos() + UInt64(timeout * 1e9)
        while !condition(self) {
            if monotonicNanos() > deadline { return false }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return true
    }
}
