import ArgumentParser
import EdgeD1
import Foundation

/// `edge d1 export <DB> --output FILE [--table T ...] [--no-schema] [--no-data]`, as
/// `wrangler d1 export --local` (workers-sdk `packages/wrangler/src/d1/export.ts`).
struct D1ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the contents or schema of your database as a .sql file.",
        discussion: "`edge d1 execute <DB> --file FILE` imports it into an empty database."
    )

    @OptionGroup var target: D1Target

    @Option(help: "Which .sql file to output to.")
    var output: String

    @Option(help: "Specify which tables to include in export (repeatable).")
    var table: [String] = []

    @Flag(name: .customLong("no-schema"), help: "Only output table contents, not the DB schema.")
    var noSchema = false

    @Flag(name: .customLong("no-data"), help: "Only output table schema, not the contents of the DBs themselves.")
    var noData = false

    func validate() throws {
        if noSchema && noData { throw ValidationError("You cannot specify both --no-schema and --no-data") }
    }

    func run() async throws {
        let (entry, database) = try target.open()
        defer { database.close() }
        Terminal.print("🌀 Exporting local database \(target.database) (\(entry.previewDatabaseId ?? entry.databaseId ?? entry.binding)) from \(target.options.persistTo)/d1:")
        Terminal.print("🌀 Exporting SQL to \(output)...")
        do {
            let statements = try await database.export(tables: table, noSchema: noSchema, noData: noData)
            try Data(statements.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        Terminal.print("Done!")
    }
}
