import EdgeRuntime
import EdgeSQLite
import Foundation
import Synchronization

// Storage of one Durable Object, as on SQLite-backed objects in production.
//
// Layout on disk (the same as Miniflare's, so a state directory is easy to carry over):
//
//     <stateRoot>/do/<workerName>-<ClassName>/<64-hex-id>.sqlite   one database per object (WAL)
//     <stateRoot>/do/<workerName>-<ClassName>/metadata.sqlite      per class: each object's name
//                                                                  and pending alarm
//
// Inside an object's database, the application's own tables (`storage.sql`) sit beside the
// hidden `_cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID` table that holds the KV API,
// created on the first write as workerd does. Values are JSON, the Swift stand-in for
// structured clone. The authorizer refuses `_cf_` names and BEGIN/SAVEPOINT in application SQL;
// the runtime's own statements run as trusted.
//
// Every call is synchronous and completes before it returns, so code between two awaits is
// atomic with respect to other events (there is no write coalescing to wait for; `sync()`
// returns at once). Each instance is handed its own connection (``SQLiteFile``): when the
// instance is evicted or reset the connection is closed with the reason, and every later call
// of the stale instance throws it.

/// `ctx.storage`: the KV API, `sql`, transactions and alarms of one Durable Object, on SQLite.
///
/// Mirrors Cloudflare's SQLite-backed Durable Object Storage API; every call is synchronous, as
/// production's SQLite-backed calls complete synchronously.
public final class DurableObjectStorage: Sendable {
    /// `ctx.storage.sql`.
    public let sql: SqlStorage
    let file: SQLiteFile
    let id: DurableObjectId
    let alarms: AlarmScheduler
    let gate: InputGate
    let generation: Int
    private let savepoints = Savepoints()
    /// The size limits of the class's backend (`StorageLimits.swift`).
    let limits: StorageLimits

    init(file: SQLiteFile, id: DurableObjectId, sqlEnabled: Bool, alarms: AlarmScheduler, gate: InputGate, generation: Int) {
        self.file = file
        self.limits = .backend(sqlEnabled: sqlEnabled)
        self.id = id
        self.alarms = alarms
        self.gate = gate
        self.generation = generation
        sql = SqlStorage(file: file, enabled: sqlEnabled)
    }

    // MARK: get

    /// `storage.get(key)`: the value stored under `key`, or `nil`.
    public func get<T: Decodable>(_ key: String, as type: T.Type = T.self) throws -> T? {
        try limits.check(key: key)
        guard let bytes = try file.withConnection({ try Self.value(of: key, in: $0) }) else { return nil }
        return try Self.decode(T.self, from: bytes)
    }

    /// `storage.get(keys)`: the values of the keys that exist (missing keys are left out).
    public func get<T: Decodable>(_ keys: [String], as type: T.Type = T.self) throws -> [String: T] {
        try limits.check(count: keys.count)
        let found: [(String, [UInt8])] = try file.withConnection { connection in
            try keys.compactMap { key in try Self.value(of: key, in: connection).map { (key, $0) } }
        }
        var values: [String: T] = [:]
        for (key, bytes) in found { values[key] = try Self.decode(T.self, from: bytes) }
        return values
    }

    // MARK: put and delete

    /// `storage.put(key, value)`. Key and value together may hold 2 MB on a SQLite-backed class;
    /// a key-value class takes keys up to 2048 bytes and values up to 131072 bytes.
    public func put<T: Encodable>(_ key: String, _ value: T) throws {
        let bytes = try encode(value, key: key)
        try file.withConnection { connection in
            try Self.createTable(in: connection)
            _ = try connection.trusted("INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?1, ?2)", [.text(key), .blob(bytes)])
        }
    }

    /// `storage.put(entries)`: all or nothing (at most 128 entries on a key-value class).
    public func put<T: Encodable>(_ entries: [String: T]) throws {
        try limits.check(count: entries.count)
        let encoded = try entries.map { ($0.key, try encode($0.value, key: $0.key)) }
        try file.withConnection { connection in
            try connection.transaction {
                try Self.createTable(in: connection)
                for (key, bytes) in encoded {
                    _ = try connection.trusted("INSERT OR REPLACE INTO _cf_KV (key, value) VALUES (?1, ?2)", [.text(key), .blob(bytes)])
                }
            }
        }
    }

    /// `storage.delete(key)`: whether the key existed.
    @discardableResult
    public func delete(_ key: String) throws -> Bool {
        try limits.check(key: key)
        return try file.withConnection { connection in
            guard try Self.tableExists(in: connection) else { return false }
            return try connection.trusted("DELETE FROM _cf_KV WHERE key = ?1", [.text(key)]).rowsWritten > 0
        }
    }

    /// `storage.delete(keys)`: how many of the keys existed.
    @discardableResult
    public func delete(_ keys: [String]) throws -> Int {
        try limits.check(count: keys.count)
        for key in keys { try limits.check(key: key) }
        return try file.withConnection { connection in
            guard try Self.tableExists(in: connection) else { return 0 }
            return try connection.transaction {
                try keys.reduce(0) { count, key in
                    count + (try connection.trusted("DELETE FROM _cf_KV WHERE key = ?1", [.text(key)]).rowsWritten)
                }
            }
        }
    }

    /// `storage.deleteAll()`: deletes every key, every SQL table, index, view and trigger, and
    /// (as from compatibility date 2026-02-24, `delete_all_deletes_alarm`) the alarm. Atomic.
    public func deleteAll() throws {
        try file.withConnection { connection in
            _ = try connection.trusted("PRAGMA foreign_keys = OFF")
            defer { _ = try? connection.trusted("PRAGMA foreign_keys = ON") }
            try connection.transaction {
                // Views first, then virtual tables (which drop their shadow tables), then the rest.
                let objects = try connection.trusted(
                    """
                    SELECT type, name FROM sqlite_master
                    WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                    ORDER BY CASE WHEN type = 'view' THEN 0 WHEN sql LIKE 'CREATE VIRTUAL TABLE%' THEN 1 ELSE 2 END
                    """
                ).rows
                for object in objects {
                    guard case .text(let type) = object[0], case .text(let name) = object[1] else { continue }
                    let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    _ = try connection.trusted("DROP \(type == "view" ? "VIEW" : "TABLE") IF EXISTS \(quoted)")
                }
            }
        }
        try alarms.delete(id)
    }

    /// `storage.sync()`: every write is already durable when its call returns, so this only
    /// checks that the instance still owns its storage.
    public func sync() async throws {
        try file.checkOpen()
    }

    // MARK: Transactions

    /// `storage.transactionSync(fn)`: runs `body` atomically; a throw rolls back everything it
    /// wrote (alarm changes included) and is rethrown. Nested calls nest as savepoints.
    public func transactionSync<T>(_ body: () throws -> T) throws -> T {
        try file.withConnection { connection in
            let alarm = alarms.get(id)
            do {
                return try connection.transaction(body)
            } catch {
                alarms.restore(id, to: alarm)
                throw error
            }
        }
    }

    /// `storage.transaction(async txn => ...)`: runs `body` holding the input gate (as workerd
    /// does: no other event starts meanwhile) inside a savepoint; a throw rolls back and is
    /// rethrown, without resetting the object. On SQLite the `txn` is the storage itself.
    nonisolated(nonsending) public func transaction<T: Sendable>(
        _ body: nonisolated(nonsending) @Sendable (DurableObjectStorage) async throws -> T
    ) async throws -> T {
        try await gate.exclusively(generation: generation) {
            let name = try file.withConnection { connection in
                let name = "_cf_txn_savepoint_\(savepoints.enter())"
                _ = try connection.trusted("SAVEPOINT \(name)")
                return name
            }
            let alarm = alarms.get(id)
            do {
                let value = try await body(self)
                try file.withConnection { _ = try $0.trusted("RELEASE \(name)") }
                savepoints.leave()
                return value
            } catch {
                _ = try? file.withConnection { connection in
                    _ = try connection.trusted("ROLLBACK TO \(name)")
                    _ = try connection.trusted("RELEASE \(name)")
                }
                savepoints.leave()
                alarms.restore(id, to: alarm)
                throw error
            }
        }
    }

    // MARK: The _cf_KV table

    static func tableExists(in connection: Connection) throws -> Bool {
        !(try connection.trusted("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_KV'").rows.isEmpty)
    }

    static func createTable(in connection: Connection) throws {
        _ = try connection.trusted("CREATE TABLE IF NOT EXISTS _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID")
    }

    private static func value(of key: String, in connection: Connection) throws -> [UInt8]? {
        guard try tableExists(in: connection) else { return nil }
        let rows = try connection.trusted("SELECT value FROM _cf_KV WHERE key = ?1", [.text(key)]).rows
        guard case .blob(let bytes)? = rows.first?.first else { return nil }
        return bytes
    }

    /// The stored form of `value` (JSON), checked against the backend's limits with its key.
    func encode<T: Encodable>(_ value: T, key: String) throws -> [UInt8] {
        try limits.check(key: key)
        // Edge's JSON: an OrderedDictionary (a Map's twin) is stored as an object in its order.
        let bytes = try JSON.bytes(value)
        try limits.check(key: key, value: bytes)
        return bytes
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSON.parse(bytes: bytes, as: T.self)
    }
}

/// The depth of nested `transaction()` savepoints, for their names.
private final class Savepoints: Sendable {
    private let depth = Mutex(0)

    func enter() -> Int {
        depth.withLock { depth in
            depth += 1
            return depth
        }
    }

    func leave() {
        depth.withLock { $0 -= 1 }
    }
}
