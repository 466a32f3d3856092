import Foundation

/// The migrations of one D1 database: numbered `.sql` files in a directory, applied in order
/// and recorded in a table, exactly as `wrangler d1 migrations create|list|apply` manage them.
///
/// - The table (default `d1_migrations`) is created with wrangler's DDL:
///   `id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT
///   CURRENT_TIMESTAMP NOT NULL`; `name` is the file name, such as `0001_init.sql`.
/// - Pending migrations are the `*.sql` files whose name is not in the table, ordered by the
///   leading integer of the name (so `9_x.sql` comes before `10_y.sql`), ties and unnumbered
///   files (which come last) by name.
/// - Each migration runs as one atomic step: the file's statements and the
///   `INSERT INTO "<table>" (name) values ('<file>')` that records it, as one
///   ``D1Database/executeScript(_:)``. A failure stops the run; earlier migrations stay applied.
public struct D1Migrations: Sendable {
    /// The database the migrations apply to.
    public let database: D1Database
    /// The directory holding the `.sql` files (`migrations_dir`).
    public let directory: URL
    /// The table recording applied migrations (`migrations_table`).
    public let table: String

    /// Describes the migrations in `directory` for `database`.
    public init(database: D1Database, directory: URL, table: String = "d1_migrations") {
        self.database = database
        self.directory = directory
        self.table = table
    }

    /// The migrations not yet applied, in the order ``apply(progress:)`` would apply them
    /// (what `wrangler d1 migrations list` prints). Creates the table if needed.
    ///
    /// - Throws: `No migrations present at <directory>.` when the directory is missing.
    public func list() async throws(D1MigrationError) -> [String] {
        let files = try migrationFiles()
        let applied = Set(try await applied().map(\.name))
        return files.filter { !applied.contains($0) }
    }

    /// The migrations recorded as applied, in the order they were applied.
    public func applied() async throws(D1MigrationError) -> [D1AppliedMigration] {
        try await createTable()
        do {
            let rows = try await database.prepare("SELECT * FROM \(quotedTable) ORDER BY id").all().results
            return rows.map {
                D1AppliedMigration(
                    id: $0["id"]?.int64Value ?? 0, name: $0["name"]?.stringValue ?? "",
                    appliedAt: $0["applied_at"]?.stringValue ?? "")
            }
        } catch {
            throw D1MigrationError(database: error)
        }
    }

    /// Applies every pending migration in order, each as one atomic step.
    ///
    /// - Parameter progress: called with each migration's name once it is applied.
    /// - Returns: the names applied, in order (empty when there were none: re-applying is a no-op).
    /// - Throws: on the first failure, an error naming the file and D1's error; that migration
    ///   left no trace, the ones before it stay applied.
    @discardableResult
    public func apply(progress: (String) -> Void = { _ in }) async throws(D1MigrationError) -> [String] {
        var appliedNow: [String] = []
        for name in try await list() {
            let file = directory.appendingPathComponent(name, isDirectory: false)
            let text: String
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw D1MigrationError(unreadable: file.path, reason: "\(error)")
            }
            let escapedName = name.replacingOccurrences(of: "'", with: "''")
            let script = "\(text)\nINSERT INTO \(quotedTable) (name)\nvalues ('\(escapedName)');"
            do {
                _ = try await database.executeScript(script)
            } catch {
                throw D1MigrationError(migration: name, failure: error)
            }
            appliedNow.append(name)
            progress(name)
        }
        return appliedNow
    }

    /// Creates the next migration file, `<NNNN>_<message>.sql` with spaces turned into `_`, and
    /// returns its URL (what `wrangler d1 migrations create` does). The number is one more than
    /// the highest so far, four digits at least, so the first is `0001`. The directory is created
    /// if missing. The file holds `-- Migration number: 0001 \t <ISO date>\n`.
    ///
    /// - Throws: when the name holds a path separator (`/` or `\`).
    @discardableResult
    public func create(message: String, date: Date = Date()) throws(D1MigrationError) -> URL {
        let name = message.replacingOccurrences(of: " ", with: "_")
        guard !name.contains("/"), !name.contains("\\") else { throw D1MigrationError(pathSeparatorIn: message) }
        let existing = FileManager.default.fileExists(atPath: directory.path) ? try migrationFiles() : []
        let highest = existing.compactMap(Self.leadingNumber).filter { $0 >= 0 }.max() ?? 0
        var number = String(Int(min(highest, 1e15)) + 1)
        if number.count < 4 { number = String(repeating: "0", count: 4 - number.count) + number }
        let file = directory.appendingPathComponent("\(number)_\(name).sql", isDirectory: false)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try "-- Migration number: \(number) \t \(formatter.string(from: date))\n"
                .write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw D1MigrationError(unwritable: file.path, reason: "\(error)")
        }
        return file
    }

    // MARK: Files

    /// The `*.sql` files directly in the directory (no dotfiles), in application order.
    func migrationFiles() throws(D1MigrationError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw D1MigrationError(missingDirectory: directory.path) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw D1MigrationError(unreadable: directory.path, reason: "\(error)")
        }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(name).path
            return name.hasSuffix(".sql") && !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        .sorted(by: Self.precedes)
    }

    /// wrangler's `compareMigrationPaths`: by leading number, numbered before unnumbered, then
    /// by name.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let (first, second) = (leadingNumber(a), leadingNumber(b))
        if first != second {
            switch (first, second) {
            case (let first?, let second?): return first < second
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): break
            }
        }
        return a < b
    }

    /// wrangler's `leadingMigrationNumber`: `parseInt` of the text before the first `_`
    /// (`0001_init.sql` is 1, `12abc_x.sql` is 12, `init.sql` has none).
    static func leadingNumber(_ name: String) -> Double? {
        let head = name.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)[0]
        var rest = head.drop(while: \.isWhitespace)
        var sign = 1.0
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard let value = Double(digits) else { return nil }
        return sign * value
    }

    private var quotedTable: String {
        "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private func createTable() async throws(D1MigrationError) {
        let ddl = """
            CREATE TABLE IF NOT EXISTS \(quotedTable)(
            \t\tid         INTEGER PRIMARY KEY AUTOINCREMENT,
            \t\tname       TEXT UNIQUE,
            \t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
            );
            """
        do {
            _ = try await database.executeScript(ddl)
        } catch {
            throw D1MigrationError(database: error)
        }
    }
}

/// A migration recorded in the migrations table.
public struct D1AppliedMigration: Sendable, Hashable, Codable {
    /// The row's `id`, in application order.
    public var id: Int64
    /// The file name, such as `0001_init.sql`.
    public var name: String
    /// `applied_at`, SQLite's `CURRENT_TIMESTAMP` (UTC, `YYYY-MM-DD HH:MM:SS`).
    public var appliedAt: String

    /// Creates a record.
    public init(id: Int64, name: String, appliedAt: String) {
        self.id = id
        self.name = name
        self.appliedAt = appliedAt
    }
}
