import Testing

@testable import EdgeRuntime

/// Numbers as JavaScript writes them: ECMA-262 `Number::toString` (section 6.1.6.1.20), whose
/// cases are the comments below; the expected texts are what `String(x)` gives in V8.
@Suite struct JSONNumberTests {
    static let toStringCases: [(Double, String)] = [
        // k <= n <= 21: the digits, then zeros.
        (100.0, "100"), (1e20, "100000000000000000000"), (123456789012345680000.0, "123456789012345680000"),
        (9_007_199_254_740_992.0, "9007199254740992"), (9_007_199_254_740_994.0, "9007199254740994"), (-25.0, "-25"),
        // 0 < n <= 21: a decimal point inside the digits.
        (1.5, "1.5"), (-1.5, "-1.5"), (4.35, "4.35"), (0.1 + 0.2 + 1, "1.3"), (123.456, "123.456"),
        // -6 < n <= 0: "0." and zeros.
        (0.5, "0.5"), (0.1 + 0.2, "0.30000000000000004"), (1.0 / 3, "0.3333333333333333"), (0.000001, "0.000001"), (0.0000012, "0.0000012"),
        // otherwise exponent form, with an explicit sign.
        (1e21, "1e+21"), (1.5e300, "1.5e+300"), (1e-7, "1e-7"), (-1e-7, "-1e-7"), (123e-20, "1.23e-18"), (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (1_180_591_620_717_411_303_424.0, "1.1805916207174113e+21"),
        // -0, NaN and the infinities.
        (-0.0, "0"), (Double.nan, "NaN"), (Double.infinity, "Infinity"), (-Double.infinity, "-Infinity"),
    ]

    @Test(arguments: toStringCases)
    func numberToString(value: Double, expected: String) {
        #expect(JSONWriter.javaScriptString(value) == expected)
    }

    /// `JSON.stringify` writes the same text, but `null` for NaN and the infinities.
    static let stringifyCases: [(Double, String)] = [
        (0.1 + 0.2, "0.30000000000000004"), (1e21, "1e+21"), (-0.0, "0"), (42.0, "42"), (1e-7, "1e-7"),
        (Double.nan, "null"), (Double.infinity, "null"), (-Double.infinity, "null"),
    ]

    @Test(arguments: stringifyCases)
    func stringifyWritesNumbers(value: Double, expected: String) throws {
        #expect(JSON.stringify(.number(value)) == expected)
        #expect(try JSON.stringify([value]) == "[\(expected)]")
    }

    /// Swift's integer types keep every digit (a JavaScript number would round past 2^53).
    @Test func integersKeepTheirDigits() throws {
        #expect(try JSON.stringify([Int64.max]) == "[9223372036854775807]")
        #expect(try JSON.stringify([Int64.min]) == "[-9223372036854775808]")
        #expect(try JSON.stringify([UInt64.max]) == "[18446744073709551615]")
        #expect(try JSON.stringify([Float(1.5)]) == "[1.5]")
    }

    /// What is written reads back as the same double.
    @Test func numbersRoundTrip() throws {
        for value in [0.1, 1.0 / 3, 5e-324, 1.7976931348623157e308, 123e-20, -2.5e-8, 9_007_199_254_740_993.0, 1e21, 4.35] {
            let text = JSON.stringify(.number(value))
            #expect(try JSON.parse(text) == .number(value), "\(text)")
        }
    }
}
