import EdgeRuntime
import Testing

/// How a test under a fault plan tells its seed when it fails: every issue recorded while it
/// runs (`#expect`, `Issue.record`) gets a comment, and an error it throws is wrapped, naming the
/// seed and the command that replays the same faults at the same points:
///
/// ```
/// Fault plan seed 1234 (reset=0.05, ...); replay: EDGE_FAULT_SEED=1234 swift test --filter "CounterFireTests.FaultTests/ordersSurvive()"
/// ```
///
/// Swift Testing's `IssueHandlingTrait` sees the issues; outside a Swift Testing test (XCTest,
/// a program) only thrown errors are wrapped.
struct FaultReplay {
    let plan: FaultPlan

    /// The line a failure carries.
    var hint: String {
        let filter = Test.current.map { " --filter \"\($0.id.moduleName).\($0.id.nameComponents.joined(separator: "/"))\"" } ?? ""
        let replay = plan.seedIsFixed
            ? "the seed is fixed in the test; rerun with swift test\(filter)"
            : "replay: \(FaultPlan.seedVariable)=\(plan.seed) swift test\(filter)"
        return "Fault plan \(plan); injected \(plan.injected.values.reduce(0, +)); \(replay)"
    }

    func run<Value>(_ body: () async throws -> Value) async throws -> Value {
        nonisolated(unsafe) var value: Value?
        nonisolated(unsafe) let body = body
        do {
            if let test = Test.current {
                let annotate = IssueHandlingTrait.compactMapIssues { [self] issue in
                    var issue = issue
                    issue.comments.append(Comment(rawValue: hint))
                    return issue
                }
                try await annotate.provideScope(for: test, testCase: Test.Case.current) { value = try await body() }
            } else {
                value = try await body()
            }
        } catch {
            throw FaultedTestError(underlying: error, hint: hint)
        }
        guard let value else { throw FaultedTestError(underlying: nil, hint: hint) }
        return value
    }
}

/// An error thrown by a test under a fault plan, with the plan's seed and how to replay it.
public struct FaultedTestError: Error, CustomStringConvertible {
    /// What the test threw (`nil` if it returned nothing).
    public let underlying: (any Error)?
    /// The seed and the replay command.
    public let hint: String

    public var description: String { "\(underlying.map { "\($0)" } ?? "no value") [\(hint)]" }
}

extension TestClient {
    /// The emulator's fault plan (`Emulator.test(faults:)`), to read what it injected or stop it.
    public var faults: FaultPlan? { emulator.faults }
}
