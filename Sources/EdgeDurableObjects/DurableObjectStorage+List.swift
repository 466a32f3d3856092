import EdgeSQLite

extension DurableObjectStorage {
    /// The options of `storage.list(options)`.
    public struct ListOptions: Sendable, Hashable {
        /// First key to include (inclusive).
        public var start: String?
        /// List keys after this one (exclusive). Not with `start`.
        public var startAfter: String?
        /// Key to stop before (exclusive).
        public var end: String?
        /// Only keys starting with this.
        public var prefix: String?
        /// Descending order (`start` and `end` keep their meaning).
        public var reverse: Bool
        /// At most this many entries; must be positive.
        public var limit: Int?

        /// Creates options; all are optional.
        public init(
            start: String? = nil, startAfter: String? = nil, end: String? = nil, prefix: String? = nil,
            reverse: Bool = false, limit: Int? = nil
        ) {
            self.start = start
            self.startAfter = startAfter
            self.end = end
            self.prefix = prefix
            self.reverse = reverse
            self.limit = limit
        }
    }

    /// `storage.list(options)`: the entries in key order (UTF-8 byte order), or reverse order.
    /// Throws workerd's `TypeError`s for `start` with `startAfter` and for a limit below 1.
    public func list<T: Decodable>(_ options: ListOptions = ListOptions(), as type: T.Type = T.self) throws -> [(key: String, value: T)] {
        guard let range = try Self.keyRange(options) else { return [] }
        var sql = "SELECT key, value FROM _cf_KV WHERE key >= ?1"
        var bindings: [SQLiteValue] = [.text(range.start)]
        if let end = range.end {
            sql += " AND key < ?\(bindings.count + 1)"
            bindings.append(.text(end))
        }
        sql += options.reverse ? " ORDER BY key DESC" : " ORDER BY key"
        if let limit = options.limit {
            sql += " LIMIT ?\(bindings.count + 1)"
            bindings.append(.integer(Int64(limit)))
        }
        let rows: [[SQLiteValue]] = try file.withConnection { connection in
            guard try Self.tableExists(in: connection) else { return [] }
            return try connection.trusted(sql, bindings).rows
        }
        return try rows.map { row in
            guard case .text(let key) = row[0], case .blob(let bytes) = row[1] else {
                throw DurableObjectError("Error", "The _cf_KV table holds a row that is not a key and a value.")
            }
            return (key, try Self.decode(T.self, from: bytes))
        }
    }

    /// The keys `options` select, as `start ..< end` (no end: to the last key), or `nil` when no
    /// key can match. workerd's `DurableObjectStorageOperations::list`: `startAfter` becomes an
    /// inclusive start at the key after it (`key + "\0"`), and `prefix` clamps the range to
    /// `[prefix, the first key after every key with the prefix)`.
    static func keyRange(_ options: ListOptions) throws(DurableObjectError) -> (start: String, end: String?)? {
        if options.start != nil, options.startAfter != nil { throw .listStartAndStartAfter }
        if let limit = options.limit, limit <= 0 { throw .listLimitNotPositive }
        var start = options.start ?? options.startAfter.map { $0 + "\0" } ?? ""
        var end = options.end
        if let prefix = options.prefix, !prefix.isEmpty {
            if precedes(start, prefix) {
                start = prefix
            } else if !start.utf8.starts(with: prefix.utf8) {
                return nil
            }
            if let afterPrefix = keyAfterAll(withPrefix: prefix) {
                if let current = end {
                    if !precedes(prefix, current) { return nil }
                    if !current.utf8.starts(with: prefix.utf8) { end = afterPrefix }
                } else {
                    end = afterPrefix
                }
            }
        }
        if let end, !precedes(start, end) { return nil }
        return (start, end)
    }

    /// `a < b` in UTF-8 byte order, the order SQLite's BINARY collation and workerd use.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// The smallest string above every string starting with `prefix`: its last scalar plus one
    /// (UTF-8 byte order is scalar order, so this is workerd's byte increment for valid keys).
    /// `nil` when no such string exists (the prefix is all U+10FFFF).
    static func keyAfterAll(withPrefix prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                return String(String.UnicodeScalarView(scalars))
            }
        }
        return nil
    }
}
