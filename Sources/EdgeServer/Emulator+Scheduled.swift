import EdgeRuntime
import Foundation
import HTTPTypes
import Synchronization

/// The outcome of a `scheduled` event, as Miniflare reports it.
public struct ScheduledOutcome: Sendable, Equatable, Encodable {
    /// `"ok"`, or `"exception"` when the handler (or the first failing `waitUntil`) threw.
    public let outcome: String
    /// Whether the handler called `controller.noRetry()`.
    public let noRetry: Bool
    /// The error, when there was one.
    public let error: String?

    /// Whether the event succeeded.
    public var ok: Bool { outcome == "ok" }
}

extension Emulator {
    /// Runs the worker's `scheduled` handler once for `cron` at `scheduledTime` (default: the
    /// emulator's clock), waiting for its `waitUntil` work. The first failure, of the handler or
    /// of a `waitUntil`, is the outcome, as production records a cron run.
    public func scheduled(cron: String, scheduledTime: Date? = nil) async -> ScheduledOutcome {
        let failure = Mutex<(any Error)?>(nil)
        let logger = self.logger
        let ctx = ExecutionContext { error in
            logger.error("Uncaught (in waitUntil) \(error)")
            failure.withLock { $0 = $0 ?? error }
        }
        let controller = ScheduledController(scheduledTime: scheduledTime ?? options.clock.now, cron: cron)
        let io = invocationContext(label: "scheduled \(cron)")
        do {
            try await IoContext.$current.withValue(io) { try await worker.scheduled(controller, ctx: ctx) }
        } catch {
            logger.error("Uncaught \(error)")
            failure.withLock { $0 = $0 ?? error }
        }
        await ctx.settled()
        io.closeTimers()
        guard let error = failure.withLock({ $0 }) else {
            return ScheduledOutcome(outcome: "ok", noRetry: controller.retryDisabled, error: nil)
        }
        return ScheduledOutcome(outcome: "exception", noRetry: controller.retryDisabled, error: "\(error)")
    }

    /// `GET /cdn-cgi/local/scheduled?cron=<expr>&time=<ms>&format=json`: 200 when the outcome is
    /// ok, else 500; the body is the outcome (or `Error: ...`), or JSON with `format=json`.
    func scheduledResponse(_ request: Request) async -> Response {
        let params = request.searchParams
        let cron = params.get("cron") ?? config.triggers.crons.first ?? "* * * * *"
        let time = params.get("time").flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1000) }
        let outcome = await scheduled(cron: cron, scheduledTime: time)
        let status: HTTPResponse.Status = outcome.ok ? .ok : .internalServerError
        if params.get("format") == "json" {
            return Response.json(outcome, status: status)
        }
        return Response(outcome.error.map { "\(outcome.outcome): \($0)" } ?? outcome.outcome, status: status)
    }
}
