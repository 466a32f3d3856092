import ArgumentParser
import EdgeConfig
import EdgeD1
import Foundation

/// `edge d1`: D1 databases in the local state directory, like `wrangler d1 ... --local`.
struct D1Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "d1",
        abstract: "Run SQL and migrations against the local D1 databases.",
        discussion: "Commands act on the files under --persist-to and work while `edge dev` runs.",
        subcommands: [D1ExecuteCommand.self, D1ExportCommand.self, D1MigrationsCommand.self]
    )
}

/// What the D1 commands share: naming a database by binding or database_name.
struct D1Target: ParsableArguments {
    @Argument(help: "The database, by binding (e.g. DB) or database_name.")
    var database: String

    @OptionGroup var options: ConfigOptions

    /// The configured database and its file, opened.
    func open() throws -> (config: D1DatabaseConfig, database: D1Database) {
        let config = try options.load()
        let entry: D1DatabaseConfig
        do {
            entry = try config.d1Database(named: database)
        } catch {
            Terminal.error(error.message)
            throw ExitCode.failure
        }
        let name = entry.databaseName ?? entry.binding
        do {
            return (entry, try D1Database(path: D1Database.path(stateRoot: options.stateRoot, databaseName: name), name: name))
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
    }
}
