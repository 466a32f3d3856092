// JSON rendering shared by `VarValue.jsonText` and the values quoted in error messages. It matches
// `JSON.stringify`: no escaping of `/` or non-ASCII text, integral numbers without a fraction.

extension String {
    /// The string as a JSON string literal.
    var jsonQuoted: String {
        var text = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}

extension Double {
    /// The number as JSON text: `2` for 2.0, `0.5`, and `null` for NaN and infinities.
    var jsonText: String {
        guard isFinite else { return "null" }
        if self == rounded(), abs(self) < 1e21, let int = Int(exactly: self) {
            return String(int)
        }
        return String(self)
    }
}
