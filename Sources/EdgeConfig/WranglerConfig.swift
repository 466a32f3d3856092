import Foundation

/// The Worker's configuration, read from `wrangler-like.toml`: wrangler.toml's fields, under
/// wrangler's names, for the part of wrangler.toml Edge runs.
///
/// Load it with ``load(from:)``, which validates every field and reports problems as
/// `<file>:<line>: <message>`. Paths in the config (`migrations_dir`, `[assets] directory`)
/// are resolved against the config file's directory, as wrangler does.
///
/// ```toml
/// name = "counterfire"
/// compatibility_date = "2025-09-01"
///
/// [[d1_databases]]
/// binding = "DB"
/// database_name = "counterfire"
///
/// [durable_objects]
/// bindings = [{ name = "ORDER_HUB", class_name = "OrderHub" }]
///
/// [[migrations]]
/// tag = "v1"
/// new_sqlite_classes = ["OrderHub"]
/// ```
public struct WranglerConfig: Sendable, Equatable {
    /// The file name `edge` looks for in the current directory.
    public static let defaultFileName = "wrangler-like.toml"

    /// The Worker name wrangler dev uses when the config has none.
    public static let defaultName = "worker"

    /// The config file this configuration was read from (absolute).
    public var path: URL

    /// `name`: the Worker's name, `"worker"` by default. Durable Object ids and storage paths
    /// derive from it (`<name>-<ClassName>`).
    public var name: String

    /// `main`: the entry point as written. Edge registers Workers in Swift, so it is informative only.
    public var main: String?

    /// `compatibility_date`, `yyyy-mm-dd`.
    public var compatibilityDate: String?

    /// `compatibility_flags`.
    public var compatibilityFlags: [String]

    /// `[vars]`: plain-text and JSON environment variables.
    public var vars: [String: VarValue]

    /// `[[d1_databases]]`: D1 bindings, in the order written.
    public var d1Databases: [D1DatabaseConfig]

    /// `[durable_objects] bindings`: Durable Object namespace bindings, in the order written.
    public var durableObjects: [DurableObjectBindingConfig]

    /// `[[services]]`: service bindings to other workers of the session, in the order written.
    public var services: [ServiceBindingConfig]

    /// `[[migrations]]`: the Durable Object class history, in the order written.
    public var migrations: [DurableObjectMigration]

    /// `[triggers]`.
    public var triggers: TriggersConfig

    /// `[dev]`, including Edge's lifecycle settings.
    public var dev: DevConfig

    /// `[assets]`, when static assets are served.
    public var assets: AssetsConfig?

    /// Where each field was written in ``path``; empty for a config built in code.
    public internal(set) var fieldLocations: FieldLocations

    /// The directory holding the config file; relative paths in the config start here.
    public var directory: URL {
        path.deletingLastPathComponent()
    }

    /// Creates a configuration in code; every field but the file's path has wrangler's default.
    public init(
        path: URL,
        name: String = Self.defaultName,
        main: String? = nil,
        compatibilityDate: String? = nil,
        compatibilityFlags: [String] = [],
        vars: [String: VarValue] = [:],
        d1Databases: [D1DatabaseConfig] = [],
        durableObjects: [DurableObjectBindingConfig] = [],
        services: [ServiceBindingConfig] = [],
        migrations: [DurableObjectMigration] = [],
        triggers: TriggersConfig = TriggersConfig(),
        dev: DevConfig = DevConfig(),
        assets: AssetsConfig? = nil
    ) {
        self.path = path.absoluteURL.standardizedFileURL
        self.name = name
        self.main = main
        self.compatibilityDate = compatibilityDate
        self.compatibilityFlags = compatibilityFlags
        self.vars = vars
        self.d1Databases = d1Databases
        self.durableObjects = durableObjects
        self.services = services
        self.migrations = migrations
        self.triggers = triggers
        self.dev = dev
        self.assets = assets
        self.fieldLocations = FieldLocations()
    }
}
