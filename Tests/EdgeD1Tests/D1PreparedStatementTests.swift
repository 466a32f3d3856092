import EdgeD1
import Foundation
import Testing

@Suite("D1PreparedStatement")
struct D1PreparedStatementTests {
    @Test("bind stores every type in its storage class and reads it back exactly")
    func bindRoundTrips() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let blob: [UInt8] = Array("Walshy".utf8)
            try await db.prepare("INSERT INTO kitchen_sink (id, int, real, text, blob) VALUES (?, ?, ?, ?, ?)")
                .bind(1, 42, 3.141, "🙈", blob).run()
            let row = try #require(try await db.prepare("SELECT * FROM kitchen_sink").first())
            #expect(row.values == [.integer(1), .integer(42), .real(3.141), .text("🙈"), .blob(blob)])

            try await db.prepare("UPDATE kitchen_sink SET blob = ?").bind(nil).run()
            #expect(try await db.prepare("SELECT blob FROM kitchen_sink").first("blob") == .null)

            let values: [(any D1Bindable)?] = [
                nil, 7, Int64.max, Int64(9_007_199_254_740_993), Int32(-5), 0.5, "漢字テキスト", "", true, false,
                [0, 255] as [UInt8], Data([9, 8]), [UInt8](), D1Value.text("x"),
            ]
            let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
            let echoed = try #require(try await db.prepare("SELECT \(placeholders)").bind(values).raw().first)
            #expect(
                echoed == [
                    .null, .integer(7), .integer(.max), .integer(9_007_199_254_740_993), .integer(-5), .real(0.5),
                    .text("漢字テキスト"), .text(""), .integer(1), .integer(0), .blob([0, 255]), .blob([9, 8]), .blob([]),
                    .text("x"),
                ])
            let types = try await db.prepare("SELECT typeof(?), typeof(?), typeof(?), typeof(?)")
                .bind(1, 1.0, true, [1] as [UInt8]).raw()
            #expect(types == [["integer", "real", "integer", "blob"]])
        }
    }

    @Test("integers beyond 2^53 keep every digit through a table")
    func bigIntegers() async throws {
        try await withDatabase(seeded: true) { db, _ in
            for value in [Int64(9_007_199_254_740_993), .max, .min] {
                try await db.prepare("INSERT INTO kitchen_sink (int) VALUES (?)").bind(value).run()
                let stored = try await db.prepare("SELECT int FROM kitchen_sink WHERE int = ?").bind(value)
                    .first("int", as: Int64.self)
                #expect(stored == value)
            }
        }
    }

    @Test("NaN and infinities are refused with D1_TYPE_ERROR", arguments: [
        (Double.nan, "NaN"), (Double.infinity, "Infinity"), (-Double.infinity, "-Infinity"),
    ])
    func nonFiniteRefused(value: Double, text: String) async throws {
        try await withDatabase { db, _ in
            await expectError("D1_TYPE_ERROR: Type 'number' not supported for value '\(text)'") {
                _ = try db.prepare("SELECT ?").bind(value)
            }
            await expectError("D1_TYPE_ERROR: Type 'number' not supported for value '\(text)'") {
                _ = try db.prepare("SELECT ?").bind([D1Value.real(value)])
            }
        }
    }

    @Test("bind(dynamic:) accepts bindable values and refuses others with D1_TYPE_ERROR")
    func dynamicBinding() async throws {
        try await withDatabase { db, _ in
            let row = try await db.prepare("SELECT ?, ?, ?").bind(dynamic: [1, nil, "a"]).raw()
            #expect(row == [[.integer(1), .null, .text("a")]])
            let date = Date(timeIntervalSince1970: 0)
            await expectError("D1_TYPE_ERROR: Type 'Date' not supported for value '\(date)'") {
                _ = try db.prepare("SELECT ?").bind(dynamic: [date])
            }
            await expectError("D1_TYPE_ERROR: Type 'UInt8' not supported for value '7'") {
                _ = try db.prepare("SELECT ?").bind(dynamic: [UInt8(7)])
            }
        }
    }

    @Test("bind returns a new statement and leaves the original unbound")
    func bindReturnsNewStatement() async throws {
        try await withDatabase { db, _ in
            let statement = db.prepare("SELECT ? AS v")
            let one = try statement.bind(1)
            let two = try statement.bind(2)
            #expect(statement.values == [])
            #expect(try await one.first("v") == .integer(1))
            #expect(try await two.first("v") == .integer(2))
            #expect(one.sql == "SELECT ? AS v")
        }
    }

    @Test("?NNN placeholders bind by number")
    func numberedPlaceholders() async throws {
        try await withDatabase(seeded: true) { db, _ in
            try await db.prepare("INSERT INTO colours (id, name, rgb) VALUES (?3, ?1, ?2)").bind("yellow", 0xffff00, 4).run()
            let row = try await db.prepare("SELECT * FROM colours WHERE id = ?1").bind(4).first()
            #expect(row == D1Row(columns: ["id", "name", "rgb"], values: [4, "yellow", .integer(0xffff00)]))
            await expectError("D1_ERROR: Wrong number of parameter bindings for SQL query.") {
                _ = try await db.prepare("SELECT ?3").bind(1, 2).all()
            }
        }
    }

    @Test("a wrong number of bindings fails when the statement runs, not when it binds")
    func wrongParameterCount() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let tooFew = try db.prepare("SELECT * FROM colours WHERE id = ? AND name = ?").bind(1)
            await expectError("D1_ERROR: Wrong number of parameter bindings for SQL query.") { _ = try await tooFew.all() }
            let tooMany = try db.prepare("SELECT * FROM colours").bind(1)
            await expectError("D1_ERROR: Wrong number of parameter bindings for SQL query.") { _ = try await tooMany.run() }
        }
    }

    @Test("several statements: only the last may have parameters, and its result is returned")
    func multipleStatements() async throws {
        try await withDatabase(seeded: true) { db, _ in
            await expectError(
                "D1_ERROR: When executing multiple SQL statements in a single call, only the last statement can have parameters."
            ) {
                _ = try await db.prepare("SELECT * FROM colours WHERE name = ?; SELECT * FROM colours WHERE id = ?;")
                    .bind("green").all()
            }
            let row = try await db.prepare(
                "SELECT * FROM colours WHERE name = 'none'; SELECT * FROM colours WHERE id = 1;"
            ).first()
            #expect(row?["name"] == "red")
        }
    }

    @Test("a value bound with SQL in it is stored as plain text")
    func injectionIsText() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let attack = "x'); DROP TABLE colours; --"
            try await db.prepare("INSERT INTO colours (id, name, rgb) VALUES (?, ?, 0)").bind(9, attack).run()
            #expect(try await db.prepare("SELECT name FROM colours WHERE id = 9").first("name") == .text(attack))
            #expect(try await db.prepare("SELECT count(*) AS n FROM colours").first("n") == 4)
        }
    }

    @Test("first returns the first row, nil without rows, and still runs writes")
    func first() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let select = db.prepare("SELECT * FROM colours")
            #expect(try await select.first() == D1Row(columns: ["id", "name", "rgb"], values: [1, "red", .integer(0xff0000)]))
            #expect(try await select.first("id") == 1)
            #expect(try await db.prepare("SELECT * FROM colours WHERE id = 99").first() == nil)
            let insert = try db.prepare("INSERT INTO colours (id, name, rgb) VALUES (?, ?, ?)").bind(4, "yellow", 0xffff00)
            #expect(try await insert.first() == nil)
            #expect(try await db.prepare("SELECT id FROM colours WHERE name = ?").bind("yellow").first("id") == 4)
        }
    }

    @Test("first(column): NULL is a value, a missing column is D1_COLUMN_NOTFOUND, no row is nil")
    func firstColumn() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let null = try await db.prepare("SELECT NULL AS n").first("n")
            #expect(null == .null)
            await expectError("D1_COLUMN_NOTFOUND: Column not found (nope)") {
                _ = try await db.prepare("SELECT 1 AS n").first("nope")
            }
            let noRow = try await db.prepare("SELECT id FROM colours WHERE id = 99").first("nope")
            #expect(noRow == nil)
            let later = try await db.prepare("SELECT 1 AS a, 2 AS a").first("a")
            #expect(later == 2)
        }
    }

    @Test("all returns rows as D1 objects: later duplicate columns win")
    func all() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let result = try await db.prepare("SELECT * FROM colours").all()
            #expect(result.success)
            #expect(result.results.map { $0["name"] } == ["red", "green", "blue"])
            let duplicate = try await db.prepare("SELECT 1 AS a, 2 AS b, 3 AS a").all()
            let row = try #require(duplicate.results.first)
            #expect(row["a"] == 3)
            #expect(row[0] == 1)
            #expect(row.fields.map(\.name) == ["a", "b"])
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let json = String(decoding: try encoder.encode(row), as: UTF8.self)
            #expect(json == #"{"a":3,"b":2}"#)
        }
    }

    @Test("raw returns arrays; with column names, duplicates are kept, even without rows")
    func raw() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let rows = try await db.prepare("SELECT id, name FROM colours WHERE id < 3").raw()
            #expect(rows == [[1, "red"], [2, "green"]])
            let named = try await db.prepare("SELECT 1 AS a, 2 AS b, 3 AS c, 4 AS c, 5 AS d, 6 AS e").raw(columnNames: true)
            #expect(named == [["a", "b", "c", "c", "d", "e"], [1, 2, 3, 4, 5, 6]])
            #expect(try await db.prepare("SELECT id FROM colours WHERE id = 99").raw(columnNames: true) == [["id"]])
            let write = db.prepare("INSERT INTO kitchen_sink (id) VALUES (5)")
            #expect(try await write.raw() == [])
            #expect(try await db.prepare("INSERT INTO kitchen_sink (id) VALUES (6)").raw(columnNames: true) == [[]])
        }
    }

    @Test("run returns all's shape: [] for writes, rows for RETURNING")
    func run() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let write = try await db.prepare("INSERT INTO colours (id, name, rgb) VALUES (5, 'orange', 0)").run()
            #expect(write.results == [])
            #expect(write.success)
            let returning = try await db.prepare("INSERT INTO colours (id, name, rgb) VALUES (6, 'pink', 1) RETURNING id, name")
                .run()
            #expect(returning.results == [D1Row(columns: ["id", "name"], values: [6, "pink"])])
            let read = try await db.prepare("SELECT name FROM colours WHERE id = 1").run()
            #expect(read.results.first?["name"] == "red")
        }
    }

    struct Colour: Decodable, Equatable {
        var id: Int
        var name: String
        var rgb: Int64
    }

    struct Sink: Decodable, Equatable {
        enum Kind: String, Decodable { case plain, fancy }
        var id: Int32
        var int: Int?
        var real: Double?
        var text: Kind?
        var blob: Data?
        var flag: Bool
        var missing: String?
    }

    @Test("typed decoding reads rows as Decodable values")
    func typedDecoding() async throws {
        try await withDatabase(seeded: true) { db, _ in
            let colours = try await db.prepare("SELECT * FROM colours ORDER BY id").all(as: Colour.self)
            #expect(colours.results.first == Colour(id: 1, name: "red", rgb: 0xff0000))
            #expect(colours.results.count == 3)
            #expect(colours.meta.rowsRead == 3)
            #expect(try await db.prepare("SELECT * FROM colours WHERE id = 2").first(as: Colour.self)?.name == "green")
            #expect(try await db.prepare("SELECT count(*) FROM colours").first(as: Int.self) == 3)
            #expect(try await db.prepare("SELECT * FROM colours WHERE id = 99").first(as: Colour.self) == nil)
            #expect(try await db.prepare("SELECT name FROM colours WHERE id = 3").first("name", as: String.self) == "blue")

            try await db.prepare("INSERT INTO kitchen_sink VALUES (1, 2, 2.5, 'fancy', x'0102')").run()
            try await db.prepare("INSERT INTO kitchen_sink VALUES (2, NULL, 4, NULL, NULL)").run()
            let sinks = try await db.prepare("SELECT *, id = 1 AS flag FROM kitchen_sink ORDER BY id").all(as: Sink.self)
            #expect(
                sinks.results == [
                    Sink(id: 1, int: 2, real: 2.5, text: .fancy, blob: Data([1, 2]), flag: true),
                    Sink(id: 2, int: nil, real: 4, text: nil, blob: nil, flag: false),
                ])
        }
    }

    @Test("decoding errors name the column and what it held")
    func decodingErrors() async throws {
        try await withDatabase(seeded: true) { db, _ in
            do {
                _ = try await db.prepare("SELECT 1 AS id, 'red' AS name, 'x' AS rgb").first(as: Colour.self)
                Issue.record("expected a decoding error")
            } catch let DecodingError.typeMismatch(_, context) {
                #expect(context.debugDescription == "Column \"rgb\" holds TEXT, expected Int64.")
            }
            do {
                _ = try await db.prepare("SELECT 1 AS id, NULL AS name, 2 AS rgb").first(as: Colour.self)
                Issue.record("expected a decoding error")
            } catch let DecodingError.valueNotFound(_, context) {
                #expect(context.debugDescription == "Column \"name\" is NULL, expected String.")
            }
            do {
                _ = try await db.prepare("SELECT 1 AS id, 'x' AS name").first(as: Colour.self)
                Issue.record("expected a decoding error")
            } catch let DecodingError.keyNotFound(key, context) {
                #expect(key.stringValue == "rgb")
                #expect(context.debugDescription == "No column \"rgb\" in the row (columns: id, name).")
            }
        }
    }
}
