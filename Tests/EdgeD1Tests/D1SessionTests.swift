import EdgeD1
import Foundation
import Testing

/// `withSession`, `session.prepare` / `session.batch`, `getBookmark()` and the meta fields
/// production adds (developers.cloudflare.com/d1/best-practices/read-replication/).
@Suite struct D1SessionTests {
    @Test("getBookmark is nil for a constraint until a query runs, then moves forward only")
    func bookmarksAreMonotonic() async throws {
        try await withDatabase { db, _ in
            for constraint in [nil, "", "  ", "first-unconstrained", "first-primary"] {
                #expect(db.withSession(constraint).getBookmark() == nil)
            }
            let session = db.withSession("first-primary")
            try await session.prepare("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").run()
            let first = try #require(session.getBookmark())
            _ = try await session.prepare("SELECT * FROM notes").all()
            #expect(session.getBookmark() == first, "a read does not move the bookmark")
            try await session.batch([session.prepare("INSERT INTO notes (body) VALUES (?)").bind("a")])
            let second = try #require(session.getBookmark())
            #expect(second > first)
            try await db.prepare("INSERT INTO notes (body) VALUES ('elsewhere')").run()
            _ = try await session.prepare("SELECT count(*) FROM notes").raw()
            let third = try #require(session.getBookmark())
            #expect(third > second, "a session sees the writes made outside it")
        }
    }

    @Test("a bookmark handed to another session: its reads see what the first session wrote")
    func handedBookmark() async throws {
        try await withDatabase { db, _ in
            let writer = db.withSession()
            try await writer.batch([
                writer.prepare("CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER)"),
                writer.prepare("INSERT INTO orders (total) VALUES (42)"),
            ])
            let bookmark = try #require(writer.getBookmark())
            let reader = db.withSession(" \(bookmark) ")
            #expect(reader.constraintOrBookmark == bookmark, "the argument is trimmed")
            #expect(reader.getBookmark() == bookmark, "a session made with a bookmark starts at it")
            let total = try await reader.prepare("SELECT total FROM orders WHERE id = ?").bind(1).first("total")
            #expect(total == 42)
            #expect(try #require(reader.getBookmark()) >= bookmark)
            let older = db.withSession("0000000000000000")
            _ = try await older.prepare("SELECT 1").raw()
            #expect(older.getBookmark() == writer.getBookmark(), "an older bookmark catches up to the current state")
        }
    }

    @Test("bookmarks stay ordered across reopening the database")
    func acrossReopen() async throws {
        try await withTemporaryDirectory { root in
            let path = D1Database.path(stateRoot: root, databaseName: "db")
            let first = try D1Database(path: path, name: "db")
            let session = first.withSession()
            try await session.prepare("CREATE TABLE t (a)").run()
            let before = try #require(session.getBookmark())
            first.close()
            let second = try D1Database(path: path, name: "db")
            defer { second.close() }
            let later = second.withSession(before)
            try await later.prepare("INSERT INTO t VALUES (1)").run()
            #expect(try #require(later.getBookmark()) > before)
        }
    }

    @Test("meta has served_by_primary, served_by_region, timings.sql_duration_ms and total_attempts")
    func meta() async throws {
        try await withDatabase { db, _ in
            for result in [
                try await db.prepare("SELECT 1").all(),
                try await db.withSession("first-unconstrained").prepare("SELECT 1").all(),
            ] {
                #expect(result.meta.servedByPrimary == true)
                #expect(result.meta.servedByRegion == "WEUR")
                #expect(result.meta.timings?.sqlDurationMs == result.meta.duration)
                #expect(result.meta.totalAttempts == 1)
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let json = String(decoding: try encoder.encode(result.meta), as: UTF8.self)
                #expect(json.contains(#""served_by_primary":true"#))
                #expect(json.contains(#""served_by_region":"WEUR""#))
                #expect(json.contains(#""timings":{"sql_duration_ms":"#))
                #expect(json.contains(#""total_attempts":1"#))
            }
        }
    }
}
