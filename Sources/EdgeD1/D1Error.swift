import EdgeSQLite
import Foundation

/// An error from a D1 call, whose ``description`` is exactly the `Error.message` D1 throws in
/// JavaScript: `<PREFIX>: <message>`, e.g. `D1_ERROR: no such table: users: SQLITE_ERROR` or
/// `D1_TYPE_ERROR: Type 'number' not supported for value 'NaN'`.
///
/// Mirrors the errors of Cloudflare's `D1Database` / `D1PreparedStatement`. Match on ``kind``,
/// and on ``message`` (D1's `error.cause.message`) the way JavaScript code matches
/// `e.message.includes("UNIQUE constraint failed")`.
public struct D1Error: Error, Sendable, Hashable {
    /// Which of D1's error prefixes the error carries.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case error, typeError, columnNotFound, execError, dumpError
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// `D1_ERROR`: SQL and database errors (also over-limit statements, busy databases).
        public static let error = Kind(.error)
        /// `D1_TYPE_ERROR`: a value `bind()` cannot bind.
        public static let typeError = Kind(.typeError)
        /// `D1_COLUMN_NOTFOUND`: `first(column)` named a column the row lacks.
        public static let columnNotFound = Kind(.columnNotFound)
        /// `D1_EXEC_ERROR`: a line of `exec()` failed.
        public static let execError = Kind(.execError)
        /// `D1_DUMP_ERROR`: `dump()` failed.
        public static let dumpError = Kind(.dumpError)

        /// The prefix as D1 writes it, such as `D1_ERROR`.
        public var prefix: String {
            switch base {
            case .error: "D1_ERROR"
            case .typeError: "D1_TYPE_ERROR"
            case .columnNotFound: "D1_COLUMN_NOTFOUND"
            case .execError: "D1_EXEC_ERROR"
            case .dumpError: "D1_DUMP_ERROR"
            }
        }

        /// The prefix.
        public var description: String { prefix }
    }

    /// The error's prefix.
    public let kind: Kind
    /// The text after the prefix (D1's `error.cause.message`).
    public let message: String
    /// For errors SQLite reported, its primary code name, such as `SQLITE_CONSTRAINT`.
    public let sqliteCode: String?
    /// For errors SQLite reported, its extended code name, such as `SQLITE_CONSTRAINT_UNIQUE`.
    public let sqliteExtendedCode: String?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
        self.sqliteCode = nil
        self.sqliteExtendedCode = nil
    }

    init(_ kind: Kind = .error, sqlite error: SQLiteError) {
        self.kind = kind
        self.message = error.description
        self.sqliteCode = error.codeName
        self.sqliteExtendedCode = error.extendedCodeName
    }

    /// `D1_ERROR: No SQL statements detected.`: an empty batch, or only comments.
    static let noStatements = D1Error(.error, "No SQL statements detected.")
}

extension D1Error: CustomStringConvertible, LocalizedError {
    /// D1's `error.message`: `<PREFIX>: <message>`.
    public var description: String { "\(kind.prefix): \(message)" }

    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
