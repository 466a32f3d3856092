extension WranglerConfig {
    /// How a Durable Object class stores its data, as decided by the migration that created it.
    public enum DurableObjectStorageBackend: Sendable, Equatable {
        /// Created by `new_sqlite_classes`: SQLite storage, the one Edge implements.
        case sqlite
        /// Created by `new_classes`: production's legacy key-value backend.
        case keyValue
    }

    /// The Durable Object classes that exist after replaying ``migrations`` in order, with their
    /// storage backend, as wrangler's `getClassNamesWhichUseSQLite` computes it.
    ///
    /// Throws, in wrangler's words and located at the offending class name, when a step creates a
    /// class that exists (`Cannot apply new_classes migration to existing class X`), or renames or
    /// deletes one that does not. ``load(from:)`` replays the migrations, so a loaded config does not throw.
    public var durableObjectClassStorage: [String: DurableObjectStorageBackend] {
        get throws(ConfigError) {
            var classes: [String: DurableObjectStorageBackend] = [:]
            for (index, migration) in migrations.enumerated() {
                let path = FieldPath("migrations").appending(index: index)
                for (offset, name) in migration.deletedClasses.enumerated() {
                    guard classes.removeValue(forKey: name) != nil else {
                        throw migrationError(
                            "Cannot apply deleted_classes migration to non-existent class \(name)",
                            at: path.appending("deleted_classes").appending(index: offset)
                        )
                    }
                }
                for (offset, rename) in migration.renamedClasses.enumerated() {
                    guard let backend = classes.removeValue(forKey: rename.from) else {
                        throw migrationError(
                            "Cannot apply renamed_classes migration to non-existent class \(rename.from)",
                            at: path.appending("renamed_classes").appending(index: offset)
                        )
                    }
                    classes[rename.to] = backend
                }
                for (key, names, backend) in [
                    ("new_classes", migration.newClasses, DurableObjectStorageBackend.keyValue),
                    ("new_sqlite_classes", migration.newSqliteClasses, .sqlite),
                ] {
                    for (offset, name) in names.enumerated() {
                        guard classes[name] == nil else {
                            throw migrationError(
                                "Cannot apply \(key) migration to existing class \(name)",
                                at: path.appending(key).appending(index: offset)
                            )
                        }
                        classes[name] = backend
                    }
                }
            }
            return classes
        }
    }

    /// The Durable Object classes whose storage is SQLite after replaying ``migrations``
    /// (wrangler's `getClassNamesWhichUseSQLite`, keeping the classes mapped to `true`).
    public var sqliteClasses: Set<String> {
        get throws(ConfigError) {
            Set(try durableObjectClassStorage.filter { $0.value == .sqlite }.keys)
        }
    }

    private func migrationError(_ message: String, at path: FieldPath) -> ConfigError {
        .invalid(message, file: self.path, line: fieldLocations.line(of: path), field: path.description)
    }
}
