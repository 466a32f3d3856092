/// The PKCS #1 structures (RFC 8017 appendix A.1) that carry an RSA key between a JWK's base64url
/// members and swift-crypto: `RSAPublicKey ::= SEQUENCE { n, e }` and `RSAPrivateKey ::= SEQUENCE
/// { version, n, e, d, p, q, dp, dq, qi }`, all unsigned big-endian INTEGERs.
enum RSADER {
    /// `SEQUENCE { INTEGER... }` of `integers` (unsigned, big-endian).
    static func sequence(of integers: [[UInt8]]) -> [UInt8] {
        var body: [UInt8] = []
        for integer in integers {
            var value = Array(integer.drop(while: { $0 == 0 }))
            if value.isEmpty || value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            body += [0x02] + length(value.count) + value
        }
        return [0x30] + length(body.count) + body
    }

    private static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    /// The INTEGERs of a `SEQUENCE { INTEGER... }`, leading zeros dropped; `nil` when `der` is
    /// not one.
    static func integers(in der: [UInt8]) -> [[UInt8]]? {
        var index = 0
        guard der.first == 0x30, let (bodyLength, bodyStart) = readLength(der, at: 1),
              bodyStart + bodyLength == der.count else { return nil }
        index = bodyStart
        var integers: [[UInt8]] = []
        while index < der.count {
            guard der[index] == 0x02, let (count, start) = readLength(der, at: index + 1),
                  start + count <= der.count else { return nil }
            integers.append(Array(der[start..<start + count].drop(while: { $0 == 0 })))
            index = start + count
        }
        return integers
    }

    private static func readLength(_ der: [UInt8], at index: Int) -> (Int, Int)? {
        guard index < der.count else { return nil }
        let first = der[index]
        if first < 0x80 { return (Int(first), index + 1) }
        let count = Int(first & 0x7F)
        guard count > 0, count <= 4, index + count < der.count else { return nil }
        var value = 0
        for byte in der[(index + 1)...(index + count)] { value = value << 8 | Int(byte) }
        return (value, index + 1 + count)
    }
}
