import EdgeDurableObjects
import Foundation
import Testing

@Suite("Storage: KV API", .timeLimit(.minutes(1)))
struct StorageTests {
    struct Order: Codable, Equatable {
        let id: Int
        let items: [String]
    }

    /// Runs `body` with the storage of a fresh Counter.
    func withStorage(_ body: @escaping @Sendable (DurableObjectStorage) throws -> Void) async throws {
        try await Harness.run { harness throws in
            try await harness.runtime.runInDurableObject(harness.counter("kv")) { _, state in try body(state.storage) }
        }
    }

    @Test func getPutDelete() async throws {
        try await withStorage { storage in
            #expect(try storage.get("missing", as: Int.self) == nil)
            #expect(try storage.delete("missing") == false)
            try storage.put("order", Order(id: 1, items: ["tea"]))
            try storage.put("n", 42)
            try storage.put("text", "hello")
            #expect(try storage.get("order", as: Order.self) == Order(id: 1, items: ["tea"]))
            #expect(try storage.get("n", as: Int.self) == 42)
            #expect(try storage.get(["missing", "text"], as: String.self) == ["text": "hello"])
            #expect(throws: DecodingError.self) { try storage.get("n", as: String.self) }
            #expect(try storage.delete("n"))
            #expect(try storage.get("n", as: Int.self) == nil)
            try storage.put(["a": 1, "b": 2, "c": 3])
            #expect(try storage.get(["a", "b", "c", "d"], as: Int.self) == ["a": 1, "b": 2, "c": 3])
            #expect(try storage.delete(["a", "b", "zzz"]) == 2)
        }
    }

    @Test func listRangesPrefixesAndOrder() async throws {
        try await withStorage { storage in
            try storage.put(["a": 0, "b1": 1, "b2": 2, "b3": 3, "c": 4, "é": 5, "b\u{10FFFF}": 6])
            func keys(_ options: DurableObjectStorage.ListOptions) throws -> [String] {
                try storage.list(options, as: Int.self).map(\.key)
            }
            #expect(try keys(.init()) == ["a", "b1", "b2", "b3", "b\u{10FFFF}", "c", "é"])
            #expect(try keys(.init(start: "b2")) == ["b2", "b3", "b\u{10FFFF}", "c", "é"])
            #expect(try keys(.init(startAfter: "b2")) == ["b3", "b\u{10FFFF}", "c", "é"])
            #expect(try keys(.init(start: "b1", end: "b3")) == ["b1", "b2"])
            #expect(try keys(.init(prefix: "b")) == ["b1", "b2", "b3", "b\u{10FFFF}"])
            #expect(try keys(.init(prefix: "b", reverse: true, limit: 2)) == ["b\u{10FFFF}", "b3"])
            #expect(try keys(.init(start: "b2", prefix: "b", limit: 1)) == ["b2"])
            #expect(try keys(.init(start: "c", prefix: "b")) == [])
            #expect(try keys(.init(end: "a", prefix: "b")) == [])
            #expect(try keys(.init(start: "c", end: "b")) == [])
            #expect(try keys(.init(reverse: true)) == ["é", "c", "b\u{10FFFF}", "b3", "b2", "b1", "a"])
            let entries = try storage.list(.init(prefix: "b", limit: 2), as: Int.self)
            #expect(entries.map(\.value) == [1, 2])
        }
    }

    @Test func listErrorsAreWorkerds() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("list-errors")
            await expectError("TypeError: list() cannot be called with both start and startAfter values.") {
                _ = try await harness.runtime.runInDurableObject(stub) { _, state in
                    try state.storage.list(.init(start: "a", startAfter: "b"), as: Int.self).count
                }
            }
            for limit in [0, -1] {
                await expectError("TypeError: List limit must be positive.") {
                    _ = try await harness.runtime.runInDurableObject(stub) { _, state in
                        try state.storage.list(.init(limit: limit), as: Int.self).count
                    }
                }
            }
        }
    }

    @Test func keyPlusValueIsLimitedTo2MB() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("big")
            try await harness.runtime.runInDurableObject(stub) { _, state in
                try state.storage.put("big", String(repeating: "x", count: 1_900_000))
                #expect(try state.storage.get("big", as: String.self)?.count == 1_900_000)
            }
            await expectError("Error: string or blob too big: SQLITE_TOOBIG") {
                try await harness.runtime.runInDurableObject(stub) { _, state in
                    try state.storage.put("k", String(repeating: "x", count: 2_000_000))
                }
            }
        }
    }

    @Test func transactionSyncRollsBackOnThrow() async throws {
        try await withStorage { storage in
            try storage.put("kept", 1)
            #expect(throws: TestFailure.self) {
                try storage.transactionSync {
                    try storage.put("kept", 2)
                    try storage.put("new", 3)
                    _ = try storage.sql.exec("CREATE TABLE t (x)")
                    try storage.setAlarm(Date(timeIntervalSince1970: 2_000_000_000))
                    throw TestFailure("roll back")
                }
            }
            #expect(try storage.get("kept", as: Int.self) == 1)
            #expect(try storage.get("new", as: Int.self) == nil)
            #expect(try storage.getAlarm() == nil)
            #expect(throws: DurableObjectError.self) { try storage.sql.exec("SELECT * FROM t") }
            let value = try storage.transactionSync {
                try storage.put("kept", 4)
                #expect(throws: TestFailure.self) {
                    try storage.transactionSync {
                        try storage.put("inner", 5)
                        throw TestFailure("inner only")
                    }
                }
                return try storage.get("kept", as: Int.self)
            }
            #expect(value == 4)
            #expect(try storage.get("inner", as: Int.self) == nil)
        }
    }

    @Test func asyncTransactionHoldsTheGateAndRollsBack() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("txn")
            await #expect(throws: DurableObjectError.self) {
                try await stub.call { counter in
                    try await counter.state.storage.transaction { txn in
                        try txn.put("count", 99)
                        await Task.yield()
                        throw TestFailure("abandon")
                    }
                }
            }
            #expect(try await stub.call { try await $0.count() } == 0)
            let committed = try await stub.call { counter in
                try await counter.state.storage.transaction { txn in
                    try txn.put("count", 7)
                    return try txn.get("count", as: Int.self)
                }
            }
            #expect(committed == 7)
            #expect(try harness.info("COUNTER", "txn").constructions == 1)
        }
    }

    @Test func deleteAllRemovesKeysTablesAndTheAlarm() async throws {
        try await withStorage { storage in
            try storage.put("a", 1)
            _ = try storage.sql.exec("CREATE TABLE t (x); CREATE VIEW v AS SELECT x FROM t; INSERT INTO t VALUES (1)")
            try storage.setAlarm(Date(timeIntervalSince1970: 2_000_000_000))
            try storage.deleteAll()
            #expect(try storage.get("a", as: Int.self) == nil)
            #expect(try storage.getAlarm() == nil)
            let names = try storage.sql.exec("SELECT name FROM sqlite_master").toArray()
            #expect(names.isEmpty)
            try storage.put("b", 2)
            #expect(try storage.get("b", as: Int.self) == 2)
        }
    }
}
