extension WranglerConfig {
    /// The D1 database whose `binding` or `database_name` is `name`, as `wrangler d1 execute` finds it;
    /// a binding match wins over a `database_name` match.
    ///
    /// Throws wrangler's `Couldn't find a D1 DB with the name or binding '<name>' in <file>.`,
    /// followed by the databases the config does have.
    public func d1Database(named name: String) throws(ConfigError) -> D1DatabaseConfig {
        if let database = d1Databases.first(where: { $0.binding == name }) ?? d1Databases.first(where: { $0.databaseName == name }) {
            return database
        }
        let known = d1Databases.map { database in
            database.databaseName.map { "\(database.binding) (\($0))" } ?? database.binding
        }
        let list = known.isEmpty ? "none" : known.joined(separator: ", ")
        throw ConfigError.unknownD1Database(
            "Couldn't find a D1 DB with the name or binding '\(name)' in \(path.displayPath). Known: \(list).",
            file: path
        )
    }
}
