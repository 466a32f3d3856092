/// One `[[services]]` entry: a service binding to another worker running in the same `edge dev`
/// session (`edge dev -c app.toml -c api.toml`).
///
/// ```toml
/// [[services]]
/// binding = "API"          # env.API
/// service = "api"          # the other worker's `name`
/// entrypoint = "Admin"     # optional: a named entrypoint (`WorkerEntrypoint`) instead of its default export
/// ```
public struct ServiceBindingConfig: Sendable, Equatable {
    /// `binding`: the name in `env`.
    public var binding: String

    /// `service`: the `name` of the worker the binding reaches.
    public var service: String

    /// `entrypoint`: a named entrypoint of that worker; `nil` for its default export.
    public var entrypoint: String?

    /// `environment`: read and checked as wrangler does; Edge has no environments, so it is informative only.
    public var environment: String?

    /// Creates a service binding.
    public init(binding: String, service: String, entrypoint: String? = nil, environment: String? = nil) {
        self.binding = binding
        self.service = service
        self.entrypoint = entrypoint
        self.environment = environment
    }
}
