import EdgeDurableObjects
import Foundation
import Testing

@Suite("Storage: SQL API", .timeLimit(.minutes(1)))
struct SqlStorageTests {
    struct Item: Decodable, Equatable {
        let id: Int
        let name: String
        let price: Double?
    }

    func withSQL(_ body: @escaping @Sendable (DurableObjectStorage) throws -> Void) async throws {
        try await Harness.run { harness throws in
            try await harness.runtime.runInDurableObject(harness.counter("sql")) { _, state in try body(state.storage) }
        }
    }

    @Test func execRunsStatementsAndReturnsACursor() async throws {
        try await withSQL { storage in
            let sql = storage.sql
            let created = try sql.exec(
                "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL); INSERT INTO items (name, price) VALUES (?, ?)",
                "tea", 2.5)
            #expect(created.rowsWritten == 1)
            _ = try sql.exec("INSERT INTO items (name, price) VALUES (?, ?), (?, ?)", "cake", Optional<Double>.none, "pie", 4.0)
            let cursor = try sql.exec("SELECT id, name, price FROM items ORDER BY id")
            #expect(cursor.columnNames == ["id", "name", "price"])
            #expect(cursor.rowsRead >= 3)
            let first = try #require(cursor.next())
            #expect(first["name"] == .text("tea"))
            #expect(first["price"]?.doubleValue == 2.5)
            #expect(first[0] == .integer(1))
            #expect(Array(cursor.raw()) == [[.integer(2), .text("cake"), .null], [.integer(3), .text("pie"), .real(4)]])
            #expect(cursor.next() == nil)
            #expect(try sql.exec("SELECT * FROM items WHERE price IS NULL").toArray(as: Item.self) == [Item(id: 2, name: "cake", price: nil)])
            #expect(try sql.exec("SELECT count(*) AS n FROM items").one()["n"] == .integer(3))
            #expect(try sql.exec("SELECT ? AS b, ? AS t", [UInt8](arrayLiteral: 1, 2), true).one().values == [.blob([1, 2]), .integer(1)])
            #expect(try sql.databaseSize > 0)
        }
    }

    @Test func oneErrorsAreWorkerds() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("one")
            try await harness.runtime.runInDurableObject(stub) { _, state in
                _ = try state.storage.sql.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2)")
            }
            await expectError("Error: Expected exactly one result from SQL query, but got no results.") {
                _ = try await harness.runtime.runInDurableObject(stub) { _, state in
                    try state.storage.sql.exec("SELECT x FROM t WHERE x > 5").one().values.count
                }
            }
            await expectError("Error: Expected exactly one result from SQL query, but got multiple results.") {
                _ = try await harness.runtime.runInDurableObject(stub) { _, state in
                    try state.storage.sql.exec("SELECT x FROM t").one().values.count
                }
            }
        }
    }

    @Test func transactionsAndReservedNamesAreRefused() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("refused")
            let transactionText = "Error: To execute a transaction, please use the state.storage.transaction() or "
                + "state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. "
                + "The JavaScript API is safer because it will automatically roll back on exceptions, and because it "
                + "interacts correctly with Durable Objects' automatic atomic write coalescing."
            for statement in ["BEGIN TRANSACTION", "SAVEPOINT sp", "COMMIT"] {
                await expectError(transactionText) {
                    try await harness.runtime.runInDurableObject(stub) { _, state in _ = try state.storage.sql.exec(statement) }
                }
            }
            try await harness.runtime.runInDurableObject(stub) { _, state in try state.storage.put("k", 1) }
            let reserved = [
                ("SELECT * FROM _cf_KV", "Error: access to _cf_KV.key is prohibited: SQLITE_AUTH"),
                ("CREATE TABLE _cf_mine (x)", "Error: not authorized: SQLITE_AUTH"),
                ("DROP TABLE _cf_KV", "Error: not authorized: SQLITE_AUTH"),
            ]
            for (statement, text) in reserved {
                await expectError(text) {
                    try await harness.runtime.runInDurableObject(stub) { _, state in _ = try state.storage.sql.exec(statement) }
                }
            }
            await expectError("Error: no such table: missing: SQLITE_ERROR") {
                try await harness.runtime.runInDurableObject(stub) { _, state in
                    _ = try state.storage.sql.exec("SELECT * FROM missing")
                }
            }
        }
    }

    @Test func sqlIsRefusedOnKVBackedClasses() async throws {
        try await Harness.run { harness throws in
            let stub = harness.namespace("LEGACY", Legacy.self).getByName("old")
            let error = await expectError(
                "Error: SQL is not enabled for this Durable Object class. To enable it, change `new_classes` to "
                    + "`new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file. "
                    + "If using workerd directly,set `enableSql = true` in your workerd config for the class. Note that "
                    + "this change cannot be made after the class is already deployed to production."
            ) {
                try await harness.runtime.runInDurableObject(stub) { _, state in _ = try state.storage.sql.exec("SELECT 1") }
            }
            #expect(error is DurableObjectError)
            let stored = try await harness.runtime.runInDurableObject(stub) { _, state in
                try state.storage.put("still", "works")
                return try state.storage.get("still", as: String.self)
            }
            #expect(stored == "works")
        }
    }
}
