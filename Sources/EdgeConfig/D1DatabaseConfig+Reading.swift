import Foundation

extension D1DatabaseConfig {
    /// The `[[d1_databases]]` fields Edge reads; any other is reported as unexpected.
    static let knownFields: Set<String> = [
        "binding", "database_name", "database_id", "preview_database_id", "migrations_dir", "migrations_table",
    ]

    /// Reads `[[d1_databases]]` with wrangler's `validateD1Binding` messages.
    static func readAll(
        from root: TOMLNode.Table,
        configDirectory: URL,
        reader: inout ConfigReader
    ) throws(ConfigError) -> [D1DatabaseConfig] {
        let path = FieldPath("d1_databases")
        guard let node = root["d1_databases"] else { return [] }
        guard case .array(let entries) = node else {
            throw reader.error("The field \"d1_databases\" should be an array but got \(node.jsonText).", at: path)
        }
        var databases: [D1DatabaseConfig] = []
        for (index, entry) in entries.enumerated() {
            let entryPath = path.appending(index: index)
            guard case .table(let table) = entry else {
                throw reader.error("\"d1_databases\" bindings should be objects, but got \(entry.jsonText)", at: entryPath)
            }
            databases.append(try D1DatabaseConfig(reading: table, at: entryPath, configDirectory: configDirectory, reader: &reader))
        }
        return databases
    }

    private init(
        reading table: TOMLNode.Table,
        at path: FieldPath,
        configDirectory: URL,
        reader: inout ConfigReader
    ) throws(ConfigError) {
        let got = TOMLNode.table(table).jsonText
        let name = path.description.jsonQuoted

        /// A field that must be a string when present; `wording` is wrangler's sentence for it.
        func optionalString(_ key: String, _ wording: String) throws(ConfigError) -> String? {
            guard let node = table[key] else { return nil }
            guard case .string(let string) = node else {
                throw reader.error("\(name) bindings \(wording) field but got \(got).", at: path.appending(key))
            }
            return string
        }

        guard let binding = try optionalString("binding", "should have a string \"binding\"") else {
            throw reader.error("\(name) bindings should have a string \"binding\" field but got \(got).", at: path.appending("binding"))
        }
        self.init(
            binding: binding,
            databaseName: try optionalString("database_name", "should, optionally, have a string \"database_name\""),
            databaseId: try optionalString("database_id", "must have a \"database_id\""),
            previewDatabaseId: try optionalString("preview_database_id", "should, optionally, have a string \"preview_database_id\""),
            migrationsDir: try optionalString("migrations_dir", "should, optionally, have a string \"migrations_dir\"")
                ?? Self.defaultMigrationsDir,
            migrationsTable: try optionalString("migrations_table", "should, optionally, have a string \"migrations_table\"")
                ?? Self.defaultMigrationsTable,
            configDirectory: configDirectory
        )
        reader.warnAboutUnexpectedFields(in: table, at: path, known: Self.knownFields)
    }
}
