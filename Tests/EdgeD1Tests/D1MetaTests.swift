import EdgeD1
import Foundation
import Testing

@Suite("D1 meta")
struct D1MetaTests {
    @Test("a SELECT over 3 rows reads 3 and changes nothing")
    func select() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let result = try await db.prepare("SELECT * FROM colours").all()
            #expect(result.meta.rowsRead == 3)
            #expect(result.meta.rowsWritten == 0)
            #expect(result.meta.changes == 0)
            #expect(result.meta.changedDb == false)
            #expect(result.meta.servedBy == "edge.db")
            #expect(result.meta.duration >= 0)
            #expect(result.meta.sizeAfter > 0 && result.meta.sizeAfter % 4096 == 0)
            #expect(result.meta.lastRowId == 1)
        }
    }

    @Test("INSERT ... RETURNING of one row reads 2, writes 1, changes 1, and sets last_row_id")
    func insertReturning() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let result = try await db.prepare("INSERT INTO colours (id, name, rgb) VALUES (?, ?, ?) RETURNING *")
                .bind(4, "yellow", 0xffff00).run()
            #expect(result.results == [D1Row(columns: ["id", "name", "rgb"], values: [4, "yellow", .integer(16_776_960)])])
            #expect(result.meta.rowsRead == 2)
            #expect(result.meta.rowsWritten == 1)
            #expect(result.meta.changes == 1)
            #expect(result.meta.lastRowId == 4)
            #expect(result.meta.changedDb)
        }
    }

    @Test("a plain INSERT reads 1 and writes 1")
    func insert() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let result = try await db.prepare("INSERT INTO colours (id, name, rgb) VALUES (?, ?, ?)")
                .bind(5, "orange", 0xff8000).run()
            #expect(result.results == [])
            #expect((result.meta.rowsRead, result.meta.rowsWritten, result.meta.changes) == (1, 1, 1))
            #expect(result.meta.lastRowId == 5)
            #expect(result.meta.changedDb)
        }
    }

    @Test("several statements: changes add up, rows read and written are the last one's")
    func multipleStatements() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let result = try await db.prepare(
                "INSERT INTO kitchen_sink (id) VALUES (1); INSERT INTO kitchen_sink (id) VALUES (2);"
            ).run()
            #expect(result.results == [])
            #expect(result.meta.changes == 2)
            #expect((result.meta.rowsRead, result.meta.rowsWritten) == (1, 1))
            #expect(result.meta.lastRowId == 2)
            #expect(result.meta.changedDb)
        }
    }

    @Test("changes count trigger and foreign-key actions; size_after follows the file")
    func changesAndSize() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let before = try await db.prepare("SELECT 1").all().meta.sizeAfter
            let created = try await db.prepare("CREATE TABLE big (data BLOB)").run()
            #expect(created.meta.changes == 0)
            #expect(created.meta.changedDb)
            #expect(created.meta.sizeAfter > before)
            let filled = try await db.prepare("INSERT INTO big VALUES (randomblob(100000))").run()
            // The first 4 061 bytes stay in the table's page; the rest takes 24 overflow pages.
            #expect(filled.meta.sizeAfter == created.meta.sizeAfter + 24 * 4096)

            try await db.exec("CREATE TABLE audit (n)")
            try await db.exec("CREATE TRIGGER colours_audit AFTER UPDATE ON colours BEGIN INSERT INTO audit VALUES (new.id); END")
            let updated = try await db.prepare("UPDATE colours SET rgb = 0").run()
            #expect(updated.meta.changes == 6)
            #expect(updated.meta.rowsWritten == 6)
        }
    }

    @Test("D1Result encodes with D1's JSON keys")
    func json() async throws {
        let meta = D1Meta(
            duration: 0.25, changes: 1, lastRowId: 4, changedDb: true, sizeAfter: 16384, rowsRead: 2, rowsWritten: 1)
        let result = D1Result(results: [D1Row(columns: ["id", "blob"], values: [4, .blob([1, 2, 3])])], meta: meta)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(result), as: UTF8.self)
        #expect(
            json
                == #"{"meta":{"changed_db":true,"changes":1,"duration":0.25,"last_row_id":4,"rows_read":2,"rows_written":1,"served_by":"edge.db","size_after":16384},"results":[{"blob":[1,2,3],"id":4}],"success":true}"#
        )
        #expect(try JSONDecoder().decode(D1Meta.self, from: try encoder.encode(meta)) == meta)
        let exec = String(decoding: try encoder.encode(D1ExecResult(count: 2, duration: 1.5)), as: UTF8.self)
        #expect(exec == #"{"count":2,"duration":1.5}"#)
    }
}
