import Foundation

extension D1Database {
    /// The database as SQL, like `wrangler d1 export <DB> --output FILE [--table T ...]
    /// [--no-schema] [--no-data]`: statements that ``executeScript(_:)`` (`edge d1 execute --file`)
    /// runs into an empty database to give the same schema and rows.
    ///
    /// The format is Miniflare's `dumpSql` (workers-sdk `packages/miniflare/src/workers/d1/dumpSql.ts`,
    /// itself SQLite shell's `.dump`): `PRAGMA defer_foreign_keys=TRUE;`, the tables' `CREATE`s, their
    /// rows as `INSERT INTO "t" ("a","b") VALUES(...);`, `sqlite_sequence` last among tables, then
    /// indexes, views and triggers. Where that export does not import back, Edge's does:
    /// - every table is created before any row is inserted: a row of a child table made before
    ///   its parent fails with `no such table` otherwise, deferred foreign keys or not (Miniflare
    ///   writes each table's rows after its own `CREATE`, and D1 ignores `PRAGMA foreign_keys=OFF`
    ///   inside its transaction);
    /// - INTEGERs are written exactly (a JavaScript number loses digits past 2^53) and REALs keep
    ///   a decimal point or exponent, so `1.0` stays a REAL in a column without affinity;
    /// - a rowid table without an `INTEGER PRIMARY KEY` keeps its rowids;
    /// - a row whose `INSERT` would pass production's 100 000-byte statement limit is written as an
    ///   `INSERT` with its largest values empty, then `UPDATE`s appending them in pieces;
    /// - views come before triggers (an `INSTEAD OF` trigger needs its view), and `--table`
    ///   keeps the table's indexes and triggers (Miniflare filters them by their own name);
    /// - text holding a NUL character is written as `CAST(X'..' AS TEXT)`.
    ///
    /// Virtual tables are refused as Miniflare refuses them. Tables named `_cf_*` are the
    /// runtime's and are left out.
    ///
    /// - Parameters:
    ///   - tables: the tables to export; empty for all.
    ///   - noSchema: only rows (`--no-schema`).
    ///   - noData: only the schema (`--no-data`).
    /// - Returns: the statements, each ending in `;`; wrangler writes them joined by newlines.
    public func export(tables: [String] = [], noSchema: Bool = false, noData: Bool = false) async throws(D1Error) -> [String] {
        var output = ["PRAGMA defer_foreign_keys=TRUE;"]
        var data: [String] = []
        let wanted = Set(tables)
        let schema = try await prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql NOT NULL ORDER BY tbl_name = 'sqlite_sequence', rowid"
        ).raw()
        for row in schema {
            guard let table = row[0].stringValue, let sql = row[1].stringValue else { continue }
            if !wanted.isEmpty && !wanted.contains(table) { continue }
            if table == "sqlite_sequence" {
                // Among the rows: the imported AUTOINCREMENT rows have filled it by then.
                if !noSchema { data.append("DELETE FROM sqlite_sequence;") }
            } else if table.hasPrefix("sqlite_stat") {
                if !noSchema { output.append("ANALYZE sqlite_schema;") }
            } else if sql.uppercased().hasPrefix("CREATE VIRTUAL TABLE") {
                throw D1Error(.error, "D1 Export error: cannot export databases with Virtual Tables (fts5)")
            } else if table.lowercased().hasPrefix("_cf_") || table.hasPrefix("sqlite_") {
                continue
            } else if !noSchema {
                // As SQLite's .dump: a quoted table name gets IF NOT EXISTS.
                let quoted = sql.hasPrefix("CREATE TABLE \"") || sql.hasPrefix("CREATE TABLE '")
                output.append(quoted ? "CREATE TABLE IF NOT EXISTS \(sql.dropFirst(13));" : "\(sql);")
            }
            if !noData { data += try await rows(of: table) }
        }
        output += data
        if !noSchema {
            let rest = try await prepare(
                "SELECT tbl_name, sql FROM sqlite_master WHERE sql NOT NULL AND type IN ('index', 'trigger', 'view') "
                    + "ORDER BY CASE type WHEN 'index' THEN 0 WHEN 'view' THEN 1 ELSE 2 END, rowid"
            ).raw()
            for row in rest {
                guard let table = row[0].stringValue, let sql = row[1].stringValue else { continue }
                if !wanted.isEmpty && !wanted.contains(table) { continue }
                output.append("\(sql);")
            }
        }
        return output
    }

    /// The `INSERT` statements (and `UPDATE`s for large values) of every row of `table`.
    private func rows(of table: String) async throws(D1Error) -> [String] {
        let name = ExportSQL.identifier(table)
        let columns = try await prepare("PRAGMA table_info(\(name))").raw()
        let columnNames = columns.compactMap { $0[1].stringValue }
        let primaryKey = columns.filter { ($0[5].int64Value ?? 0) > 0 }
        let rowidName = try await rowidName(of: name, columns: columnNames)
        let aliased = primaryKey.count == 1 && primaryKey[0][2].stringValue?.uppercased() == "INTEGER"
        // SQLite's own tables (sqlite_sequence) are keyed by name: their rowids mean nothing, and
        // the imported AUTOINCREMENT rows have taken the first ones already.
        let keepsRowid = rowidName != nil && !aliased && !table.hasPrefix("sqlite_")
        let selected = (keepsRowid ? [rowidName!] : []) + columnNames.map(ExportSQL.identifier)
        let inserted = selected.joined(separator: ",")
        var statements: [String] = []
        let rows = try await prepare("SELECT \(selected.joined(separator: ", ")) FROM \(name)").raw()
        for row in rows {
            var cells = row.map(ExportSQL.literal)
            let insert = { "INSERT INTO \(name) (\(inserted)) VALUES(\(cells.joined(separator: ",")));" }
            if insert().utf8.count <= ExportSQL.statementBudget {
                statements.append(insert())
                continue
            }
            // Too long for one statement: empty the largest values, then append them in pieces.
            var postponed: [Int] = []
            for index in cells.indices.sorted(by: { cells[$0].utf8.count > cells[$1].utf8.count }) {
                guard insert().utf8.count > ExportSQL.statementBudget else { break }
                switch row[index] {
                case .text: cells[index] = "''"
                case .blob: cells[index] = "X''"
                default: continue
                }
                postponed.append(index)
            }
            statements.append(insert())
            let key: String
            if let rowidName {
                let rowid = keepsRowid ? row[0] : row[selected.firstIndex(of: ExportSQL.identifier(primaryKey[0][1].stringValue ?? "")) ?? 0]
                key = "\(rowidName) = \(ExportSQL.literal(rowid))"
            } else {
                key = primaryKey.compactMap { column -> String? in
                    guard let column = column[1].stringValue, let index = selected.firstIndex(of: ExportSQL.identifier(column)) else { return nil }
                    return "\(ExportSQL.identifier(column)) = \(ExportSQL.literal(row[index]))"
                }.joined(separator: " AND ")
            }
            for index in postponed {
                let column = selected[index]
                for piece in ExportSQL.pieces(of: row[index]) {
                    statements.append("UPDATE \(name) SET \(column) = \(piece(column)) WHERE \(key);")
                }
            }
        }
        return statements
    }

    /// The first of `rowid`, `_rowid_`, `oid` that names the table's rowid (no column has that
    /// name), or nil for a `WITHOUT ROWID` table.
    private func rowidName(of table: String, columns: [String]) async throws(D1Error) -> String? {
        for candidate in ["rowid", "_rowid_", "oid"] where !columns.contains(where: { $0.lowercased() == candidate }) {
            do {
                _ = try await prepare("SELECT \(candidate) FROM \(table) LIMIT 0").raw()
                return candidate
            } catch {
                return nil
            }
        }
        return nil
    }
}
