extension DurableObjectMigration {
    /// The `[[migrations]]` fields Edge reads; any other is reported as unexpected.
    static let knownFields: Set<String> = ["tag", "new_classes", "new_sqlite_classes", "renamed_classes", "deleted_classes"]

    /// Reads `[[migrations]]` with wrangler's `validateMigrations` messages. Whether the steps can
    /// be applied in order is checked afterwards, by ``WranglerConfig/durableObjectClassStorage``.
    static func readAll(from root: TOMLNode.Table, reader: inout ConfigReader) throws(ConfigError) -> [DurableObjectMigration] {
        let path = FieldPath("migrations")
        guard let node = root["migrations"] else { return [] }
        guard case .array(let entries) = node else {
            throw reader.error("The optional \"migrations\" field should be an array, but got \(node.jsonText)", at: path)
        }
        var migrations: [DurableObjectMigration] = []
        for (index, entry) in entries.enumerated() {
            let entryPath = path.appending(index: index)
            guard case .table(let table) = entry else {
                throw reader.typeMismatch(at: entryPath, expected: "object", got: entry)
            }
            migrations.append(try DurableObjectMigration(reading: table, at: entryPath, reader: &reader))
        }
        return migrations
    }

    private init(reading table: TOMLNode.Table, at path: FieldPath, reader: inout ConfigReader) throws(ConfigError) {
        self.init(
            tag: try reader.requiredString("tag", in: table, at: path),
            newClasses: try reader.stringArray("new_classes", in: table, at: path),
            newSqliteClasses: try reader.stringArray("new_sqlite_classes", in: table, at: path),
            renamedClasses: try Self.readRenamedClasses(from: table, at: path, reader: reader),
            deletedClasses: try reader.stringArray("deleted_classes", in: table, at: path)
        )
        reader.warnAboutUnexpectedFields(in: table, at: path, known: Self.knownFields)
    }

    private static func readRenamedClasses(
        from table: TOMLNode.Table,
        at path: FieldPath,
        reader: ConfigReader
    ) throws(ConfigError) -> [RenamedClass] {
        let fieldPath = path.appending("renamed_classes")
        guard let node = table["renamed_classes"] else { return [] }
        let mismatch = reader.error(
            "Expected \(fieldPath.description.jsonQuoted) to be an array of \"{from: string, to: string}\" objects but got \(node.jsonText).",
            at: fieldPath
        )
        guard case .array(let entries) = node else { throw mismatch }
        var renames: [RenamedClass] = []
        for (index, entry) in entries.enumerated() {
            guard case .table(let rename) = entry, case .string(let from)? = rename["from"], case .string(let to)? = rename["to"]
            else {
                throw reader.error(mismatch.message, at: fieldPath.appending(index: index))
            }
            renames.append(RenamedClass(from: from, to: to))
        }
        return renames
    }
}
