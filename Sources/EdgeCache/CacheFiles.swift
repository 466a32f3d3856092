import Crypto
import EdgeRuntime
import EdgeSQLite
import Foundation

/// The Cache API's storage: one SQLite file per cache under the state directory, as
/// ``EdgeRuntime/CacheBackend`` asks.
///
/// ```
/// <state>/cache/default.sqlite          caches.default
/// <state>/cache/named/<name>.sqlite     await caches.open(name)   (name percent-encoded; a
///                                       name too long for a file name is its SHA-256)
/// ```
///
/// Each file holds one table, `entries`, keyed by the request URL; bodies are blobs. Each call
/// opens the file, does its work and closes it (there is no connection to keep or to close at
/// shutdown), so another emulator on the same state directory, or the next one after a restart,
/// sees the same entries. Expiry is decided by the caller on the emulator's clock; `store` also
/// drops the entries that had expired by the time of the new one.
package struct CacheFiles: CacheBackend {
    /// `<state>/cache`.
    package let directory: URL

    /// The caches of the state directory `stateRoot`.
    package init(stateRoot: URL) {
        directory = stateRoot.appendingPathComponent("cache")
    }

    /// The file of the cache named `cache` (`nil`: `caches.default`).
    package func file(of cache: String?) -> URL {
        guard let cache else { return directory.appendingPathComponent("default.sqlite") }
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-_")
        let encoded = cache.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        let stem = encoded.count <= 200 ? encoded : "sha256-" + SHA256.hash(data: Data(cache.utf8)).map { String(format: "%02x", $0) }.joined()
        return directory.appendingPathComponent("named").appendingPathComponent("\(stem).sqlite")
    }

    package func store(_ entry: CacheEntry, in cache: String?) async throws {
        try withEntries(of: cache) { connection in
            try connection.transaction {
                _ = try connection.execute("DELETE FROM entries WHERE expires_at <= ?", [.real(entry.storedAt.timeIntervalSince1970)])
                _ = try connection.execute(
                    "INSERT OR REPLACE INTO entries (url, status, headers, vary, body, stored_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        .text(entry.key), .integer(Int64(entry.status)), .text(Self.lines(entry.headers)),
                        .text(Self.lines(entry.varyValues)), .blob(entry.body),
                        .real(entry.storedAt.timeIntervalSince1970), .real(entry.expiresAt.timeIntervalSince1970),
                    ])
            }
        }
    }

    package func entry(for key: String, in cache: String?) async throws -> CacheEntry? {
        guard FileManager.default.fileExists(atPath: file(of: cache).path) else { return nil }
        return try withEntries(of: cache) { connection in
            let result = try connection.execute(
                "SELECT status, headers, vary, body, stored_at, expires_at FROM entries WHERE url = ?", [.text(key)])
            guard let row = result.rows.first, row.count == 6,
                case .integer(let status) = row[0], case .text(let headers) = row[1], case .text(let vary) = row[2],
                case .real(let storedAt) = row[4], case .real(let expiresAt) = row[5]
            else { return nil }
            let body: [UInt8]
            switch row[3] {
            case .blob(let bytes): body = bytes
            default: body = []
            }
            return CacheEntry(
                key: key, status: Int(status), headers: Self.pairs(headers), varyValues: Self.pairs(vary), body: body,
                storedAt: Date(timeIntervalSince1970: storedAt), expiresAt: Date(timeIntervalSince1970: expiresAt))
        }
    }

    package func remove(_ key: String, from cache: String?) async throws -> Bool {
        guard FileManager.default.fileExists(atPath: file(of: cache).path) else { return false }
        return try withEntries(of: cache) { connection in
            return try connection.execute("DELETE FROM entries WHERE url = ?", [.text(key)]).rowsWritten > 0
        }
    }

    /// Opens the cache's file (creating it and its table if needed), runs `body`, closes it.
    private func withEntries<T>(of cache: String?, _ body: (Connection) throws -> T) throws -> T {
        let path = file(of: cache)
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        var limits = Limits.production
        // Bodies up to production's object size (SQLite's own ceiling is 1 000 000 000 bytes).
        limits.length = Int32(CachePolicy.maxObjectSize + 1_048_576)
        let connection = try Connection(path: path.path, configuration: Connection.Configuration(limits: limits))
        defer { connection.close() }
        _ = try connection.execute(
            "CREATE TABLE IF NOT EXISTS entries (url TEXT PRIMARY KEY, status INTEGER NOT NULL, headers TEXT NOT NULL, "
                + "vary TEXT NOT NULL, body BLOB NOT NULL, stored_at REAL NOT NULL, expires_at REAL NOT NULL)")
        return try body(connection)
    }

    /// Header pairs as `name: value` lines (header values never hold a line break).
    private static func lines(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
    }

    /// The pairs ``lines(_:)`` wrote.
    private static func pairs(_ text: String) -> [(String, String)] {
        text.split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].dropFirst(line[line.index(after: colon)...].hasPrefix(" ") ? 1 : 0)
            return (String(line[..<colon]), String(value))
        }
    }
}
