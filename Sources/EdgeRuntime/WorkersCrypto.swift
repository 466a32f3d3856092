import Crypto
import Foundation

/// `crypto`, the Web Crypto API as Workers offers it: random values, UUIDs, `crypto.subtle`
/// (digests, keys, signatures, encryption, derivation) and Cloudflare's `timingSafeEqual`.
public struct WorkersCrypto: Sendable {
    /// `crypto.subtle`.
    public let subtle = SubtleCrypto()

    /// `crypto.randomUUID()`: a version 4 UUID, lowercased.
    public func randomUUID() -> String { UUID().uuidString.lowercased() }

    /// `crypto.getRandomValues(new Uint8Array(count))`, from the system's secure generator.
    /// - Throws: `DOMException` `QuotaExceededError` with workerd's text for more than 65 536
    ///   bytes, as Workers refuses them; `TypeError` for a negative count (no typed array has one).
    public func getRandomValues(count: Int) throws -> [UInt8] {
        guard count >= 0 else { throw TypeError("getRandomValues() needs a length of zero or more, but got \(count).") }
        guard count <= 65_536 else {
            // workerd, src/workerd/api/crypto/crypto.c++, Crypto::getRandomValues.
            throw DOMException(
                "getRandomValues() only accepts buffers of size <= 64K but provided \(count) bytes.",
                name: "QuotaExceededError")
        }
        return randomBytes(count)
    }

    /// `count` random bytes from the system's secure generator, for the runtime's own use.
    package func randomBytes(_ count: Int) -> [UInt8] {
        // Eight bytes per draw: a draw is a system call (`getrandom`), and drawing a byte at a
        // time made 40 of them per CounterFire order.
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}

/// `crypto.subtle`: `digest` and `timingSafeEqual` here; keys, signatures, encryption and
/// derivation in `SubtleCrypto+*.swift` (`importKey`, `sign`, `encrypt`, `deriveBits`, ...).
public struct SubtleCrypto: Sendable {
    /// Digest algorithms of `crypto.subtle.digest`.
    public enum DigestAlgorithm: Sendable {
        case sha256, sha384, sha512
    }

    /// `crypto.subtle.digest(algorithm, data)`.
    public func digest(_ algorithm: DigestAlgorithm, _ data: some DataProtocol) -> [UInt8] {
        switch algorithm {
        case .sha256: Array(SHA256.hash(data: data))
        case .sha384: Array(SHA384.hash(data: data))
        case .sha512: Array(SHA512.hash(data: data))
        }
    }

    /// `crypto.subtle.timingSafeEqual(a, b)`: compares in time that depends only on the length.
    public func timingSafeEqual(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// HMAC-SHA256 of `data` under `key` (`crypto.subtle.sign("HMAC", ...)`).
    public func hmacSHA256(key: some DataProtocol, _ data: some DataProtocol) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: Array(key))))
    }
}

/// `crypto`: the global Web Crypto object.
public let crypto = WorkersCrypto()

extension Array where Element == UInt8 {
    /// Lowercase hex.
    public var hexString: String {
        // Two table lookups per byte: `String(format: "%02x")` per byte cost about 1 µs each,
        // and ids, hashes and tokens are hexed on every request.
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: count * 2) { buffer in
            digits.withUTF8Buffer { table in
                for (index, byte) in enumerated() {
                    buffer[index * 2] = table[Int(byte >> 4)]
                    buffer[index * 2 + 1] = table[Int(byte & 0x0F)]
                }
            }
            return count * 2
        }
    }

    /// URL-safe base64 without padding (RFC 4648 §5), as tokens use.
    public var base64URLString: String {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        let bytes = Array(self)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        alphabet.withUTF8Buffer { table in
            var index = 0
            while index + 3 <= bytes.count {
                let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
                output.append(table[Int(group >> 18)])
                output.append(table[Int(group >> 12 & 0x3F)])
                output.append(table[Int(group >> 6 & 0x3F)])
                output.append(table[Int(group & 0x3F)])
                index += 3
            }
            switch bytes.count - index {
            case 1:
                let group = UInt32(bytes[index]) << 16
                output.append(table[Int(group >> 18)])
                output.append(table[Int(group >> 12 & 0x3F)])
            case 2:
                let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
                output.append(table[Int(group >> 18)])
                output.append(table[Int(group >> 12 & 0x3F)])
                output.append(table[Int(group >> 6 & 0x3F)])
            default:
                break
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
