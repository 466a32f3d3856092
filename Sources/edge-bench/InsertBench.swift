import EdgeD1
import Foundation
import VaporCSQLite

/// Figure 2: rows/s of `INSERT` through D1 (`prepare(sql).bind(...).run()`, each its own
/// transaction, as the D1 API runs it) against a raw SQLite loop on the C API of the same library
/// (sqlite-nio's SQLite, module VaporCSQLite, which EdgeSQLite runs on) with the same pragmas (WAL,
/// synchronous=NORMAL): one statement prepared once, then bind / step / reset,
/// each insert its own (autocommit) transaction. Fresh files for each; the order flips every
/// round.
struct InsertBench {
    let settings: Settings

    static let create = "CREATE TABLE ticket (id INTEGER PRIMARY KEY, name TEXT NOT NULL, quantity INTEGER NOT NULL, notes TEXT)"
    static let insert = "INSERT INTO ticket (name, quantity, notes) VALUES (?1, ?2, ?3)"

    func run() async throws -> [Figure] {
        let rows = settings.quick ? 2_000 : 5_000
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-bench-d1-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        _ = try await d1(rows: 500, path: directory.appendingPathComponent("warm-d1.sqlite"))
        _ = try raw(rows: 500, path: directory.appendingPathComponent("warm-raw.sqlite").path)
        var d1Rates: [Double] = []
        var rawRates: [Double] = []
        for round in 0..<settings.rounds {
            let d1Path = directory.appendingPathComponent("d1-\(round).sqlite")
            let rawPath = directory.appendingPathComponent("raw-\(round).sqlite").path
            if round % 2 == 0 {
                d1Rates.append(try await d1(rows: rows, path: d1Path))
                rawRates.append(try raw(rows: rows, path: rawPath))
            } else {
                rawRates.append(try raw(rows: rows, path: rawPath))
                d1Rates.append(try await d1(rows: rows, path: d1Path))
            }
            progress("2. insert round \(round + 1): D1 \(Int(d1Rates.last!)) rows/s, raw \(Int(rawRates.last!)) rows/s")
        }
        let rate = Stats.median(d1Rates)
        let base = Stats.median(rawRates)
        let ratio = rate / base
        let paired = zip(d1Rates, rawRates).map { $0 / $1 }
        return [Figure(
            figure: "2. D1 INSERT prepare/bind/run, rows/s", result: "\(Format.grouped(rate)) rows/s",
            baseline: "\(Format.grouped(base)) rows/s (raw SQLite)", ratio: Format.ratio(ratio), target: ">= 0.5x",
            verdict: ratio >= 0.5 ? .pass : .miss, value: rate, unit: "rows/s", baselineValue: base, ratioValue: ratio,
            rounds: settings.rounds,
            detail: "per-round ratios \(ThroughputBench.spread(paired)); \(rows) rows per round, each insert its own transaction, WAL + synchronous=NORMAL in both; raw: C API, statement prepared once")]
    }

    private func d1(rows: Int, path: URL) async throws -> Double {
        let db = try D1Database(path: path, name: "bench")
        defer { db.close() }
        try await db.prepare(Self.create).run()
        let start = monotonicNanos()
        for index in 0..<rows {
            try await db.prepare(Self.insert).bind("Burger", index % 9 + 1, "no onions").run()
        }
        return Double(rows) / seconds(from: start, to: monotonicNanos())
    }

    private func raw(rows: Int, path: String) throws -> Double {
        var db: OpaquePointer?
        guard sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            throw BenchError("sqlite3_open_v2 failed for \(path)")
        }
        defer { sqlite_nio_sqlite3_close_v2(db) }
        for sql in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON", Self.create] {
            guard sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError("\(sql) failed") }
        }
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, Self.insert, -1, &statement, nil) == SQLITE_OK else { throw BenchError("prepare failed") }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let start = monotonicNanos()
        for index in 0..<rows {
            sqlite_nio_sqlite3_bind_text(statement, 1, "Burger", -1, transient)
            sqlite_nio_sqlite3_bind_int64(statement, 2, Int64(index % 9 + 1))
            sqlite_nio_sqlite3_bind_text(statement, 3, "no onions", -1, transient)
            guard sqlite_nio_sqlite3_step(statement) == SQLITE_DONE else { throw BenchError("insert failed: \(String(cString: sqlite_nio_sqlite3_errmsg(db)))") }
            sqlite_nio_sqlite3_reset(statement)
        }
        return Double(rows) / seconds(from: start, to: monotonicNanos())
    }
}
