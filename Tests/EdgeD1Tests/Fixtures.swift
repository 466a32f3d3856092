import EdgeD1
import EdgeSQLite
import Foundation
import Testing

/// A fresh temporary directory for one test, removed when the test's body returns.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("edge-d1-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    return try await body(root)
}

/// A fresh D1 database in a fresh state directory, closed and removed after the test.
func withDatabase<T>(
    seeded: Bool = false, busyTimeout: Duration = .milliseconds(5000),
    _ body: (D1Database, URL) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { root in
        let database = try D1Database(
            path: D1Database.path(stateRoot: root, databaseName: "test"), name: "test", busyTimeout: busyTimeout)
        defer { database.close() }
        if seeded { _ = try await database.exec(miniflareSchema) }
        return try await body(database, root)
    }
}

/// A fresh EdgeSQLite connection on a file in a fresh directory.
func withConnection<T>(_ body: (Connection, String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { root in
        let path = root.appendingPathComponent("test.sqlite").path
        let connection = try Connection(path: path)
        defer { connection.close() }
        return try await body(connection, path)
    }
}

/// The schema of Miniflare's D1 suite (packages/miniflare/test/plugins/d1/suite.ts).
let miniflareSchema = """
    CREATE TABLE colours (id INTEGER PRIMARY KEY, name TEXT NOT NULL, rgb INTEGER NOT NULL);
    CREATE TABLE kitchen_sink (id INTEGER PRIMARY KEY, int INTEGER, real REAL, text TEXT, blob BLOB);
    CREATE TABLE palettes (id INTEGER PRIMARY KEY, name TEXT NOT NULL, colour_id INTEGER NOT NULL, FOREIGN KEY (colour_id) REFERENCES colours(id));
    INSERT INTO colours (id, name, rgb) VALUES (1, 'red', 0xff0000);
    INSERT INTO colours (id, name, rgb) VALUES (2, 'green', 0x00ff00);
    INSERT INTO colours (id, name, rgb) VALUES (3, 'blue', 0x0000ff);
    INSERT INTO palettes (id, name, colour_id) VALUES (1, 'Night', 3);
    """

/// Expects `body` to throw an error whose description is exactly `text`.
func expectError(
    _ text: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("Expected an error: \(text)", sourceLocation: sourceLocation)
    } catch {
        #expect("\(error)" == text, sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw an error whose description starts with `prefix`.
func expectError(
    startingWith prefix: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("Expected an error starting with: \(prefix)", sourceLocation: sourceLocation)
    } catch {
        #expect("\(error)".hasPrefix(prefix), "\(error)", sourceLocation: sourceLocation)
    }
}

/// The text workerd and D1 use to refuse a SQL transaction statement.
let transactionRefusal =
    "To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it will automatically roll back on exceptions, and because it interacts correctly with Durable Objects' automatic atomic write coalescing."

/// Hands a value to another thread in a test that uses it from one thread at a time.
final class UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
