import OrderedCollections

/// A parsed JSON document, as `JSON.parse` hands it to JavaScript: `null`, a boolean, a number
/// (always a double, as JavaScript's `Number`), a string, an array or an object whose keys keep
/// the order they came in.
///
/// Code that checks a body loosely reads as its TypeScript twin:
/// ```swift
/// let body = try await request.json()              // const body = await request.json()
/// guard let title = body["title"]?.string else {   // if (typeof body.title !== "string")
///     return Response("title must be a string", status: .badRequest)
/// }
/// if case .number(let count)? = body["count"] { }  // if (typeof body.count === "number")
/// ```
///
/// JavaScript orders an object's integer-like keys (`"0"`, `"1"`, ...) before the others, in
/// numeric order; here every key keeps its place, as in a `Map`.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number: a double, as JavaScript's `Number`.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; its keys keep their order (`Object.keys(o)`, `for (const k in o)`). Two
    /// objects are equal when they have the same keys in the same order with equal values.
    case object(OrderedDictionary<String, JSONValue>)
}

extension JSONValue {
    /// `typeof value`: `"object"` for null, arrays and objects, `"boolean"`, `"number"` or
    /// `"string"` otherwise.
    public var typeof: String {
        switch self {
        case .null, .array, .object: "object"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        }
    }

    /// `Array.isArray(value)`.
    public var isArray: Bool {
        if case .array = self { return true }
        return false
    }

    /// `value === null`.
    public var isNull: Bool { self == .null }

    /// The string, or `nil` when `typeof value !== "string"`.
    public var string: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The number, or `nil` when `typeof value !== "number"`.
    public var number: Double? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The number as an `Int` when it is one exactly (`Number.isInteger(value)` and in range),
    /// else `nil`.
    public var integer: Int? {
        if case .number(let number) = self { return Int(exactly: number) }
        return nil
    }

    /// The boolean, or `nil` when `typeof value !== "boolean"`.
    public var bool: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    /// The elements, or `nil` when `!Array.isArray(value)`.
    public var array: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The fields in order, or `nil` when the value is not an object (nor an array nor null).
    public var object: OrderedDictionary<String, JSONValue>? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// `value[key]` on an object: the field, or `nil` (`undefined`) when there is none or the
    /// value is not an object. Setting a field of an object keeps its place, a new one goes last.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let object) = self { return object[key] }
            return nil
        }
        set {
            guard case .object(var object) = self else { return }
            self = .null  // the dictionary is uniquely referenced while it changes
            object[key] = newValue
            self = .object(object)
        }
    }

    /// `value[index]` on an array: the element, or `nil` (`undefined`) out of range or when the
    /// value is not an array.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }
}
