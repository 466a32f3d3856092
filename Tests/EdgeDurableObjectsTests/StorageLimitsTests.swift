import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Testing

/// Each backend's limits on its classes: `Legacy` is declared with `new_classes` (key-value
/// backend), `Counter` with `new_sqlite_classes`. Texts are workerd's `ActorStorageLimits`.
@Suite("Storage limits per backend")
struct StorageLimitsTests {
    /// A JSON string of `count` characters is `count + 2` bytes.
    static func string(bytes: Int) -> String { String(repeating: "x", count: bytes - 2) }

    @Test func keyValueClassesTakeValuesUpTo131072BytesPlusHeadroom() async throws {
        try await Harness.run { harness throws in
            let stub = harness.namespace("LEGACY", Legacy.self).getByName("values")
            try await harness.runtime.runInDurableObject(stub) { _, state in
                // A string of exactly 131072 characters fits, as in production (34 bytes of headroom).
                try state.storage.put("at-limit", String(repeating: "x", count: 131_072))
                #expect(try state.storage.get("at-limit", as: String.self)?.count == 131_072)
                try state.storage.put("headroom", Self.string(bytes: 131_072 + 34))
            }
            await expectError("RangeError: Values cannot be larger than 131072 bytes. A value of size 131107 was provided.") {
                try await harness.runtime.runInDurableObject(stub) { _, state in
                    try state.storage.put("over", Self.string(bytes: 131_072 + 35))
                }
            }
            // The second port's case: a 189,248-byte value fails on its first write.
            await expectError("RangeError: Values cannot be larger than 131072 bytes. A value of size 189248 was provided.") {
                try await harness.runtime.runInDurableObject(stub) { _, state in
                    try state.storage.put("photo", Self.string(bytes: 189_248))
                }
            }
            try await harness.runtime.runInDurableObject(stub) { _, state in
                let over = try state.storage.get("over", as: String.self)
                let photo = try state.storage.get("photo", as: String.self)
                #expect(over?.count == nil)
                #expect(photo?.count == nil)
            }
        }
    }

    @Test func keyValueClassesTakeKeysUpTo2048Bytes() async throws {
        try await Harness.run { harness throws in
            let stub = harness.namespace("LEGACY", Legacy.self).getByName("keys")
            let longest = String(repeating: "k", count: 2048)
            let tooLong = String(repeating: "é", count: 1025)  // 2050 bytes
            try await harness.runtime.runInDurableObject(stub) { _, state in
                try state.storage.put(longest, 1)
                #expect(try state.storage.get(longest, as: Int.self) == 1)
                #expect(try state.storage.delete(longest))
            }
            let text = "RangeError: Keys cannot be larger than 2048 bytes. A key of size 2050 was provided."
            await expectError(text) {
                try await harness.runtime.runInDurableObject(stub) { _, state in try state.storage.put(tooLong, 1) }
            }
            await expectError(text) {
                try await harness.runtime.runInDurableObject(stub) { _, state in _ = try state.storage.get(tooLong, as: Int.self) }
            }
            await expectError(text) {
                try await harness.runtime.runInDurableObject(stub) { _, state in _ = try state.storage.delete(tooLong) }
            }
            await expectError(text) {
                try await harness.runtime.runInDurableObject(stub) { _, state in _ = try state.storage.delete(["a", tooLong]) }
            }
        }
    }

    @Test func keyValueClassesTake128KeysPerCallAndABatchIsAllOrNothing() async throws {
        try await Harness.run { harness throws in
            let stub = harness.namespace("LEGACY", Legacy.self).getByName("batch")
            let keys128 = (0..<128).map { "key-\($0)" }
            let keys129 = (0..<129).map { "key-\($0)" }
            try await harness.runtime.runInDurableObject(stub) { _, state in
                try state.storage.put(Dictionary(uniqueKeysWithValues: keys128.map { ($0, 1) }))
                #expect(try state.storage.get(keys128, as: Int.self).count == 128)
            }
            let text = "RangeError: Maximum number of key value pairs is 128. 129 pairs were provided."
            await expectError(text) {
                try await harness.runtime.runInDurableObject(stub) { _, state in
                    try state.storage.put(Dictionary(uniqueKeysWithValues: keys129.map { ($0, 2) }))
                }
            }
            await expectError(text) {
                try await harness.runtime.runInDurableObject(stub) { _, state in _ = try state.storage.get(keys129, as: Int.self) }
            }
            await expectError(text) {
                try await harness.runtime.runInDurableObject(stub) { _, state in _ = try state.storage.delete(keys129) }
            }
            // One oversized value fails the whole batch: nothing of it is written.
            await expectError("RangeError: Values cannot be larger than 131072 bytes. A value of size 200000 was provided.") {
                try await harness.runtime.runInDurableObject(stub) { _, state in
                    try state.storage.put(["key-0": Self.string(bytes: 10), "big": Self.string(bytes: 200_000)])
                }
            }
            try await harness.runtime.runInDurableObject(stub) { _, state in
                let kept = try state.storage.get("key-0", as: Int.self)
                let big = try state.storage.get("big", as: String.self)
                #expect(kept == 1)
                #expect(big?.count == nil)
            }
        }
    }

    @Test func sqliteClassesKeepTheCombined2MBLimitAndNoKeyOrCountLimit() async throws {
        try await Harness.run { harness throws in
            let stub = harness.counter("sqlite-limits")
            let longKey = String(repeating: "k", count: 10_000)
            let keys = (0..<500).map { "key-\($0)" }
            try await harness.runtime.runInDurableObject(stub) { _, state in
                try state.storage.put("photo", Self.string(bytes: 189_248))
                try state.storage.put(longKey, 1)
                #expect(try state.storage.get(longKey, as: Int.self) == 1)
                try state.storage.put(Dictionary(uniqueKeysWithValues: keys.map { ($0, 1) }))
                #expect(try state.storage.get(keys, as: Int.self).count == 500)
                #expect(try state.storage.delete(keys) == 500)
            }
            await expectError("Error: string or blob too big: SQLITE_TOOBIG") {
                try await harness.runtime.runInDurableObject(stub) { _, state in
                    try state.storage.put(["small": "x", "huge": String(repeating: "x", count: 2_000_000)])
                }
            }
            try await harness.runtime.runInDurableObject(stub) { _, state in
                let small = try state.storage.get("small", as: String.self)
                #expect(small == nil)
            }
        }
    }
}
