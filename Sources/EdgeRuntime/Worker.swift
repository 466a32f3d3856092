import Foundation

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

    /// Creates a controller.
    public init(scheduledTime: Date, cron: String) {
        self.scheduledTime = scheduledTime
        self.cron = cron
    }
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
