import VaporCSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SQL functions production's SQLite has and the SQLite Edge links leaves out, registered on
/// every connection.
///
/// workerd builds SQLite with `SQLITE_ENABLE_MATH_FUNCTIONS` (`build/BUILD.sqlite3`), and D1
/// documents the math functions (developers.cloudflare.com/d1/sql-api/sql-statements, "Supported
/// SQLite extensions"). sqlite-nio's build does not enable them, so they are here, each one as
/// SQLite's `src/func.c` computes it: the argument goes through `sqlite3_value_numeric_type`
/// (so `'2.5'` counts as 2.5, while a BLOB or non-numeric text gives NULL), `ceil`, `floor` and
/// `trunc` return an INTEGER argument unchanged, the logarithms give NULL for x <= 0 (and
/// `log(B, X)` for B <= 1), and a NaN result (`sqrt(-1)`, `acos(2)`) becomes NULL as every
/// `sqlite3_result_double` does. Which of them application SQL may call is the authorizer's
/// business (workerd allows `ceil` but not `ceiling`, `pow` but not `power`, not `log10`).
///
/// `load_extension` is left out of sqlite-nio's build too (`SQLITE_OMIT_LOAD_EXTENSION`);
/// production has it but never enables extension loading, so calling it fails with SQLite's
/// `not authorized` (func.c `loadExt`). It is registered to fail the same way.
enum ProductionFunctions {
    /// Registers the functions on `db`.
    static func register(on db: OpaquePointer) throws(SQLiteError) {
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS
        for (index, function) in math.enumerated() {
            let result = sqlite_nio_sqlite3_create_function_v2(
                db, function.name, function.arguments, flags, UnsafeMutableRawPointer(bitPattern: index + 1),
                { context, count, arguments in ProductionFunctions.call(context, count, arguments) }, nil, nil, nil)
            guard result == SQLITE_OK else { throw SQLiteError(result: result, db: db) }
        }
        for arguments: Int32 in [1, 2] {
            // SQLite registers load_extension as direct-only (SFUNCTION): not from views or triggers.
            let result = sqlite_nio_sqlite3_create_function_v2(
                db, "load_extension", arguments, SQLITE_UTF8 | SQLITE_DIRECTONLY, nil,
                { context, _, _ in sqlite_nio_sqlite3_result_error(context, "not authorized", -1) }, nil, nil, nil)
            guard result == SQLITE_OK else { throw SQLiteError(result: result, db: db) }
        }
    }

    /// The names registered, with their argument counts.
    static var registered: [(name: String, arguments: Int32)] {
        math.map { ($0.name, $0.arguments) } + [("load_extension", 1), ("load_extension", 2)]
    }

    /// How one math function computes its result (the shapes of func.c's `ceilingFunc`,
    /// `logFunc`, `math1Func`, `math2Func` and `piFunc`).
    private enum Shape: Sendable {
        /// INTEGER unchanged, REAL through the function.
        case rounding(@Sendable (Double) -> Double)
        case unary(@Sendable (Double) -> Double)
        case binary(@Sendable (Double, Double) -> Double)
        /// One-argument logarithm: NULL for x <= 0.
        case logarithm(@Sendable (Double) -> Double)
        /// `log(B, X)`: ln(X) / ln(B), NULL unless ln(B) > 0 and X > 0.
        case logarithmWithBase
        case pi
    }

    private struct MathFunction: Sendable {
        let name: String
        let arguments: Int32
        let shape: Shape
    }

    /// SQLite's math functions (sqlite.org/lang_mathfunc.html), in func.c's order.
    private static let math: [MathFunction] = [
        MathFunction(name: "ceil", arguments: 1, shape: .rounding { ceil($0) }),
        MathFunction(name: "ceiling", arguments: 1, shape: .rounding { ceil($0) }),
        MathFunction(name: "floor", arguments: 1, shape: .rounding { floor($0) }),
        MathFunction(name: "trunc", arguments: 1, shape: .rounding { trunc($0) }),
        MathFunction(name: "ln", arguments: 1, shape: .logarithm { log($0) }),
        MathFunction(name: "log", arguments: 1, shape: .logarithm { log10($0) }),
        MathFunction(name: "log10", arguments: 1, shape: .logarithm { log10($0) }),
        MathFunction(name: "log2", arguments: 1, shape: .logarithm { log2($0) }),
        MathFunction(name: "log", arguments: 2, shape: .logarithmWithBase),
        MathFunction(name: "exp", arguments: 1, shape: .unary { exp($0) }),
        MathFunction(name: "pow", arguments: 2, shape: .binary { pow($0, $1) }),
        MathFunction(name: "power", arguments: 2, shape: .binary { pow($0, $1) }),
        MathFunction(name: "mod", arguments: 2, shape: .binary { fmod($0, $1) }),
        MathFunction(name: "acos", arguments: 1, shape: .unary { acos($0) }),
        MathFunction(name: "asin", arguments: 1, shape: .unary { asin($0) }),
        MathFunction(name: "atan", arguments: 1, shape: .unary { atan($0) }),
        MathFunction(name: "atan2", arguments: 2, shape: .binary { atan2($0, $1) }),
        MathFunction(name: "cos", arguments: 1, shape: .unary { cos($0) }),
        MathFunction(name: "sin", arguments: 1, shape: .unary { sin($0) }),
        MathFunction(name: "tan", arguments: 1, shape: .unary { tan($0) }),
        MathFunction(name: "cosh", arguments: 1, shape: .unary { cosh($0) }),
        MathFunction(name: "sinh", arguments: 1, shape: .unary { sinh($0) }),
        MathFunction(name: "tanh", arguments: 1, shape: .unary { tanh($0) }),
        MathFunction(name: "acosh", arguments: 1, shape: .unary { acosh($0) }),
        MathFunction(name: "asinh", arguments: 1, shape: .unary { asinh($0) }),
        MathFunction(name: "atanh", arguments: 1, shape: .unary { atanh($0) }),
        MathFunction(name: "sqrt", arguments: 1, shape: .unary { sqrt($0) }),
        // func.c: x*(M_PI/180.0) and x*(180.0/M_PI), in that order of operations.
        MathFunction(name: "radians", arguments: 1, shape: .unary { $0 * (Double.pi / 180.0) }),
        MathFunction(name: "degrees", arguments: 1, shape: .unary { $0 * (180.0 / Double.pi) }),
        MathFunction(name: "pi", arguments: 0, shape: .pi),
    ]

    /// The C callback of every math function: finds the function by its user-data index.
    private static func call(_ context: OpaquePointer?, _ count: Int32, _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
        let index = Int(bitPattern: sqlite_nio_sqlite3_user_data(context)) - 1
        guard math.indices.contains(index) else { return }
        let function = math[index]
        guard count == function.arguments, count == 0 || arguments != nil else { return }
        /// The argument as func.c reads it: a number (after numeric affinity) or nothing.
        func number(_ position: Int) -> Double? {
            let value = arguments?[position]
            let type = sqlite_nio_sqlite3_value_numeric_type(value)
            guard type == SQLITE_INTEGER || type == SQLITE_FLOAT else { return nil }
            return sqlite_nio_sqlite3_value_double(value)
        }
        switch function.shape {
        case .rounding(let round):
            switch sqlite_nio_sqlite3_value_numeric_type(arguments?[0]) {
            case SQLITE_INTEGER: sqlite_nio_sqlite3_result_int64(context, sqlite_nio_sqlite3_value_int64(arguments?[0]))
            case SQLITE_FLOAT: sqlite_nio_sqlite3_result_double(context, round(sqlite_nio_sqlite3_value_double(arguments?[0])))
            default: return
            }
        case .unary(let compute):
            guard let x = number(0) else { return }
            sqlite_nio_sqlite3_result_double(context, compute(x))
        case .binary(let compute):
            guard let x = number(0), let y = number(1) else { return }
            sqlite_nio_sqlite3_result_double(context, compute(x, y))
        case .logarithm(let compute):
            guard let x = number(0), x > 0 else { return }
            sqlite_nio_sqlite3_result_double(context, compute(x))
        case .logarithmWithBase:
            // func.c's logFunc: the base is argument 0, checked for a number; the value,
            // argument 1, is read with sqlite3_value_double as it is (text "abc" is 0.0, so NULL).
            guard let base = number(0), base > 0 else { return }
            let lnBase = log(base)
            guard lnBase > 0 else { return }
            let x = sqlite_nio_sqlite3_value_double(arguments?[1])
            guard x > 0 else { return }
            sqlite_nio_sqlite3_result_double(context, log(x) / lnBase)
        case .pi:
            sqlite_nio_sqlite3_result_double(context, Double.pi)
        }
    }
}
