import EdgeConfig
import EdgeD1
import EdgeDurableObjects
import Foundation

extension Emulator {
    /// Opens one database per `[[d1_databases]]` at `<stateRoot>/d1/<database_name ?? binding>.sqlite`
    /// and applies its pending migrations (unless disabled), logging each one applied.
    static func openDatabases(config: WranglerConfig, options: Options) async throws -> [String: D1Database] {
        var databases: [String: D1Database] = [:]
        do {
            for entry in config.d1Databases {
                let name = entry.databaseName ?? entry.binding
                let database = try D1Database(
                    path: D1Database.path(stateRoot: options.stateRoot, databaseName: name), name: name, faults: options.faults)
                databases[entry.binding] = database
                guard options.applyMigrations, FileManager.default.fileExists(atPath: entry.migrationsDirectory.path) else {
                    continue
                }
                let label = entry.databaseName.map { "\(entry.binding) (\($0))" } ?? entry.binding
                let migrations = D1Migrations(database: database, directory: entry.migrationsDirectory, table: entry.migrationsTable)
                let applied = try await migrations.apply { migration in
                    options.logger.info("Applied migration \(migration) to \(label)")
                }
                if applied.isEmpty {
                    options.logger.debug("No migrations to apply to \(label)")
                }
            }
        } catch {
            databases.values.forEach { $0.close() }
            throw ServerError.startup("\(error)")
        }
        return databases
    }
}
