import Foundation

/// A Swift value that `D1PreparedStatement.bind` accepts, mirroring the JavaScript types
/// D1's `bind()` accepts.
///
/// | Swift | stored as | JavaScript twin |
/// |---|---|---|
/// | `nil` | NULL | `null` |
/// | `Int`, `Int64`, `Int32` | INTEGER | integral `number` |
/// | `Double` | REAL (finite only) | `number` |
/// | `String` | TEXT | `string` |
/// | `Bool` | INTEGER 1 / 0 | `boolean` |
/// | `[UInt8]`, `Data` | BLOB | `ArrayBuffer`, typed array, byte array |
/// | `D1Value` | itself | — |
///
/// workerd binds every JavaScript number as a double; here integers bind as INTEGER and
/// doubles as REAL, so `typeof(?)` says `integer` for an `Int`. Column affinity makes the
/// stored result the same for INTEGER columns.
public protocol D1Bindable: Sendable {
    /// The value D1 binds for this Swift value.
    var d1Value: D1Value { get }
}

extension D1Value: D1Bindable {
    /// The value itself.
    public var d1Value: D1Value { self }
}

extension Int: D1Bindable {
    /// An INTEGER.
    public var d1Value: D1Value { .integer(Int64(self)) }
}

extension Int64: D1Bindable {
    /// An INTEGER.
    public var d1Value: D1Value { .integer(self) }
}

extension Int32: D1Bindable {
    /// An INTEGER.
    public var d1Value: D1Value { .integer(Int64(self)) }
}

extension Double: D1Bindable {
    /// A REAL; NaN and infinities are refused when bound (`D1_TYPE_ERROR`).
    public var d1Value: D1Value { .real(self) }
}

extension String: D1Bindable {
    /// TEXT.
    public var d1Value: D1Value { .text(self) }
}

extension Bool: D1Bindable {
    /// The INTEGER 1 or 0.
    public var d1Value: D1Value { .integer(self ? 1 : 0) }
}

extension Array: D1Bindable where Element == UInt8 {
    /// A BLOB.
    public var d1Value: D1Value { .blob(self) }
}

extension Data: D1Bindable {
    /// A BLOB.
    public var d1Value: D1Value { .blob([UInt8](self)) }
}
