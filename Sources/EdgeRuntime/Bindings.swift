/// The bindings of a worker, by name, as the configuration declares them: `[vars]`, secrets from
/// `.dev.vars`, and resources (D1 databases, Durable Object namespaces, assets).
///
/// An app's ``WorkerEnv`` reads what it needs from here once, at start.
public struct Bindings: Sendable {
    /// `[vars]`, as text (JSON values are their JSON text).
    public var vars: [String: String]
    /// Secrets (`.dev.vars`, `--var`); they override vars of the same name.
    public var secrets: [String: String]
    /// Resource bindings by name: `D1Database`, `DurableObjectNamespace<T>`, ...
    public var resources: [String: any Sendable]

    /// Creates bindings.
    public init(vars: [String: String] = [:], secrets: [String: String] = [:], resources: [String: any Sendable] = [:]) {
        self.vars = vars
        self.secrets = secrets
        self.resources = resources
    }

    /// The resource bound as `name`, of type `T`; throws a ``BindingError`` naming the binding
    /// when it is missing or of another kind.
    public func get<T>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let resource = resources[name] else {
            throw BindingError.missing(name: name, type: "\(T.self)", known: resources.keys.sorted())
        }
        guard let typed = resource as? T else {
            throw BindingError.wrongType(name: name, expected: "\(T.self)", actual: "\(Swift.type(of: resource))")
        }
        return typed
    }

    /// A text binding: a secret, else a var; throws when neither exists.
    public func text(_ name: String) throws -> String {
        if let secret = secrets[name] { return secret }
        if let value = vars[name] { return value }
        throw BindingError.missing(name: name, type: "text variable", known: (Array(vars.keys) + Array(secrets.keys)).sorted())
    }

    /// A text binding, or `nil`.
    public func optionalText(_ name: String) -> String? {
        secrets[name] ?? vars[name]
    }
}

/// A binding the worker needs that the configuration does not provide.
public struct BindingError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case missing(name: String, type: String, known: [String])
        case wrongType(name: String, expected: String, actual: String)
    }
    private let kind: Kind

    static func missing(name: String, type: String, known: [String]) -> BindingError {
        BindingError(kind: .missing(name: name, type: type, known: known))
    }
    static func wrongType(name: String, expected: String, actual: String) -> BindingError {
        BindingError(kind: .wrongType(name: name, expected: expected, actual: actual))
    }

    public var description: String {
        switch kind {
        case .missing(let name, let type, let known):
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            return "The worker needs a binding \"\(name)\" (\(type)), but the configuration does not declare one. Declared bindings: \(list)."
        case .wrongType(let name, let expected, let actual):
            return "The worker needs the binding \"\(name)\" to be a \(expected), but the configuration binds a \(actual)."
        }
    }
}
