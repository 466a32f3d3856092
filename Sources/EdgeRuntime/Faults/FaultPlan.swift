import DequeModule
import Foundation
import Synchronization

// A fault plan: production's failures on demand, decided by a seed and counts, never by time.
//
// The runtime asks the plan at named points (``FaultPoint``): before a D1 transaction, at a stub
// call, when an event reaches an object, when a frame is written, when an alarm fires. Each kind
// counts the times it is asked (at any of its points); the n-th time fires when the kind's
// schedule says so: `.at([n])`, `.every(k)`, or `.rate(p)`, where the draw for occurrence n is a
// hash of (seed, kind, n). So the same seed and the same test fire the same faults at the same
// occurrences, whatever the machine's speed; only the order in which concurrent callers reach a
// point can move a fault from one caller to another.
//
// The plan is data with no I/O: it lives beside the clock, one per emulator (never a global).
// EdgeD1, the Durable Object host and the server ask it; EdgeTesting (`Emulator.test(faults:)`)
// and `edge dev --chaos` build it. An emulator without a plan asks nothing: every point is one
// `nil` check.

/// A seeded plan of faults to inject (see ``FaultKind`` for the kinds and their texts).
///
/// ```swift
/// let plan = FaultPlan(seed: 42, [.reset: .at([3]), .d1AfterCommit: .rate(0.1), .stubNetwork: .every(5)])
/// try await Emulator.test(.live, config: config, module: module, faults: plan) { client in ... }
/// print(plan.injected)   // [.reset: 1, .d1AfterCommit: 4, ...]
/// ```
///
/// Without a seed, the plan takes `EDGE_FAULT_SEED` from the environment, or a random one; a
/// failing `Emulator.test` prints it with the command that replays it.
public final class FaultPlan: Sendable {
    /// The environment variable that sets the seed of every plan made without one.
    public static let seedVariable = "EDGE_FAULT_SEED"

    private struct State {
        var seed: UInt64
        var rules: [FaultKind: FaultSchedule]
        var counts: [FaultKind: Int] = [:]
        var injected: [FaultKind: Int] = [:]
        var history: Deque<InjectedFault> = []
        var observers: [@Sendable (InjectedFault) -> Void] = []
    }

    /// How many injected faults ``history`` keeps (the oldest go first).
    public static let historyLimit = 10_000

    private let state: Mutex<State>
    /// How long a `slow-io` fault delays the call.
    public let slowIODelay: Duration
    /// Whether the seed was given in code (else it came from `EDGE_FAULT_SEED` or at random).
    public let seedIsFixed: Bool

    /// A plan with `rules`; `seed` `nil` takes `EDGE_FAULT_SEED`, else a random seed.
    public init(seed: UInt64? = nil, _ rules: [FaultKind: FaultSchedule] = [:], slowIODelay: Duration = .milliseconds(25)) {
        let chosen = seed ?? Self.environmentSeed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        state = Mutex(State(seed: chosen, rules: rules))
        self.slowIODelay = slowIODelay
        self.seedIsFixed = seed != nil
    }

    /// `EDGE_FAULT_SEED`, when set to a number.
    public static var environmentSeed: UInt64? {
        ProcessInfo.processInfo.environment[seedVariable].flatMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The seed.
    public var seed: UInt64 { state.withLock { $0.seed } }

    /// The schedule of each kind that can fire.
    public var rules: [FaultKind: FaultSchedule] { state.withLock { $0.rules } }

    /// How many faults of each kind were injected so far.
    public var injected: [FaultKind: Int] { state.withLock { $0.injected } }

    /// The faults injected so far, in order (the last ``historyLimit``).
    public var history: [InjectedFault] { state.withLock { Array($0.history) } }

    /// Replaces the rules (and the seed, if given); counts start again from zero, so the new
    /// plan replays as a fresh one with that seed would.
    public func update(seed: UInt64? = nil, rules: [FaultKind: FaultSchedule]) {
        state.withLock { state in
            if let seed { state.seed = seed }
            state.rules = rules
            state.counts = [:]
        }
    }

    /// Stops injecting (the counts of what was injected stay).
    public func stop() {
        state.withLock { $0.rules = [:] }
    }

    /// Calls `observer` with every fault injected from now on (the host logs them).
    package func observe(_ observer: @escaping @Sendable (InjectedFault) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }

    // MARK: Asking the plan

    /// One time a kind was asked and fired: its number and a draw the caller can use
    /// to pick a variant (which text, before or after), also fixed by the seed.
    package struct Roll: Sendable {
        package let kind: FaultKind
        package let point: FaultPoint
        package let occurrence: Int
        package let draw: UInt64

        /// A variant among `count`, fixed by the seed and the occurrence.
        package func pick(_ count: Int) -> Int { Int(FaultPlan.mix(draw) % UInt64(max(count, 1))) }
    }

    /// Counts an occurrence of `kind` (asked at `point`) and says whether it fires. A kind
    /// without a rule is not counted.
    package func fires(_ kind: FaultKind, at point: FaultPoint) -> Roll? {
        state.withLock { state in
            guard let rule = state.rules[kind] else { return nil }
            let occurrence = (state.counts[kind] ?? 0) + 1
            state.counts[kind] = occurrence
            let draw = Self.draw(seed: state.seed, kind: kind, occurrence: occurrence)
            let fires: Bool
            switch rule {
            case .rate(let rate): fires = Double(draw >> 11) / Double(UInt64(1) << 53) < rate
            case .at(let numbers): fires = numbers.contains(occurrence)
            case .every(let n): fires = n > 0 && occurrence % n == 0
            }
            return fires ? Roll(kind: kind, point: point, occurrence: occurrence, draw: draw) : nil
        }
    }

    /// The first of `kinds` that fires here (each kind is counted).
    package func firstFiring(_ kinds: [FaultKind], at point: FaultPoint) -> Roll? {
        var found: Roll?
        for kind in kinds {
            if let roll = fires(kind, at: point), found == nil { found = roll }
        }
        return found
    }

    /// Records a fault that was applied (what ``injected``, ``history`` and the log show).
    package func record(_ roll: Roll, _ detail: String) {
        let fault = InjectedFault(kind: roll.kind, point: roll.point, occurrence: roll.occurrence, detail: detail)
        let observers = state.withLock { state in
            state.injected[roll.kind, default: 0] += 1
            state.history.append(fault)
            if state.history.count > Self.historyLimit { state.history.removeFirst() }
            return state.observers
        }
        observers.forEach { $0(fault) }
    }

    // MARK: The draw

    /// splitmix64 (Steele, Lea and Flood), the usual mixer for seeding.
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a of a name: stable across runs and processes (Swift's `Hasher` is seeded per process).
    private static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private static func draw(seed: UInt64, kind: FaultKind, occurrence: Int) -> UInt64 {
        mix(mix(seed ^ stableHash(kind.rawValue)) ^ UInt64(truncatingIfNeeded: occurrence))
    }
}

extension FaultPlan: CustomStringConvertible {
    /// `seed 42: reset=at 3, d1-after-commit=0.1`, as `edge dev --chaos` prints it.
    public var description: String {
        let (seed, rules) = state.withLock { ($0.seed, $0.rules) }
        let list = rules.sorted { $0.key < $1.key }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ", ")
        return "seed \(seed): \(list.isEmpty ? "no faults" : list)"
    }
}
