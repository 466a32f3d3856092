import ArgumentParser
import EdgeD1
import Foundation

/// `edge d1 migrations create|list|apply <DB>`, as wrangler's.
struct D1MigrationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrations",
        abstract: "Create, list and apply D1 migrations (NNNN_name.sql in migrations_dir).",
        subcommands: [Create.self, List.self, Apply.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a new, empty migration file.")
        @OptionGroup var target: D1Target
        @Argument(help: "What the migration does, e.g. \"add orders\".")
        var message: String

        func run() async throws {
            let (entry, database) = try target.open()
            defer { database.close() }
            do {
                let file = try D1Migrations(database: database, directory: entry.migrationsDirectory, table: entry.migrationsTable)
                    .create(message: message)
                Terminal.print("✅ Successfully created Migration '\(file.lastPathComponent)'!")
                Terminal.print("")
                Terminal.print("The migration is available for editing here")
                Terminal.print(file.path)
            } catch {
                Terminal.error(error.description)
                throw ExitCode.failure
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the migrations not yet applied.")
        @OptionGroup var target: D1Target

        func run() async throws {
            let (entry, database) = try target.open()
            defer { database.close() }
            do {
                let pending = try await D1Migrations(database: database, directory: entry.migrationsDirectory, table: entry.migrationsTable).list()
                if pending.isEmpty {
                    Terminal.print("✅ No migrations to apply!")
                } else {
                    Terminal.print("Migrations to be applied:")
                    Terminal.print(MigrationTable.render(pending))
                }
            } catch {
                Terminal.error(error.description)
                throw ExitCode.failure
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply the pending migrations, each file atomically with its d1_migrations row.")
        @OptionGroup var target: D1Target

        func run() async throws {
            let (entry, database) = try target.open()
            defer { database.close() }
            let migrations = D1Migrations(database: database, directory: entry.migrationsDirectory, table: entry.migrationsTable)
            do {
                let pending = try await migrations.list()
                guard !pending.isEmpty else {
                    Terminal.print("✅ No migrations to apply!")
                    return
                }
                Terminal.print("Migrations to be applied:")
                Terminal.print(MigrationTable.render(pending))
                let applied = try await migrations.apply { Terminal.print("🌀 Applying \($0)") }
                Terminal.print(MigrationTable.render(applied, status: "✅"))
            } catch {
                Terminal.error(error.description)
                throw ExitCode.failure
            }
        }
    }
}

/// The table wrangler prints for migrations (its `logger.table`, as for `d1 execute` results).
enum MigrationTable {
    static func render(_ names: [String], status: String? = nil) -> String {
        let head = status.map { _ in ["Name", "Status"] } ?? ["Name"]
        return BoxTable.render(head: head, rows: names.map { name in status.map { [name, $0] } ?? [name] })
    }
}
