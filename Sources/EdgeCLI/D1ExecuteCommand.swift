import ArgumentParser
import EdgeD1
import Foundation

/// `edge d1 execute <DB> --command SQL | --file F [--json]`.
struct D1ExecuteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "execute",
        abstract: "Execute SQL on a local database (all statements as one batch).",
        discussion: "Prints a table per statement as wrangler does, or with --json wrangler's JSON shape."
    )

    @OptionGroup var target: D1Target

    @Option(help: "The SQL to run.")
    var command: String?

    @Option(help: "A file of SQL to run.")
    var file: String?

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        if command != nil && file != nil { throw ValidationError("can't provide both --command and --file.") }
        if command == nil && file == nil { throw ValidationError("Missing required option --command or --file.") }
    }

    func run() async throws {
        let sql: String
        if let command {
            sql = command
        } else {
            let path = file ?? ""
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                Terminal.error("Unable to read SQL text file \"\(path)\". Please check the file path and try again.")
                throw ExitCode.failure
            }
            sql = text
        }
        let (entry, database) = try target.open()
        defer { database.close() }
        if !json {
            Terminal.print("🌀 Executing on local database \(entry.databaseName ?? entry.binding) (\(entry.databaseId ?? entry.binding)) from \(target.options.persistTo)/d1:")
        }
        let results: [D1Result]
        do {
            results = try await database.executeScript(sql)
        } catch {
            if json {
                Terminal.print("{\n  \"error\": {\n    \"text\": \(Self.quoted(error.description))\n  }\n}")
            } else {
                Terminal.error(error.description)
            }
            throw ExitCode.failure
        }
        if json {
            Terminal.print(D1Table.json(results))
            return
        }
        Terminal.print(D1Table.summary(commandCount: results.count))
        for result in results {
            let table = D1Table.render(result)
            if !table.isEmpty { Terminal.print(table) }
        }
    }

    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
