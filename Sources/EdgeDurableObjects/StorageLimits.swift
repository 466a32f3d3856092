// Production's storage limits differ by backend (Cloudflare's "Durable Objects limits" page):
//
//     limit                       key-value backend (`new_classes`)   SQLite backend (`new_sqlite_classes`)
//     key                         2 KiB (2048 bytes)                  key + value <= 2 MB
//     value                       128 KiB (131072 bytes)              (with the key, above)
//     keys per get/put/delete     128                                 no limit
//     storage per object          unlimited                           10 GB
//
// The key-value rows are workerd's `ActorStorageLimits` (src/workerd/io/actor-storage.h and
// actor-storage.c++): `MAX_KEY_SIZE = 2048`, `ADVERTISED_MAX_VALUE_SIZE = 128 * 1024`, enforced
// with 34 bytes of headroom for the serialisation's type tags and header, and
// `rpc::ActorStorage::MAX_KEYS = 128` pairs per call, each with its `RangeError` text. Edge's
// values are JSON rather than v8-serialised, so a value's size is its JSON's; the headroom is
// kept, so a string of exactly 131072 characters fits as it does in production. Both backends
// keep their data in SQLite here; only the limits differ. The storage-per-object rows are not
// enforced.

/// The size limits of one storage backend, applied by ``DurableObjectStorage``'s KV API.
struct StorageLimits: Sendable {
    /// The largest key in bytes, if keys have their own limit.
    let maxKeySize: Int?
    /// The largest value in bytes that passes, if values have their own limit.
    let maxValueSize: Int?
    /// The limit a too-large value's error names.
    let advertisedMaxValueSize: Int?
    /// The largest key plus value in bytes, if they share one limit.
    let maxEntrySize: Int?
    /// The most keys (or pairs) one call takes, if limited.
    let maxKeysPerCall: Int?

    /// The key-value backend (`new_classes`): workerd's `ActorStorageLimits`.
    static let keyValue = StorageLimits(
        maxKeySize: 2048, maxValueSize: 128 * 1024 + 34, advertisedMaxValueSize: 128 * 1024, maxEntrySize: nil,
        maxKeysPerCall: 128)

    /// The SQLite backend (`new_sqlite_classes`): key and value together up to 2 MB, SQLite's
    /// `SQLITE_LIMIT_LENGTH` in production.
    static let sqlite = StorageLimits(
        maxKeySize: nil, maxValueSize: nil, advertisedMaxValueSize: nil, maxEntrySize: 2_000_000, maxKeysPerCall: nil)

    /// The limits of a class: SQLite-backed or not.
    static func backend(sqlEnabled: Bool) -> StorageLimits {
        sqlEnabled ? .sqlite : .keyValue
    }

    /// Checks a key (of `get`, `put` or `delete`).
    func check(key: String) throws(DurableObjectError) {
        if let maxKeySize, key.utf8.count > maxKeySize { throw .keyTooLarge(key.utf8.count, limit: maxKeySize) }
    }

    /// Checks a value about to be stored under `key` (already checked).
    func check(key: String, value: [UInt8]) throws(DurableObjectError) {
        if let maxValueSize, let advertisedMaxValueSize, value.count > maxValueSize {
            throw .valueTooLarge(value.count, limit: advertisedMaxValueSize)
        }
        if let maxEntrySize, key.utf8.count + value.count > maxEntrySize { throw .entryTooLarge }
    }

    /// Checks how many keys (or pairs) one call passes.
    func check(count: Int) throws(DurableObjectError) {
        if let maxKeysPerCall, count > maxKeysPerCall { throw .tooManyKeys(count, limit: maxKeysPerCall) }
    }
}
