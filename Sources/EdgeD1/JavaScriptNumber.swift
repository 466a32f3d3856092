/// Writes numbers as JavaScript's `String(number)` and `JSON.stringify` do, so that output
/// meant to match wrangler's (`d1 execute` tables and `--json`) prints `3` for 3.0, `1e+21`,
/// `1e-7` and `0.000001` exactly as Node would.
enum JavaScriptNumber {
    /// ECMAScript's Number::toString(10), from Swift's shortest round-trip digits.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        // Swift's description holds the shortest digits that round-trip, as ECMAScript requires:
        // "3.141", "1e-07", "1.2345678901234568e+20", "100.0".
        let text = String(value.magnitude)
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1])! : 0
        let mantissa = parts[0].split(separator: ".", maxSplits: 1)
        let fraction = mantissa.count == 2 ? String(mantissa[1]) : ""
        var digits = Array(String(mantissa[0]) + fraction)
        // value = digits × 10^power
        var power = exponent - fraction.count
        while digits.count > 1, digits.first == "0" { digits.removeFirst() }
        while digits.count > 1, digits.last == "0" {
            digits.removeLast()
            power += 1
        }
        let k = digits.count
        let n = power + k
        let string = String(digits)
        if k <= n, n <= 21 {
            return sign + string + String(repeating: "0", count: n - k)
        }
        if 0 < n, n <= 21 {
            return sign + String(digits[..<n]) + "." + String(digits[n...])
        }
        if -6 < n, n <= 0 {
            return sign + "0." + String(repeating: "0", count: -n) + string
        }
        let exponentText = (n - 1 < 0 ? "-" : "+") + String((n - 1).magnitude)
        if k == 1 { return sign + string + "e" + exponentText }
        return sign + String(digits[0]) + "." + String(digits[1...]) + "e" + exponentText
    }
}

extension String {
    /// The string without leading and trailing whitespace, as JavaScript's `trim()`.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
