@testable import EdgeSQLite
import Foundation
import Testing

/// The SQLite Edge runs is production's or newer, with what production's build has: every
/// function workerd's authorizer allows can be called, the math functions give SQLite's own
/// results, double-quoted strings and virtual table modules behave as in production.
@Suite("SQLite build: production's version, functions and settings")
struct SQLiteBuildTests {
    /// workerd pins SQLite 3.53.4 (MODULE.bazel: sqlite-src-3530400.zip, commit 6552d99 of
    /// cloudflare/workerd, August 2026); production Durable Objects and D1 run that build.
    static let productionVersion = [3, 53, 4]

    @Test("sqlite_version() is production's version or newer")
    func version() async throws {
        try await withConnection { connection, _ in
            let version = try connection.withAuthorization(.trusted) { () throws(SQLiteError) in
                try connection.execute("SELECT sqlite_version()").rows
            }
            guard case .text(let text) = version.first?.first else {
                Issue.record("sqlite_version() returned \(version)")
                return
            }
            let parts = text.split(separator: ".").compactMap { Int($0) }
            #expect(parts.count == 3, "\(text)")
            #expect(parts.lexicographicallyPrecedes(Self.productionVersion) == false, "\(text)")
        }
    }

    // MARK: Every allowed function

    /// Tables the calls below read.
    static let fixture = """
        CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT);
        INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z');
        CREATE TABLE renamed (a, b, c);
        CREATE VIRTUAL TABLE docs USING fts5(body);
        INSERT INTO docs (body) VALUES ('the quick brown fox');
        CREATE VIRTUAL TABLE boxes USING rtree(id, x0, x1);
        INSERT INTO boxes VALUES (1, 0, 1);
        """

    /// One statement per function in workerd's `ALLOWED_SQLITE_FUNCTIONS` that calls it, run as
    /// application SQL (``Authorization/user``).
    static let calls: [String: String] = [
        "abs": "SELECT abs(-1)", "changes": "SELECT changes()", "char": "SELECT char(65)",
        "coalesce": "SELECT coalesce(NULL, 1)", "concat": "SELECT concat('a', 1)",
        "concat_ws": "SELECT concat_ws(',', 'a', 'b')", "format": "SELECT format('%d', 1)",
        "glob": "SELECT glob('a*', 'abc')", "hex": "SELECT hex('a')", "ifnull": "SELECT ifnull(NULL, 1)",
        "iif": "SELECT iif(1, 'a', 'b')", "instr": "SELECT instr('abc', 'b')",
        "last_insert_rowid": "SELECT last_insert_rowid()", "length": "SELECT length('abc')",
        "like": "SELECT like('a%', 'abc')", "likelihood": "SELECT likelihood(1, 0.5)", "likely": "SELECT likely(1)",
        "lower": "SELECT lower('A')", "ltrim": "SELECT ltrim(' a')",
        // SQLite's scalar max() and min() reach the authorizer as "max" and "min".
        "max_scalar": "SELECT max(1, 2)", "min_scalar": "SELECT min(1, 2)",
        "nullif": "SELECT nullif(1, 2)", "octet_length": "SELECT octet_length('a')",
        "printf": "SELECT printf('%s', 'a')", "quote": "SELECT quote('a')", "random": "SELECT random()",
        "randomblob": "SELECT randomblob(4)", "replace": "SELECT replace('ab', 'a', 'c')",
        "round": "SELECT round(1.5)", "rtrim": "SELECT rtrim('a ')", "sign": "SELECT sign(-2)",
        "substr": "SELECT substr('abc', 2)", "substring": "SELECT substring('abc', 2)",
        "total_changes": "SELECT total_changes()", "trim": "SELECT trim(' a ')", "typeof": "SELECT typeof(1)",
        "unhex": "SELECT unhex('41')", "unicode": "SELECT unicode('A')", "unlikely": "SELECT unlikely(1)",
        "upper": "SELECT upper('a')", "zeroblob": "SELECT zeroblob(2)",
        "date": "SELECT date('now')", "time": "SELECT time('now')", "datetime": "SELECT datetime('now')",
        "julianday": "SELECT julianday('now')", "unixepoch": "SELECT unixepoch('now', 'subsec')",
        "strftime": "SELECT strftime('%Y', 'now')", "timediff": "SELECT timediff('2024-03-01', '2024-02-01')",
        "current_date": "SELECT current_date", "current_time": "SELECT current_time",
        "current_timestamp": "SELECT current_timestamp",
        "avg": "SELECT avg(a) FROM t", "count": "SELECT count(*) FROM t", "group_concat": "SELECT group_concat(b) FROM t",
        "max": "SELECT max(a) FROM t", "min": "SELECT min(a) FROM t", "string_agg": "SELECT string_agg(b, ',') FROM t",
        "sum": "SELECT sum(a) FROM t", "total": "SELECT total(a) FROM t",
        "row_number": "SELECT row_number() OVER (ORDER BY a) FROM t", "rank": "SELECT rank() OVER (ORDER BY a) FROM t",
        "dense_rank": "SELECT dense_rank() OVER (ORDER BY a) FROM t",
        "percent_rank": "SELECT percent_rank() OVER (ORDER BY a) FROM t",
        "cume_dist": "SELECT cume_dist() OVER (ORDER BY a) FROM t", "ntile": "SELECT ntile(2) OVER (ORDER BY a) FROM t",
        "lag": "SELECT lag(a) OVER (ORDER BY a) FROM t", "lead": "SELECT lead(a) OVER (ORDER BY a) FROM t",
        "first_value": "SELECT first_value(a) OVER (ORDER BY a) FROM t",
        "last_value": "SELECT last_value(a) OVER (ORDER BY a) FROM t",
        "nth_value": "SELECT nth_value(a, 2) OVER (ORDER BY a) FROM t",
        "acos": "SELECT acos(1)", "acosh": "SELECT acosh(1)", "asin": "SELECT asin(1)", "asinh": "SELECT asinh(1)",
        "atan": "SELECT atan(1)", "atan2": "SELECT atan2(1, 1)", "atanh": "SELECT atanh(0.5)", "ceil": "SELECT ceil(1.5)",
        "cos": "SELECT cos(0)", "cosh": "SELECT cosh(0)", "degrees": "SELECT degrees(1)", "exp": "SELECT exp(1)",
        "floor": "SELECT floor(1.5)", "ln": "SELECT ln(2)", "log": "SELECT log(100), log(2, 8)", "log2": "SELECT log2(8)",
        "mod": "SELECT mod(7, 3)", "pi": "SELECT pi()", "pow": "SELECT pow(2, 3)", "radians": "SELECT radians(180)",
        "sin": "SELECT sin(0)", "sinh": "SELECT sinh(0)", "sqrt": "SELECT sqrt(2)", "tan": "SELECT tan(0)",
        "tanh": "SELECT tanh(0)", "trunc": "SELECT trunc(1.5)",
        "json": "SELECT json('{}')", "jsonb": "SELECT jsonb('{}')", "json_array": "SELECT json_array(1)",
        "jsonb_array": "SELECT jsonb_array(1)", "json_array_length": "SELECT json_array_length('[1]')",
        "json_extract": "SELECT json_extract('{\"a\":1}', '$.a')", "jsonb_extract": "SELECT jsonb_extract('{\"a\":1}', '$.a')",
        "->": "SELECT '{\"a\":1}' -> '$.a'", "->>": "SELECT '{\"a\":1}' ->> '$.a'",
        "json_insert": "SELECT json_insert('{}', '$.a', 1)", "jsonb_insert": "SELECT jsonb_insert('{}', '$.a', 1)",
        "json_object": "SELECT json_object('a', 1)", "jsonb_object": "SELECT jsonb_object('a', 1)",
        "json_patch": "SELECT json_patch('{}', '{\"a\":1}')", "jsonb_patch": "SELECT jsonb_patch('{}', '{\"a\":1}')",
        "json_remove": "SELECT json_remove('{\"a\":1}', '$.a')", "jsonb_remove": "SELECT jsonb_remove('{\"a\":1}', '$.a')",
        "json_replace": "SELECT json_replace('{\"a\":1}', '$.a', 2)",
        "jsonb_replace": "SELECT jsonb_replace('{\"a\":1}', '$.a', 2)",
        "json_set": "SELECT json_set('{}', '$.a', 1)", "jsonb_set": "SELECT jsonb_set('{}', '$.a', 1)",
        "json_type": "SELECT json_type('1')", "json_valid": "SELECT json_valid('{}')", "json_quote": "SELECT json_quote('a')",
        "json_group_array": "SELECT json_group_array(a) FROM t", "jsonb_group_array": "SELECT jsonb_group_array(a) FROM t",
        "json_group_object": "SELECT json_group_object(b, a) FROM t",
        "jsonb_group_object": "SELECT jsonb_group_object(b, a) FROM t",
        "json_each": "SELECT value FROM json_each('[1, 2]')", "json_tree": "SELECT key FROM json_tree('{\"a\":1}')",
        "match": "SELECT body FROM docs WHERE docs MATCH 'quick'",
        "highlight": "SELECT highlight(docs, 0, '[', ']') FROM docs WHERE docs MATCH 'quick'",
        "bm25": "SELECT bm25(docs) FROM docs WHERE docs MATCH 'quick'",
        "snippet": "SELECT snippet(docs, 0, '[', ']', '...', 4) FROM docs WHERE docs MATCH 'quick'",
        "rtreecheck": "SELECT rtreecheck('boxes')",
        // SQLite's ALTER TABLE runs these internally, under the authorizer.
        "sqlite_rename_column": "ALTER TABLE renamed RENAME COLUMN a TO a2",
        "sqlite_rename_table": "ALTER TABLE renamed RENAME TO renamed2",
        "sqlite_rename_test": "ALTER TABLE renamed RENAME COLUMN b TO b2",
        "sqlite_rename_quotefix": "ALTER TABLE renamed RENAME COLUMN c TO c2",
        "sqlite_drop_column": "ALTER TABLE renamed DROP COLUMN c",
        // Calling it fails in production too: see the test below.
        "load_extension": "SELECT load_extension('x')",
        "soundex": "SELECT soundex('Robert')",
    ]

    /// Allowed functions production's build does not have or refuses to run, with the error a
    /// call gets there: workerd compiles neither `SQLITE_SOUNDEX` nor extension loading.
    static let failingInProduction: [String: String] = [
        "soundex": "no such function: soundex at offset 7: SQLITE_ERROR",
        "load_extension": "not authorized: SQLITE_ERROR",
    ]

    @Test("the calls cover exactly the authorizer's allowed functions")
    func callsCoverTheAllowlist() {
        #expect(Set(Self.calls.keys) == Authorizer.allowedFunctions)
    }

    @Test("every function the authorizer allows can be called as application SQL", arguments: Authorizer.allowedFunctions.sorted())
    func allowedFunctionRuns(_ name: String) async throws {
        try await withConnection { connection, _ in
            _ = try connection.execute(Self.fixture)
            guard let sql = Self.calls[name] else {
                Issue.record("no call for \(name)")
                return
            }
            if let failure = Self.failingInProduction[name] {
                await expectError(failure) { _ = try connection.execute(sql) }
            } else {
                #expect(throws: Never.self, "\(name): \(sql)") { _ = try connection.execute(sql) }
            }
        }
    }

    @Test("a DEFAULT expression's functions are authorized in any case, as workerd compares them (cloudflare/workerd#7192)")
    func defaultExpressionFunctions() async throws {
        try await withConnection { connection, _ in
            _ = try connection.execute("""
                CREATE TABLE stamped (a, at TEXT DEFAULT CURRENT_TIMESTAMP, day TEXT DEFAULT (Date('now')));
                INSERT INTO stamped (a) VALUES (1)
                """)
            #expect(try connection.execute("SELECT count(*) FROM stamped WHERE at IS NOT NULL AND day IS NOT NULL").rows == [[.integer(1)]])
            await expectError("not authorized to use function: sqlite_version at offset 43: SQLITE_ERROR") {
                _ = try connection.execute("CREATE TABLE versioned (a, v TEXT DEFAULT (sqlite_version()))")
            }
        }
    }

    /// Allowed names `pragma_function_list` does not list, and why.
    static let allowedButUnlisted: Set<String> = [
        // Not SQLite's names: its scalar max() and min() are listed as "max" and "min".
        "max_scalar", "min_scalar",
        // Neither production's build nor this one has it (no SQLITE_SOUNDEX).
        "soundex",
        // Table-valued functions: virtual table modules (pragma_module_list).
        "json_each", "json_tree",
        // ALTER TABLE's internal functions, hidden from SQL.
        "sqlite_rename_column", "sqlite_rename_table", "sqlite_rename_test", "sqlite_rename_quotefix",
        "sqlite_drop_column",
    ]

    @Test("pragma_function_list has every allowed function, and each function it has that is not allowed is refused")
    func functionListCrossCheck() async throws {
        try await withConnection { connection, _ in
            // A registered argument count per function: the smallest fixed one, else (variadic) 3.
            let listed = try connection.withAuthorization(.trusted) { () throws(SQLiteError) in
                try connection.execute(
                    "SELECT name, coalesce(min(CASE WHEN narg >= 0 THEN narg END), 3) FROM pragma_function_list GROUP BY name"
                ).rows
            }
            var arguments: [String: Int64] = [:]
            for row in listed {
                if case .text(let name) = row[0], case .integer(let count) = row[1] { arguments[name] = count }
            }
            let missing = Authorizer.allowedFunctions.subtracting(arguments.keys)
            #expect(missing == Self.allowedButUnlisted)
            for name in Set(arguments.keys).subtracting(Authorizer.allowedFunctions).sorted() {
                let list = Array(repeating: "NULL", count: Int(arguments[name] ?? 0)).joined(separator: ", ")
                let sql = "SELECT \"\(name)\"(\(list))"
                do {
                    _ = try connection.execute(sql)
                    Issue.record("\(sql) ran; production refuses it")
                } catch {
                    #expect("\(error)".hasPrefix("not authorized to use function: \(name) "), "\(sql): \(error)")
                }
            }
            #expect(arguments.keys.contains("json_pretty"))
            #expect(arguments.keys.contains("sqlite_version"))
        }
    }

    // MARK: Functions newer than Debian's 3.40.1

    @Test("functions from SQLite 3.42 to 3.46 that production has give SQLite's results")
    func newerFunctions() async throws {
        try await withConnection { connection, _ in
            _ = try connection.execute(Self.fixture)
            let cases: [(String, SQLiteValue)] = [
                ("SELECT concat('a', NULL, 1, 2.5)", .text("a12.5")),
                ("SELECT concat_ws('-', 'a', NULL, 'b')", .text("a-b")),
                ("SELECT string_agg(b, ',' ORDER BY b DESC) FROM t", .text("z,y,x")),
                ("SELECT octet_length('héllo')", .integer(6)),
                ("SELECT timediff('2024-03-01', '2024-02-01')", .text("+0000-01-00 00:00:00.000")),
                ("SELECT unixepoch('2024-01-01 00:00:00.250', 'subsec')", .real(1_704_067_200.25)),
                ("SELECT typeof(jsonb('{\"a\":[1,2]}'))", .text("blob")),
                ("SELECT json(jsonb('{\"a\" : [1, 2]}'))", .text(#"{"a":[1,2]}"#)),
                ("SELECT json(jsonb_extract(jsonb('{\"a\":{\"b\":1}}'), '$.a'))", .text(#"{"b":1}"#)),
                ("SELECT json(jsonb_set(jsonb_object('a', 1), '$.b', 2))", .text(#"{"a":1,"b":2}"#)),
                ("SELECT json(jsonb_group_array(a)) FROM t", .text("[1,2,3]")),
                ("SELECT jsonb('[1]') ->> '$[0]'", .integer(1)),
            ]
            for (sql, expected) in cases {
                #expect(try connection.execute(sql).rows == [[expected]], "\(sql)")
            }
        }
    }

    @Test("json_pretty is in the library, and application SQL is refused it as production refuses it")
    func jsonPretty() async throws {
        try await withConnection { connection, _ in
            let pretty = try connection.withAuthorization(.trusted) { () throws(SQLiteError) in
                try connection.execute("SELECT json_pretty('{\"a\":[1]}')").rows
            }
            #expect(pretty == [[.text("{\n    \"a\": [\n        1\n    ]\n}")]])
            // Not in workerd's ALLOWED_SQLITE_FUNCTIONS.
            await expectError("not authorized to use function: json_pretty at offset 7: SQLITE_ERROR") {
                _ = try connection.execute("SELECT json_pretty('{}')")
            }
        }
    }

    // MARK: Math functions

    /// Results of SQLite's own math functions (`SQLITE_ENABLE_MATH_FUNCTIONS`, src/func.c of
    /// 3.54.1): NULL on domain errors and for non-numeric arguments, INTEGER through ceil,
    /// floor and trunc, log(X) through log10 (exactly 3 for 1000, where SQLite before 3.43 gave
    /// 2.9999999999999996).
    static let mathCases: [(String, SQLiteValue)] = [
        ("sqrt(2)", .real(1.4142135623730951)), ("sqrt(16)", .real(4)), ("sqrt(-1)", .null),
        ("sqrt('9')", .real(3)), ("sqrt(x'01')", .null), ("sqrt('abc')", .null), ("sqrt(NULL)", .null),
        ("ceil(1.2)", .real(2)), ("ceil(-1.2)", .real(-1)), ("ceil(5)", .integer(5)), ("ceil('5')", .integer(5)),
        ("ceil('1.5')", .real(2)), ("ceiling(2.1)", .real(3)), ("floor(-1.5)", .real(-2)), ("floor(7)", .integer(7)),
        ("trunc(-2.7)", .real(-2)), ("trunc(2.7)", .real(2)), ("trunc(3)", .integer(3)),
        ("ln(1)", .real(0)), ("ln(0)", .null), ("ln(-1)", .null), ("ln(2.718281828459045)", .real(1)),
        ("log(100)", .real(2)), ("log(1000.0)", .real(3)), ("log10(1e-3)", .real(-3)), ("log2(8)", .real(3)),
        ("log2(0.5)", .real(-1)), ("log(2, 8)", .real(3)), ("log(0.5, 8)", .null), ("log(1, 8)", .null),
        ("log(10, 0)", .null), ("log(10, '100')", .real(2)), ("log(10, 'abc')", .null), ("log('abc', 8)", .null),
        ("exp(1)", .real(2.718281828459045)), ("exp(0)", .real(1)), ("pow(2, 10)", .real(1024)),
        ("pow(2, 0.5)", .real(1.4142135623730951)), ("power(-8, 1.0/3)", .null), ("pow(0, -1)", .real(.infinity)),
        ("mod(7, 3)", .real(1)), ("mod(-7, 3)", .real(-1)), ("mod(7.5, 2)", .real(1.5)), ("mod(7, 0)", .null),
        ("acos(1)", .real(0)), ("acos(2)", .null), ("asin(1)", .real(1.5707963267948966)),
        ("atan(1)", .real(0.7853981633974483)), ("atan2(1, -1)", .real(2.356194490192345)), ("atan2(0, 0)", .real(0)),
        ("cos(0)", .real(1)), ("sin(pi()/2)", .real(1)), ("tan(pi()/4)", .real(0.9999999999999999)),
        ("cosh(1)", .real(1.5430806348152437)), ("sinh(1)", .real(1.1752011936438014)),
        ("tanh(1)", .real(0.7615941559557649)), ("acosh(1)", .real(0)), ("acosh(0.5)", .null),
        ("asinh(1)", .real(0.881373587019543)), ("atanh(0.5)", .real(0.5493061443340548)),
        ("atanh(1)", .real(.infinity)), ("radians(180)", .real(3.141592653589793)), ("degrees(pi())", .real(180)),
        ("pi()", .real(3.141592653589793)),
    ]

    @Test("the math functions give SQLite's results, NULL on domain errors")
    func mathFunctions() async throws {
        try await withConnection { connection, _ in
            for (expression, expected) in Self.mathCases {
                let trusted = try connection.withAuthorization(.trusted) { () throws(SQLiteError) in
                    try connection.execute("SELECT \(expression)").rows
                }
                #expect(trusted == [[expected]], "\(expression)")
            }
        }
    }

    @Test("math functions are deterministic: generated columns, indexes and CHECK constraints may use them")
    func mathInSchema() async throws {
        try await withConnection { connection, _ in
            _ = try connection.execute("""
                CREATE TABLE shapes (side REAL CHECK (sqrt(side) < 10), area REAL AS (pow(side, 2)) STORED);
                CREATE INDEX shapes_floor ON shapes (floor(side));
                INSERT INTO shapes (side) VALUES (3);
                """)
            #expect(try connection.execute("SELECT area FROM shapes WHERE floor(side) = 3").rows == [[.real(9)]])
            await expectError("CHECK constraint failed: sqrt(side) < 10: SQLITE_CONSTRAINT") {
                _ = try connection.execute("INSERT INTO shapes (side) VALUES (400)")
            }
        }
    }

    // MARK: Settings of production's build

    @Test("double-quoted strings are text where no column matches, in DML and DDL, as production's build allows")
    func doubleQuotedStrings() async throws {
        try await withConnection { connection, _ in
            #expect(try connection.execute(#"SELECT "no such column""#).rows == [[.text("no such column")]])
            _ = try connection.execute(#"CREATE TABLE q (a TEXT CHECK (a <> "bad"))"#)
            #expect(try connection.execute(#"SELECT "a" FROM (SELECT 1 AS a)"#).rows == [[.integer(1)]])
            await expectError("CHECK constraint failed: a <> \"bad\": SQLITE_CONSTRAINT") {
                _ = try connection.execute("INSERT INTO q VALUES ('bad')")
            }
        }
    }

    @Test("virtual table modules production lacks are absent: dbstat, sqlite_stmt, FTS3/4")
    func modules() async throws {
        try await withConnection { connection, _ in
            await expectError("no such table: dbstat: SQLITE_ERROR") {
                _ = try connection.execute("SELECT * FROM dbstat")
            }
            await expectError("no such table: sqlite_stmt: SQLITE_ERROR") {
                _ = try connection.execute("SELECT * FROM sqlite_stmt")
            }
            connection.authorization = .trusted
            defer { connection.authorization = .user }
            // The JSON table functions (and pragma_*) are created when first named, not listed before.
            let modules = try connection.execute("SELECT name FROM pragma_module_list ORDER BY name").rows
                .compactMap { row -> String? in if case .text(let name) = row[0] { name } else { nil } }
                .filter { !$0.hasPrefix("pragma_") && !$0.hasPrefix("json") }
            #expect(modules == ["fts5", "fts5vocab", "rtree", "rtree_i32"])
            await expectError("no such module: fts4: SQLITE_ERROR") {
                _ = try connection.execute("CREATE VIRTUAL TABLE old USING fts4(body)")
            }
        }
    }

    @Test("secure_delete is off, production's default")
    func secureDelete() async throws {
        try await withConnection { connection, _ in
            let value = try connection.withAuthorization(.trusted) { () throws(SQLiteError) in
                try connection.execute("PRAGMA secure_delete").rows
            }
            #expect(value == [[.integer(0)]])
        }
    }

    // MARK: Statement splitting

    /// sqlite3_complete's answers (Python's sqlite3.complete_statement on SQLite 3.40.1; complete.c
    /// is unchanged since).
    static let completeCases: [(String, Bool)] = [
        ("SELECT 1;", true), ("SELECT 1", false), ("   ;", true), ("", false), ("  ", false), ("SELECT ';';", true),
        ("SELECT ';'", false), ("SELECT 'it''s';", true), ("SELECT \"a;b\";", true), ("SELECT [a;b];", true),
        ("SELECT `a;b`;", true), ("SELECT 1 /* ; */;", true), ("SELECT 1 /* ;", false), ("SELECT 1; -- done", true),
        ("SELECT 1 -- c;\n;", true), ("SELECT 1 -- c;", false),
        ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;", false),
        ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true),
        ("create temp trigger t after insert on x begin select 1; end;", true),
        ("CREATE TEMPORARY TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END", false),
        ("EXPLAIN CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true),
        ("EXPLAIN CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;", false), ("CREATE TABLE trigger (a);", true),
        ("CREATE TABLE t (a); CREATE TRIGGER", false), ("SELECT end FROM t;", true),
        ("CREATE TRIGGER t BEGIN SELECT 1; END; ;", true), ("CREATE TRIGGER t BEGIN SELECT 'END;'; END;", true),
        ("CREATE TRIGGER t BEGIN SELECT 1;END;", true), ("CREATE TRIGGER t BEGIN SELECT 1; END x;", false),
        ("SELECT x$1;", true), ("SELECT ä;", true), ("select 1;\u{0B}", false), ("SELECT 1;\u{0C}", true),
        ("/* only */", false), ("-- only\n", false), ("CREATE VIEW v AS SELECT 1;", true), ("EXPLAIN SELECT 1;", true),
        ("CREATETRIGGER x;", true), ("CREATE x TRIGGER t BEGIN SELECT 1;", true),
    ]

    @Test("statements end where sqlite3_complete says they do")
    func completeStatements() {
        for (sql, complete) in Self.completeCases {
            #expect(SQLScript.isComplete(Array(sql.utf8)[...]) == complete, "\(sql.debugDescription)")
        }
        #expect(SQLScript("""
            CREATE TABLE x (a); -- one;
            CREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE x SET a = 'END;'; END;
            INSERT INTO x VALUES (';')
            """).statements == [
                "CREATE TABLE x (a)",
                "-- one;\nCREATE TRIGGER t AFTER INSERT ON x BEGIN UPDATE x SET a = 'END;'; END",
                "INSERT INTO x VALUES (';')",
            ])
    }
}
