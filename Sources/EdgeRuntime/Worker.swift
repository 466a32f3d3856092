import Foundation
import Synchronization

/// A Worker's default export: `export default { fetch, scheduled }`.
///
/// ```swift
/// struct App: Worker {
///     func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
///         Response("Hello")
///     }
/// }
/// ```
public protocol Worker: Sendable {
    /// The worker's `Env`: its bindings, built once at start from the configuration.
    associatedtype Env: WorkerEnv

    /// The `fetch` handler.
    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response

    /// The `scheduled` handler, run by cron triggers and `/cdn-cgi/local/scheduled`.
    func scheduled(_ controller: ScheduledController, env: Env, ctx: ExecutionContext) async throws
}

extension Worker {
    /// A worker without a `scheduled` handler fails scheduled events with workerd's text.
    public func scheduled(_ controller: ScheduledController, env: Env, ctx: ExecutionContext) async throws {
        throw WorkerError.noScheduledHandler
    }
}

/// A worker's `Env`: a type built from the configured bindings, the Swift twin of
/// `interface Env { DB: D1Database; ... }`. Throw from `init` (through ``Bindings/get(_:as:)``)
/// when a binding is missing: start-up fails with a message naming it.
public protocol WorkerEnv: Sendable {
    /// Builds the environment from the bindings of the configuration.
    init(bindings: Bindings) throws
}

/// `controller` of a `scheduled` event.
public struct ScheduledController: Sendable {
    /// `controller.scheduledTime`.
    public let scheduledTime: Date
    /// `controller.cron`: the cron string, exactly as configured.
    public let cron: String
    /// `controller.type`: always "scheduled".
    public var type: String { "scheduled" }
    private let retryRefused = RetryFlag()

    /// Creates a controller.
    public init(scheduledTime: Date, cron: String) {
        self.scheduledTime = scheduledTime
        self.cron = cron
    }

    /// `controller.noRetry()`: a failing run is not retried. workerd records it in the event's
    /// outcome (`noRetry: true`); copies of the controller share the flag.
    public func noRetry() {
        retryRefused.set()
    }

    /// Whether the handler called ``noRetry()``.
    package var retryDisabled: Bool { retryRefused.isSet }
}

/// The shared, once-set flag behind `noRetry()`.
private final class RetryFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

/// Errors raised by the runtime on a worker's behalf.
public struct WorkerError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable { case noScheduledHandler }
    private let kind: Kind

    /// The worker has no `scheduled` handler.
    public static let noScheduledHandler = WorkerError(kind: .noScheduledHandler)

    public var description: String {
        switch kind {
        case .noScheduledHandler: "Handler does not export a scheduled() function"
        }
    }
}
