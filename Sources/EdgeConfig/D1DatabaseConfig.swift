import Foundation

/// One `[[d1_databases]]` entry: a D1 database bound into the Worker's `env`.
///
/// ```toml
/// [[d1_databases]]
/// binding = "DB"                 # required: the name in env
/// database_name = "counterfire"
/// database_id = "..."
/// migrations_dir = "migrations"  # default, relative to the config file's directory
/// ```
public struct D1DatabaseConfig: Sendable, Equatable {
    /// The default of `migrations_dir`, as wrangler's `./migrations`.
    public static let defaultMigrationsDir = "migrations"

    /// The default of `migrations_table`, as wrangler's.
    public static let defaultMigrationsTable = "d1_migrations"

    /// `binding`: the name of the database in `env`, e.g. `DB`.
    public var binding: String

    /// `database_name`: the database's name in Cloudflare.
    public var databaseName: String?

    /// `database_id`: the database's UUID in Cloudflare.
    public var databaseId: String?

    /// `preview_database_id`: the database used by `wrangler dev` in preview.
    public var previewDatabaseId: String?

    /// `migrations_dir` as written in the config, `"migrations"` by default.
    public var migrationsDir: String

    /// `migrations_dir` resolved against the config file's directory. Whether it exists is checked
    /// when migrations are applied or listed, not when the config is loaded.
    public var migrationsDirectory: URL

    /// `migrations_table`: the table recording applied migrations, `"d1_migrations"` by default.
    public var migrationsTable: String

    /// Creates a D1 binding; `migrationsDir` is resolved against `configDirectory`.
    public init(
        binding: String,
        databaseName: String? = nil,
        databaseId: String? = nil,
        previewDatabaseId: String? = nil,
        migrationsDir: String = Self.defaultMigrationsDir,
        migrationsTable: String = Self.defaultMigrationsTable,
        configDirectory: URL
    ) {
        self.binding = binding
        self.databaseName = databaseName
        self.databaseId = databaseId
        self.previewDatabaseId = previewDatabaseId
        self.migrationsDir = migrationsDir
        self.migrationsDirectory = configDirectory.resolving(migrationsDir)
        self.migrationsTable = migrationsTable
    }
}

extension URL {
    /// `path` resolved against this directory; an absolute `path` is kept as is.
    func resolving(_ path: String) -> URL {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : appendingPathComponent(path)
        return url.standardizedFileURL
    }
}
