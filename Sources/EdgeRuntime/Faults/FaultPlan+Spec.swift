/// The text form of a plan, for `edge dev --chaos=SPEC` and `POST /cdn-cgi/edge/chaos`:
/// comma-separated `name=value` pairs.
///
/// - `seed=<n>`: the seed (default: `EDGE_FAULT_SEED`, else random);
/// - `<kind>=<rate>` (0 to 1), `<kind>=every:<n>`, `<kind>=at:<n>:<m>...`: a kind's schedule
///   (``FaultKind`` raw values, e.g. `reset=0.01`, `d1-after-commit=every:20`);
/// - `slow-io-ms=<n>`: the delay of a `slow-io` fault (default 25);
/// - `default`: the default profile (``FaultPlan/defaultProfile``), which later pairs change.
///
/// `--chaos` alone is `default`.
public struct FaultSpec: Sendable, Equatable {
    public var seed: UInt64?
    public var rules: [FaultKind: FaultSchedule]
    public var slowIODelay: Duration

    /// A spec error, naming the pair and what is accepted.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public init(seed: UInt64? = nil, rules: [FaultKind: FaultSchedule] = [:], slowIODelay: Duration = .milliseconds(25)) {
        self.seed = seed
        self.rules = rules
        self.slowIODelay = slowIODelay
    }

    /// Parses `text` (an empty text is the default profile).
    public init(parsing text: String) throws(Invalid) {
        self.init()
        let pairs = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if pairs.isEmpty { rules = FaultPlan.defaultProfile }
        for pair in pairs {
            if pair == "default" {
                rules.merge(FaultPlan.defaultProfile) { _, profile in profile }
                continue
            }
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw Invalid(description: "Expected name=value, got \"\(pair)\". \(Self.help)") }
            let (name, value) = (parts[0], parts[1])
            switch name {
            case "seed":
                guard let seed = UInt64(value) else { throw Invalid(description: "seed must be a non-negative integer, got \"\(value)\".") }
                self.seed = seed
            case "slow-io-ms":
                guard let ms = Int(value), (0...60_000).contains(ms) else {
                    throw Invalid(description: "slow-io-ms must be 0 to 60000, got \"\(value)\".")
                }
                slowIODelay = .milliseconds(ms)
            default:
                guard let kind = FaultKind(rawValue: name) else {
                    throw Invalid(description: "Unknown fault \"\(name)\". \(Self.help)")
                }
                rules[kind] = try Self.schedule(value, of: name)
            }
        }
    }

    private static func schedule(_ value: String, of name: String) throws(Invalid) -> FaultSchedule {
        if value.hasPrefix("every:") {
            guard let n = Int(value.dropFirst(6)), n > 0 else { throw Invalid(description: "\(name)=every:<n> needs n >= 1, got \"\(value)\".") }
            return .every(n)
        }
        if value.hasPrefix("at:") {
            let numbers = value.dropFirst(3).split(separator: ":").map { Int($0) }
            guard !numbers.isEmpty, numbers.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw Invalid(description: "\(name)=at:<n>[:<m>...] needs occurrences >= 1, got \"\(value)\".")
            }
            return .at(Set(numbers.compactMap { $0 }))
        }
        guard let rate = Double(value), (0...1).contains(rate) else {
            throw Invalid(description: "\(name) takes a rate from 0 to 1, every:<n> or at:<n>[:<m>...], got \"\(value)\".")
        }
        return .rate(rate)
    }

    static let help = "Faults: \(FaultKind.allCases.map(\.rawValue).joined(separator: ", ")); also seed=<n>, slow-io-ms=<n>, default."

    /// The plan this spec describes.
    public func plan() -> FaultPlan {
        FaultPlan(seed: seed, rules, slowIODelay: slowIODelay)
    }
}

extension FaultPlan {
    /// `--chaos` alone: every kind, at rates a client that retries as production's clients do
    /// survives, per time the kind is asked.
    public static let defaultProfile: [FaultKind: FaultSchedule] = [
        .evictHibernate: .rate(0.01),
        .evictClose: .rate(0.005),
        .reset: .rate(0.005),
        .stubNetwork: .rate(0.01),
        .stubOverloaded: .rate(0.002),
        .d1BeforeCommit: .rate(0.01),
        .d1AfterCommit: .rate(0.01),
        .dropWebSocket: .rate(0.002),
        .dropStream: .rate(0.002),
        .slowIO: .rate(0.02),
        .alarm: .rate(0.05),
        .outbound: .rate(0.01),
    ]
}
