extension JSONWriter {
    /// A number as `JSON.stringify` writes it: `null` for NaN and the infinities, otherwise
    /// `Number.prototype.toString()` (``javaScriptString(_:)``).
    package mutating func number(_ value: Double) {
        guard value.isFinite else { return null() }
        // Integers below 2^53, the usual number: their digits, with no text made.
        if value.magnitude < 9_007_199_254_740_992, value == value.rounded(.towardZero) {
            return integer(Int64(value))
        }
        bytes.append(contentsOf: Self.javaScriptString(value).utf8)
    }

    /// ECMA-262's `Number::toString(x)` (radix 10), the text `String(x)` gives in JavaScript:
    /// the shortest digits that read back as `x` (Swift's `description` finds the same ones),
    /// laid out by the rules of section 6.1.6.1.20: `100` not `100.0`, `1e+21` and up and
    /// below `1e-6` in exponent form, `-0` as `0`, `NaN`, `Infinity`, `-Infinity`.
    package static func javaScriptString(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return "0" }
        // Swift writes the shortest round-trip digits as "123.45", "1.2345e-07" or "1e+16".
        let description = value.magnitude.description
        let parts = description.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let integerPart = mantissa.prefix { $0 != "." }
        let fractionPart = mantissa.drop { $0 != "." }.dropFirst()
        var digits = Array((integerPart + fractionPart).utf8)
        // value = 0.d1 d2 ... dk x 10^n, digits without leading or trailing zeros.
        var n = integerPart.count + exponent
        while digits.first == UInt8(ascii: "0") {
            digits.removeFirst()
            n -= 1
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        let k = digits.count
        var out: [UInt8] = value < 0 ? [UInt8(ascii: "-")] : []
        if k <= n && n <= 21 {
            out += digits + Array(repeating: UInt8(ascii: "0"), count: n - k)
        } else if 0 < n && n <= 21 {
            out += digits[..<n] + [UInt8(ascii: ".")] + digits[n...]
        } else if -6 < n && n <= 0 {
            out += [UInt8(ascii: "0"), UInt8(ascii: ".")] + Array(repeating: UInt8(ascii: "0"), count: -n) + digits
        } else {
            let e = n - 1
            out.append(digits[0])
            if k > 1 { out += [UInt8(ascii: ".")] + digits[1...] }
            out += Array("e\(e < 0 ? "-" : "+")\(e.magnitude)".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
