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
    /// Which of the runtime's own errors this is (``Code``), kept when it crosses a stub; `nil`
    /// for an error the object's code threw and for a SQL error.
    public let code: Code?

    init(
        _ name: String = "Error", code: Code? = nil, _ message: String, remote: Bool = false, retryable: Bool = false,
        overloaded: Bool = false, durableObjectReset: Bool = false, underlying: (any Error)? = nil
    ) {
        self.code = code
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
                error.name, code: error.code, error.message, remote: true, retryable: error.retryable, overloaded: error.overloaded,
                durableObjectReset: error.durableObjectReset, underlying: error.underlying)
        }
        return DurableObjectError("Error", String(describing: error), remote: true, underlying: error)
    }

    /// What events in flight receive when a throw inside `blockConcurrencyWhile` resets the
    /// object: the thrown error, as from the object, with `durableObjectReset` set.
    static func brokenInputGate(_ error: any Error) -> DurableObjectError {
        let thrown = crossingStub(error)
        return DurableObjectError(
            thrown.name, code: thrown.code, thrown.message, remote: true, retryable: thrown.retryable, overloaded: thrown.overloaded,
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
    static let invalidIdFormat = DurableObjectError("TypeError", code: .invalidIdFormat, "Invalid Durable Object ID: must be 64 hex digits")
    static let idNotInNamespace = DurableObjectError("TypeError", code: .idNotInNamespace, "Durable Object ID is not valid for this namespace.")

    /// In-flight calls when the object is reset as a code update resets it.
    static let codeUpdated = DurableObjectError(
        "Error", code: .codeUpdated, "Durable Object reset because its code was updated.", durableObjectReset: true)
    /// Storage of an instance that was evicted (production's text for a stale instance).
    static let instanceInactive = DurableObjectError(
        "Error", code: .instanceInactive, "Connection closed: this Durable Object instance is no longer active. Reconnect or retry the request.",
        retryable: true)
    /// The close reason of WebSockets dropped by a reset.
    static let socketResetReason = "Durable Object connection closed because the object was reset."
    /// `ctx.abort()` without a reason.
    static let defaultAbortReason = "Application called abort() to reset Durable Object."
    static func aborted(_ reason: String) -> DurableObjectError {
        DurableObjectError("Error", code: .aborted, reason, durableObjectReset: true)
    }

    static let evictionTimedOut = DurableObjectError(
        "Error", code: .evictionTimedOut, "Timed out waiting to evict Durable Object: it still has active references.")
    static let nestedTooDeeply = DurableObjectError("Error", code: .nestedTooDeeply, "blockConcurrencyWhile() calls are nested too deeply.")
    static let noFetchHandler = DurableObjectError("TypeError", code: .noFetchHandler, "Handler does not export a fetch() function.")
    static let shutDown = DurableObjectError(
        "Error", code: .shutDown, "The Durable Object runtime has shut down.", retryable: true)

    static let alarmTimeNotPositive = DurableObjectError("TypeError", code: .alarmTimeNotPositive, "setAlarm() cannot be called with an alarm time <= 0")
    static let listStartAndStartAfter = DurableObjectError(
        "TypeError", code: .listStartAndStartAfter, "list() cannot be called with both start and startAfter values.")
    static let listLimitNotPositive = DurableObjectError("TypeError", code: .listLimitNotPositive, "List limit must be positive.")
    static let oneWithoutResults = DurableObjectError(
        "Error", code: .oneWithoutResults, "Expected exactly one result from SQL query, but got no results.")
    static let oneWithMultipleResults = DurableObjectError(
        "Error", code: .oneWithMultipleResults, "Expected exactly one result from SQL query, but got multiple results.")
    /// A key and value over the SQLite-backed limit (2 MB together): SQLite's own text, which is
    /// what workerd reports when its `SQLITE_LIMIT_LENGTH` refuses the row.
    static let entryTooLarge = DurableObjectError("Error", code: .entryTooLarge, "string or blob too big: SQLITE_TOOBIG")
    /// A key over the key-value backend's limit (workerd's `ActorStorageLimits::checkMaxKeySize`,
    /// src/workerd/io/actor-storage.c++).
    static func keyTooLarge(_ size: Int, limit: Int) -> DurableObjectError {
        DurableObjectError("RangeError", code: .keyTooLarge, "Keys cannot be larger than \(limit) bytes. A key of size \(size) was provided.")
    }
    /// A value over the key-value backend's limit (workerd's `checkMaxValueSize`, the same file).
    static func valueTooLarge(_ size: Int, limit: Int) -> DurableObjectError {
        DurableObjectError(
            "RangeError", code: .valueTooLarge, "Values cannot be larger than \(limit) bytes. A value of size \(size) was provided.")
    }
    /// Too many keys or pairs in one call on the key-value backend (workerd's
    /// `checkMaxPairsCount`, the same file).
    static func tooManyKeys(_ count: Int, limit: Int) -> DurableObjectError {
        DurableObjectError(
            "RangeError", code: .tooManyKeys, "Maximum number of key value pairs is \(limit). \(count) pairs were provided.")
    }
    /// workerd's text when a class is not SQLite-backed (`new_classes` instead of `new_sqlite_classes`).
    static let sqlNotEnabled = DurableObjectError(
        "Error", code: .sqlNotEnabled,
        "SQL is not enabled for this Durable Object class. To enable it, change `new_classes` to "
            + "`new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml "
            + "file. If using workerd directly,set `enableSql = true` in your workerd config for the class. "
            + "Note that this change cannot be made after the class is already deployed to production.")

    static let acceptedViaAccept = DurableObjectError(
        "Error", code: .acceptedViaAccept, "Cannot call `acceptWebSocket()` if the WebSocket was already accepted via `accept()`")
    static let tooManyTags = DurableObjectError("Error", code: .tooManyTags, "a Hibernatable WebSocket cannot have more than 10 tags")
    /// `acceptWebSocket` past production's limit of hibernatable connections per object
    /// (32 768; workerd does not enforce it, and its text is not published: this one is ours).
    static func tooManyWebSockets(limit: Int) -> DurableObjectError {
        DurableObjectError(
            "Error", code: .tooManyWebSockets,
            "Too many WebSockets: a Durable Object can hold at most \(limit) hibernatable WebSocket connections. Close one before accepting another.")
    }
    static func tagTooLong(_ tag: String) -> DurableObjectError {
        DurableObjectError("Error", code: .tagTooLong, "\"\(tag)\" is longer than the max tag length (256 characters).")
    }
    static let tagsOfUnacceptedSocket = DurableObjectError(
        "Error", code: .tagsOfUnacceptedSocket, "you must call 'acceptWebSocket()' before attempting to access the tags of a WebSocket.")
    static let tagsOfPlainSocket = DurableObjectError("Error", code: .tagsOfPlainSocket, "only hibernatable websockets can have tags.")
    static func autoResponseTooLarge(_ part: String, _ size: Int) -> DurableObjectError {
        DurableObjectError(
            "RangeError", code: .autoResponseTooLarge,
            "\(part) cannot be larger than 2048 bytes. A \(part.lowercased()) of size \(size) was provided.")
    }
}

// MARK: - Codes

extension DurableObjectError {
    /// Which of the runtime's own errors an error is: Swift code compares
    /// `error.code == .tooManyWebSockets` instead of matching the message (JavaScript code can
    /// only match `error.message`; the texts stay workerd's, and may change with it).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The code's name, such as `tooManyWebSockets`.
        public var description: String { name }

        /// `idFromString` of text that is not 64 hex digits.
        public static let invalidIdFormat = Code("invalidIdFormat")
        /// An id of another namespace.
        public static let idNotInNamespace = Code("idNotInNamespace")
        /// The object was reset as a code update resets it (`durableObjectReset`).
        public static let codeUpdated = Code("codeUpdated")
        /// A call on storage of an instance that was evicted or reset.
        public static let instanceInactive = Code("instanceInactive")
        /// `ctx.abort()`, or a throw in `blockConcurrencyWhile`.
        public static let aborted = Code("aborted")
        /// A forced eviction waited too long for events in flight.
        public static let evictionTimedOut = Code("evictionTimedOut")
        /// `blockConcurrencyWhile` nested past workerd's 64 levels.
        public static let nestedTooDeeply = Code("nestedTooDeeply")
        /// `stub.fetch` on a class without `fetch`.
        public static let noFetchHandler = Code("noFetchHandler")
        /// The runtime has shut down.
        public static let shutDown = Code("shutDown")
        /// `setAlarm` with a time <= 0.
        public static let alarmTimeNotPositive = Code("alarmTimeNotPositive")
        /// `list()` with both `start` and `startAfter`.
        public static let listStartAndStartAfter = Code("listStartAndStartAfter")
        /// `list()` with a limit <= 0.
        public static let listLimitNotPositive = Code("listLimitNotPositive")
        /// `cursor.one()` of a query without rows.
        public static let oneWithoutResults = Code("oneWithoutResults")
        /// `cursor.one()` of a query with more than one row.
        public static let oneWithMultipleResults = Code("oneWithMultipleResults")
        /// A key and value over the SQLite-backed limit.
        public static let entryTooLarge = Code("entryTooLarge")
        /// A key over the key-value backend's limit.
        public static let keyTooLarge = Code("keyTooLarge")
        /// A value over the key-value backend's limit.
        public static let valueTooLarge = Code("valueTooLarge")
        /// Too many keys in one call on the key-value backend.
        public static let tooManyKeys = Code("tooManyKeys")
        /// `storage.sql` in a class that is not SQLite-backed.
        public static let sqlNotEnabled = Code("sqlNotEnabled")
        /// `acceptWebSocket` of a socket already `accept()`ed.
        public static let acceptedViaAccept = Code("acceptedViaAccept")
        /// `acceptWebSocket` with more than 10 tags.
        public static let tooManyTags = Code("tooManyTags")
        /// `acceptWebSocket` past the limit of hibernatable WebSockets per object.
        public static let tooManyWebSockets = Code("tooManyWebSockets")
        /// A tag over 256 characters.
        public static let tagTooLong = Code("tagTooLong")
        /// `getTags` of a socket not accepted with `acceptWebSocket`.
        public static let tagsOfUnacceptedSocket = Code("tagsOfUnacceptedSocket")
        /// `getTags` of a plain (`accept()`ed) socket.
        public static let tagsOfPlainSocket = Code("tagsOfPlainSocket")
        /// An auto-response request or response over 2048 bytes.
        public static let autoResponseTooLarge = Code("autoResponseTooLarge")
        /// A binding names a class the worker does not register.
        public static let unknownClass = Code("unknownClass")
        /// No Durable Object binding has this name.
        public static let unknownBinding = Code("unknownBinding")
    }
}
