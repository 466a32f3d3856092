import EdgeRuntime
import Foundation
import HTTPTypes

/// `/cdn-cgi/edge/chaos` (loopback peers only, like the other control routes): the running
/// emulator's fault plan (`edge dev --chaos`).
///
/// - `GET`: 200 `{"seed": <n>, "rules": {"<kind>": "<schedule>", ...}, "injected": {"<kind>": <count>, ...}}`,
///   every kind listed in `injected` (0 when none was injected).
/// - `POST {"spec": "seed=7,reset=0.05"}`: replaces the rules (same text as `--chaos=SPEC`;
///   counts of occurrences start again); `POST {"stop": true}`: stops injecting. Both answer as `GET`.
///
/// An emulator started without a plan answers 409 `chaos_off`: a plan is made at start, so that
/// one without pays nothing at its fault points.
struct ChaosControl {
    static let path = "/cdn-cgi/edge/chaos"

    let plan: FaultPlan?

    func respond(to request: Request) async -> Response {
        guard let plan else {
            return ControlError(
                status: .conflict, code: "chaos_off",
                message: "No faults are being injected: start edge dev with --chaos (or --chaos=SPEC) to change them here."
            ).response
        }
        switch request.method {
        case .get:
            return Self.state(of: plan)
        case .post:
            do {
                try await change(plan, request)
                return Self.state(of: plan)
            } catch let error as ControlError {
                return error.response
            } catch {
                return ControlError.badBody("\(error)").response
            }
        default:
            return ControlError(
                status: .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method.rawValue) is not allowed here; use GET or POST."
            ).response
        }
    }

    private func change(_ plan: FaultPlan, _ request: Request) async throws {
        struct Body: Decodable {
            let spec: String?
            let stop: Bool?
        }
        let data = Data(try await request.body.collect(upTo: 64 * 1024).readableBytesView)
        guard let body = try? JSONDecoder().decode(Body.self, from: data), (body.spec == nil) != (body.stop == nil) else {
            throw ControlError.badBody("The body must be {\"spec\": \"seed=7,reset=0.05,...\"} or {\"stop\": true}.")
        }
        if body.stop == true {
            plan.stop()
            return
        }
        guard let text = body.spec else { throw ControlError.badBody("\"stop\" must be true.") }
        do {
            let spec = try FaultSpec(parsing: text)
            plan.update(seed: spec.seed, rules: spec.rules)
        } catch {
            throw ControlError(status: .badRequest, code: "invalid_spec", message: error.description)
        }
    }

    /// The plan as `GET` shows it.
    static func state(of plan: FaultPlan) -> Response {
        var injected = OrderedDictionary<String, Int>()
        let counts = plan.injected
        for kind in FaultKind.allCases { injected[kind.rawValue] = counts[kind] ?? 0 }
        var rules = OrderedDictionary<String, String>()
        for (kind, schedule) in plan.rules.sorted(by: { $0.key < $1.key }) { rules[kind.rawValue] = schedule.description }
        struct State: Encodable {
            let seed: UInt64
            let rules: OrderedDictionary<String, String>
            let injected: OrderedDictionary<String, Int>
        }
        return Response.json(State(seed: plan.seed, rules: rules, injected: injected))
    }
}
