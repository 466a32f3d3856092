import Foundation

/// Why listing, applying or creating migrations failed; ``description`` is the message for the
/// user, in wrangler's words where wrangler has some.
public struct D1MigrationError: Error, Sendable, Hashable {
    private enum Reason: Sendable, Hashable {
        case missingDirectory(path: String)
        case pathSeparator(message: String)
        case unreadable(path: String, reason: String)
        case unwritable(path: String, reason: String)
        case failed(migration: String, error: D1Error)
        case database(D1Error)
    }

    private let reason: Reason

    init(missingDirectory path: String) { reason = .missingDirectory(path: path) }
    init(pathSeparatorIn message: String) { reason = .pathSeparator(message: message) }
    init(unreadable path: String, reason: String) { self.reason = .unreadable(path: path, reason: reason) }
    init(unwritable path: String, reason: String) { self.reason = .unwritable(path: path, reason: reason) }
    init(migration: String, failure: D1Error) { reason = .failed(migration: migration, error: failure) }
    init(database error: D1Error) { reason = .database(error) }

    /// The migration file that failed, when one did.
    public var migration: String? {
        if case .failed(let migration, _) = reason { migration } else { nil }
    }

    /// D1's error, when the database refused something.
    public var d1Error: D1Error? {
        switch reason {
        case .failed(_, let error), .database(let error): error
        default: nil
        }
    }
}

extension D1MigrationError: CustomStringConvertible, LocalizedError {
    /// The message for the user.
    public var description: String {
        switch reason {
        case .missingDirectory(let path):
            "No migrations present at \(path)."
        case .pathSeparator(let message):
            "The migration name \"\(message)\" contains a path separator (\"/\" or \"\\\"). Please remove this and try again."
        case .unreadable(let path, let reason):
            "Could not read \(path): \(reason)"
        case .unwritable(let path, let reason):
            "Could not write \(path): \(reason)"
        case .failed(let migration, let error):
            "Migration \(migration) failed with the following errors:\n\(error)"
        case .database(let error):
            error.description
        }
    }

    /// The same text as ``description``.
    public var errorDescription: String? { description }
}
