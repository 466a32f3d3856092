/// `[triggers]`: what runs the Worker's `scheduled` handler.
///
/// ```toml
/// [triggers]
/// crons = ["*/5 * * * *"]
/// ```
public struct TriggersConfig: Sendable, Equatable {
    /// `crons`: cron expressions, as written; none by default.
    public var crons: [String]

    /// Creates triggers with the given cron expressions.
    public init(crons: [String] = []) {
        self.crons = crons
    }
}
