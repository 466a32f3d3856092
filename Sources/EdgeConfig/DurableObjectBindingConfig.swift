/// One entry of `[durable_objects] bindings`: a Durable Object namespace bound into `env`.
///
/// ```toml
/// [durable_objects]
/// bindings = [{ name = "ORDER_HUB", class_name = "OrderHub" }]
/// ```
public struct DurableObjectBindingConfig: Sendable, Equatable {
    /// `name`: the name of the namespace in `env`, e.g. `ORDER_HUB`.
    public var name: String

    /// `class_name`: the Durable Object class, e.g. `OrderHub`.
    public var className: String

    /// `script_name`: the Worker that defines the class, when it is not this one.
    public var scriptName: String?

    /// Creates a Durable Object binding.
    public init(name: String, className: String, scriptName: String? = nil) {
        self.name = name
        self.className = className
        self.scriptName = scriptName
    }
}
