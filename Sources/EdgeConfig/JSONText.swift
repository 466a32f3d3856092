import EdgeRuntime

// JSON rendering shared by `VarValue.jsonText` and the values quoted in error messages: the
// runtime's `JSON.stringify`, so a string is escaped and a number written as JavaScript does
// (no escaping of `/` or non-ASCII text, `2` for 2.0, `1e-7`, `null` for NaN and infinities).

extension String {
    /// The string as a JSON string literal.
    package var jsonQuoted: String { JSON.stringify(.string(self)) }
}

extension Double {
    /// The number as JSON text: `2` for 2.0, `0.5`, and `null` for NaN and infinities.
    var jsonText: String { JSON.stringify(.number(self)) }
}
