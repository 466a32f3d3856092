import EdgeSQLite
import Foundation

/// `metadata.sqlite` of one class: the name of each object made from a name, and each object's
/// pending alarm.
///
/// Names let the host list objects that exist only on disk with their names, and give an alarm
/// that fires after a restart an instance whose `ctx.id.name` is restored, as workerd keeps it
/// for the same reason. Alarms here are what the ``AlarmScheduler`` loads on start.
///
/// ```sql
/// CREATE TABLE objects (id TEXT PRIMARY KEY, name TEXT, alarm_ms INTEGER) WITHOUT ROWID
/// ```
final class MetadataStore: Sendable {
    private let file: SQLiteFile

    /// Opens (creating) `metadata.sqlite` in `directory`.
    init(directory: URL) throws {
        file = try SQLiteFile(path: directory.appendingPathComponent("metadata.sqlite").path)
        try file.withConnection { connection in
            _ = try connection.trusted(
                "CREATE TABLE IF NOT EXISTS objects (id TEXT PRIMARY KEY, name TEXT, alarm_ms INTEGER) WITHOUT ROWID")
        }
    }

    /// Records that `id` exists, with its name if it has one.
    func record(_ id: DurableObjectId) throws {
        try file.withConnection { connection in
            _ = try connection.trusted(
                """
                INSERT INTO objects (id, name) VALUES (?1, ?2)
                ON CONFLICT (id) DO UPDATE SET name = coalesce(objects.name, excluded.name)
                """, [.text(id.hex), id.name.map(SQLiteValue.text) ?? .null])
        }
    }

    /// Stores the alarm of `id` (`nil`: none).
    func setAlarm(_ id: DurableObjectId, _ time: Date?) throws {
        let milliseconds = time.map { SQLiteValue.integer(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? .null
        try file.withConnection { connection in
            _ = try connection.trusted(
                """
                INSERT INTO objects (id, name, alarm_ms) VALUES (?1, ?2, ?3)
                ON CONFLICT (id) DO UPDATE SET alarm_ms = excluded.alarm_ms, name = coalesce(objects.name, excluded.name)
                """, [.text(id.hex), id.name.map(SQLiteValue.text) ?? .null, milliseconds])
        }
    }

    /// The name of each object that has one, by hex id.
    func names() throws -> [String: String] {
        let rows = try file.withConnection { try $0.trusted("SELECT id, name FROM objects WHERE name IS NOT NULL").rows }
        var names: [String: String] = [:]
        for row in rows {
            if case .text(let id) = row[0], case .text(let name) = row[1] { names[id] = name }
        }
        return names
    }

    /// Every pending alarm, with the id's name restored.
    func alarms() throws -> [(id: DurableObjectId, time: Date)] {
        let rows = try file.withConnection {
            try $0.trusted("SELECT id, name, alarm_ms FROM objects WHERE alarm_ms IS NOT NULL ORDER BY alarm_ms").rows
        }
        return rows.compactMap { row in
            guard case .text(let hex) = row[0], case .integer(let milliseconds) = row[2] else { return nil }
            let name: String? = if case .text(let name) = row[1] { name } else { nil }
            return (DurableObjectId(hex: hex, name: name), Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        }
    }

    /// Closes the file (at shutdown).
    func close() {
        file.close(because: DurableObjectError.shutDown)
    }
}
