@testable import EdgeRuntime
import Synchronization
import Testing

@Suite struct FaultPlanTests {
    func firing(_ plan: FaultPlan, _ kind: FaultKind, times: Int) -> [Int] {
        (1...times).filter { _ in plan.fires(kind, at: .d1Query) != nil }
    }

    @Test func schedulesCountTheTimesAKindIsAsked() {
        let plan = FaultPlan(seed: 1, [.reset: .at([2, 5]), .d1AfterCommit: .every(3)])
        #expect(firing(plan, .reset, times: 6) == [2, 5])
        #expect(firing(plan, .d1AfterCommit, times: 7) == [3, 6])
        #expect(plan.fires(.outbound, at: .outboundFetch) == nil, "a kind without a rule never fires")
    }

    @Test func ratesAreDrawnFromTheSeed() {
        let first = firing(FaultPlan(seed: 42, [.reset: .rate(0.2)]), .reset, times: 500)
        #expect(first == firing(FaultPlan(seed: 42, [.reset: .rate(0.2)]), .reset, times: 500))
        #expect(first != firing(FaultPlan(seed: 43, [.reset: .rate(0.2)]), .reset, times: 500))
        #expect((60...140).contains(first.count), "about a fifth: \(first.count)")
        #expect(firing(FaultPlan(seed: 42, [.reset: .rate(0)]), .reset, times: 100).isEmpty)
        #expect(firing(FaultPlan(seed: 42, [.reset: .rate(1)]), .reset, times: 100).count == 100)
    }

    @Test func updateStartsTheCountsAgainAndStopEndsInjection() {
        let plan = FaultPlan(seed: 1, [.reset: .at([1])])
        #expect(firing(plan, .reset, times: 3) == [1])
        plan.update(seed: 7, rules: [.reset: .at([2])])
        #expect(plan.seed == 7)
        #expect(firing(plan, .reset, times: 3) == [2])
        plan.stop()
        #expect(firing(plan, .reset, times: 3).isEmpty)
    }

    @Test func recordedFaultsAreCountedKeptAndObserved() throws {
        let plan = FaultPlan(seed: 1, [.reset: .every(1)])
        let seen = Mutex<[InjectedFault]>([])
        plan.observe { fault in seen.withLock { $0.append(fault) } }
        let roll = try #require(plan.fires(.reset, at: .objectEvent))
        plan.record(roll, "Ledger main: reset")
        #expect(plan.injected == [.reset: 1])
        #expect(plan.history.map(\.description) == ["reset at object event #1: Ledger main: reset"])
        #expect(seen.withLock { $0 } == plan.history)
    }

    @Test func theSeedComesFromTheCodeTheEnvironmentOrChance() {
        #expect(FaultPlan(seed: 5).seedIsFixed)
        #expect(!FaultPlan().seedIsFixed)
    }

    @Test func specsParse() throws {
        #expect(try FaultSpec(parsing: "").rules == FaultPlan.defaultProfile)
        #expect(try FaultSpec(parsing: "default").rules == FaultPlan.defaultProfile)
        let spec = try FaultSpec(parsing: "seed=7, reset=0.25,d1-after-commit=every:20,drop-websocket=at:3:9,slow-io-ms=40")
        #expect(spec == FaultSpec(seed: 7, rules: [.reset: .rate(0.25), .d1AfterCommit: .every(20), .dropWebSocket: .at([3, 9])], slowIODelay: .milliseconds(40)))
        let overridden = try FaultSpec(parsing: "default,reset=0")
        #expect(overridden.rules[.reset] == .rate(0) && overridden.rules[.alarm] == FaultPlan.defaultProfile[.alarm])
        #expect(spec.plan().description == "seed 7: d1-after-commit=every 20, drop-websocket=at 3,9, reset=0.25")
    }

    @Test(arguments: [
        ("reset", "Expected name=value"), ("nope=1", "Unknown fault \"nope\""), ("reset=1.5", "reset takes a rate from 0 to 1"),
        ("seed=-1", "seed must be a non-negative integer"), ("reset=every:0", "needs n >= 1"), ("reset=at:", "needs occurrences >= 1"),
        ("slow-io-ms=x", "slow-io-ms must be 0 to 60000"),
    ])
    func badSpecsSayWhatIsWrong(text: String, message: String) {
        #expect {
            try FaultSpec(parsing: text)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
