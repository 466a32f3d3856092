/// One `[[migrations]]` entry: a step in the history of the Worker's Durable Object classes.
///
/// Replaying the steps in order tells which classes exist and which store their data in SQLite
/// (see ``WranglerConfig/sqliteClasses``).
///
/// ```toml
/// [[migrations]]
/// tag = "v1"
/// new_sqlite_classes = ["OrderHub"]
/// ```
public struct DurableObjectMigration: Sendable, Equatable {
    /// One `renamed_classes` entry, `{ from = "Old", to = "New" }`.
    public struct RenamedClass: Sendable, Equatable {
        /// The class name before the migration.
        public var from: String
        /// The class name after the migration.
        public var to: String

        /// Creates a rename from `from` to `to`.
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    /// `tag`: the migration's unique name, e.g. `v1`.
    public var tag: String

    /// `new_classes`: classes created with the legacy key-value storage backend.
    public var newClasses: [String]

    /// `new_sqlite_classes`: classes created with SQLite storage.
    public var newSqliteClasses: [String]

    /// `renamed_classes`: classes given a new name, keeping their data.
    public var renamedClasses: [RenamedClass]

    /// `deleted_classes`: classes removed with their data.
    public var deletedClasses: [String]

    /// Creates a migration step.
    public init(
        tag: String,
        newClasses: [String] = [],
        newSqliteClasses: [String] = [],
        renamedClasses: [RenamedClass] = [],
        deletedClasses: [String] = []
    ) {
        self.tag = tag
        self.newClasses = newClasses
        self.newSqliteClasses = newSqliteClasses
        self.renamedClasses = renamedClasses
        self.deletedClasses = deletedClasses
    }
}
