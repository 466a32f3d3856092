import EdgeRuntime
import Foundation
import Logging

// The emulator's fault plan (`Options.faults`): handed to D1, the Durable Object host, the
// outbound sender and every invocation's `IoContext`; each injected fault is logged as a warning
// (`fault injected: reset at object event #3: OrderHub demo (a7f3…): ...`); served under
// `/cdn-cgi/edge/chaos` (`ChaosControl.swift`).

extension Emulator {
    /// The plan, if faults are injected.
    public var faults: FaultPlan? { options.faults }

    /// Logs every fault the plan injects, and the plan itself once.
    static func logFaults(_ options: Options) {
        guard let faults = options.faults else { return }
        let logger = options.logger
        logger.warning("Injecting faults: \(faults)")
        faults.observe { fault in logger.warning("fault injected: \(fault)") }
    }
}
