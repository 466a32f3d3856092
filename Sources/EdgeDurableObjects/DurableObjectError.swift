import EdgeSQLite

/// An error from a Durable Object or its runtime, shaped like the JavaScript errors Workers code
/// sees: a `name` (`Error`, `TypeError`, `RangeError`), a `message` with workerd's text, and the
/// properties workerd sets on errors that cross a stub (`remote`, `retryable`, `overloaded`,
/// `durableObjectReset`; see Cloudflare's "Error handling" page for when to retry).
///
/// `description` is `"<name>: <message>"`, as `String(error)` prints a JavaScript error.
public struct DurableObjectError: Error, Sendable, CustomStringConvertible {
    /// The JavaScript error class: `Error`, `TypeError` or `RangeError`.
    public let name: String
    /// The message, exactly as workerd words it.
    public let message: String
    /// `error.remote`: the error was thrown inside the object, on the other side of a stub.
    public let remote: Bool
    /// `error.retryable`: the call may be retried (if it is idempotent) with a new stub.
    public let retryable: Bool
    /// `error.overloaded`: the object is overloaded; never retry.
    public let overloaded: Bool
    /// `error.durableObjectReset`: the object was reset while the call was in flight.
    public let durableObjectReset: Bool
    /// The Swift error the object threw, for a remote error (production only has the message;
    /// match on ``message`` to stay portable), or the `SQLiteError` behind a SQL error.
    public let underlying: (any Error)?

    init(
        _ name: String = "Error", _ message: String, remote: Bool = false, retryable: Bool = false,
        overloaded: Bool = false, durableObjectReset: Bool = false, underlying: (any Error)? = nil
    ) {
        self.name = name
        self.message = message
        self.remote = remote
        self.retryable = retryable
        self.overloaded = overloaded
        self.durableObjectReset = durableObjectReset
        self.underlying = underlying
    }

    public var description: String { "\(name): \(message)" }
}

// MARK: - How errors cross a stub

extension DurableObjectError {
    /// An error thrown by the object's handler, as its caller receives it: `remote` set, the
    /// message kept (a `DurableObjectError` keeps its name and flags too).
    static func crossingStub(_ error: any Error) -> DurableObjectError {
        if let error = error as? DurableObjectError {
            return DurableObjectError(
                error.name, error.message, remote: true, retryable: error.retryable, overloaded: error.overloaded,
                durableObjectReset: error.durableObjectReset, underlying: error.underlying)
        }
        return DurableObjectError("Error", String(describing: error), remote: true, underlying: error)
    }

    /// What events in flight receive when a throw inside `blockConcurrencyWhile` resets the
    /// object: the thrown error, as from the object, with `durableObjectReset` set.
    static func brokenInputGate(_ error: any Error) -> DurableObjectError {
        let thrown = crossingStub(error)
        return DurableObjectError(
            thrown.name, thrown.message, remote: true, retryable: thrown.retryable, overloaded: thrown.overloaded,
            durableObjectReset: true, underlying: thrown.underlying)
    }

    /// An error raised by the host on the object's behalf (not by its code).
    static func hostError(_ error: any Error) -> DurableObjectError {
        if let error = error as? DurableObjectError { return error }
        return DurableObjectError("Error", String(describing: error), underlying: error)
    }

    /// A SQLite error, worded as workerd's SQL API words it.
    static func sqlite(_ error: SQLiteError) -> DurableObjectError {
        DurableObjectError("Error", error.description, underlying: error)
    }
}

// MARK: - workerd's texts

extension DurableObjectError {
    static let invalidIdFormat = DurableObjectError("TypeError", "Invalid Durable Object ID: must be 64 hex digits")
    static let idNotInNamespace = DurableObjectError("TypeError", "Durable Object ID is not valid for this namespace.")

    /// In-flight calls when the object is reset as a code update resets it.
    static let codeUpdated = DurableObjectError(
        "Error", "Durable Object reset because its code was updated.", durableObjectReset: true)
    /// Storage of an instance that was evicted (production's text for a stale instance).
    static let instanceInactive = DurableObjectError(
        "Error", "Connection closed: this Durable Object instance is no longer active. Reconnect or retry the request.",
        retryable: true)
    /// The close reason of WebSockets dropped by a reset.
    static let socketResetReason = "Durable Object connection closed because the object was reset."
    /// `ctx.abort()` without a reason.
    static let defaultAbortReason = "Application called abort() to reset Durable Object."
    static func aborted(_ reason: String) -> DurableObjectError {
        DurableObjectError("Error", reason, durableObjectReset: true)
    }

    static let evictionTimedOut = DurableObjectError(
        "Error", "Timed out waiting to evict Durable Object: it still has active references.")
    static let nestedTooDeeply = DurableObjectError("Error", "blockConcurrencyWhile() calls are nested too deeply.")
    static let noFetchHandler = DurableObjectError("TypeError", "Handler does not export a fetch() function.")
    static let shutDown = DurableObjectError(
        "Error", "The Durable Object runtime has shut down.", retryable: true)

    static let alarmTimeNotPositive = DurableObjectError("TypeError", "setAlarm() cannot be called with an alarm time <= 0")
    static let listStartAndStartAfter = DurableObjectError(
        "TypeError", "list() cannot be called with both start and startAfter values.")
    static let listLimitNotPositive = DurableObjectError("TypeError", "List limit must be positive.")
    static let oneWithoutResults = DurableObjectError(
        "Error", "Expected exactly one result from SQL query, but got no results.")
    static let oneWithMultipleResults = DurableObjectError(
        "Error", "Expected exactly one result from SQL query, but got multiple results.")
    /// A key and value over the SQLite-backed limit (2 MB together): SQLite's own text, which is
    /// what workerd reports when its `SQLITE_LIMIT_LENGTH` refuses the row.
    static let entryTooLarge = DurableObjectError("Error", "string or blob too big: SQLITE_TOOBIG")
    /// A key over the key-value backend's limit (workerd's `ActorStorageLimits::checkMaxKeySize`,
    /// src/workerd/io/actor-storage.c++).
    static func keyTooLarge(_ size: Int, limit: Int) -> DurableObjectError {
        DurableObjectError("RangeError", "Keys cannot be larger than \(limit) bytes. A key of size \(size) was provided.")
    }
    /// A value over the key-value backend's limit (workerd's `checkMaxValueSize`, the same file).
    static func valueTooLarge(_ size: Int, limit: Int) -> DurableObjectError {
        DurableObjectError(
            "RangeError", "Values cannot be larger than \(limit) bytes. A value of size \(size) was provided.")
    }
    /// Too many keys or pairs in one call on the key-value backend (workerd's
    /// `checkMaxPairsCount`, the same file).
    static func tooManyKeys(_ count: Int, limit: Int) -> DurableObjectError {
        DurableObjectError(
            "RangeError", "Maximum number of key value pairs is \(limit). \(count) pairs were provided.")
    }
    /// workerd's text when a class is not SQLite-backed (`new_classes` instead of `new_sqlite_classes`).
    static let sqlNotEnabled = DurableObjectError(
        "Error",
        "SQL is not enabled for this Durable Object class. To enable it, change `new_classes` to "
            + "`new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml "
            + "file. If using workerd directly,set `enableSql = true` in your workerd config for the class. "
            + "Note that this change cannot be made after the class is already deployed to production.")

    static let acceptedViaAccept = DurableObjectError(
        "Error", "Cannot call `acceptWebSocket()` if the WebSocket was already accepted via `accept()`")
    static let tooManyTags = DurableObjectError("Error", "a Hibernatable WebSocket cannot have more than 10 tags")
    /// `acceptWebSocket` past production's limit of hibernatable connections per object
    /// (32 768; workerd does not enforce it, and its text is not published: this one is ours).
    static func tooManyWebSockets(limit: Int) -> DurableObjectError {
        DurableObjectError(
            "Error",
            "Too many WebSockets: a Durable Object can hold at most \(limit) hibernatable WebSocket connections. Close one before accepting another.")
    }
    static func tagTooLong(_ tag: String) -> DurableObjectError {
        DurableObjectError("Error", "\"\(tag)\" is longer than the max tag length (256 characters).")
    }
    static let tagsOfUnacceptedSocket = DurableObjectError(
        "Error", "you must call 'acceptWebSocket()' before attempting to access the tags of a WebSocket.")
    static let tagsOfPlainSocket = DurableObjectError("Error", "only hibernatable websockets can have tags.")
    static func autoResponseTooLarge(_ part: String, _ size: Int) -> DurableObjectError {
        DurableObjectError(
            "RangeError",
            "\(part) cannot be larger than 2048 bytes. A \(part.lowercased()) of size \(size) was provided.")
    }
}
