import EdgeRuntime
import Foundation
import Testing

@Suite struct SubtleCryptoKDFTests {
    /// RFC 6070 §2 (PBKDF2-HMAC-SHA1) and RFC 7914 §11 (PBKDF2-HMAC-SHA256).
    @Test(arguments: [
        ("SHA-1", "password", "salt", 1, 20, "0c60c80f961f0e71f3a9b524af6012062fe037a6"),
        ("SHA-1", "password", "salt", 2, 20, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"),
        ("SHA-1", "password", "salt", 4096, 20, "4b007901b765489abead49d926f721d065a429c1"),
        ("SHA-1", "passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25,
         "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038"),
        ("SHA-256", "passwd", "salt", 1, 64,
         "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
    ])
    func pbkdf2Vectors(hash: String, password: String, salt: String, iterations: Int, length: Int, derived: String) async throws {
        let key = try await crypto.subtle.importKey(.raw, utf8(password), "PBKDF2", false, [.deriveBits])
        let bits = try await crypto.subtle.deriveBits(.pbkdf2(hash: hash, salt: utf8(salt), iterations: iterations), key, length * 8)
        #expect(bits.hexString == derived)
    }

    /// RFC 6070's fourth vector takes 16 777 216 iterations; production refuses above 100 000
    /// (workerd impl.c++ `checkPbkdfLimits`).
    @Test func pbkdf2IterationLimit() async throws {
        let key = try await crypto.subtle.importKey(.raw, utf8("password"), "PBKDF2", false, [.deriveBits])
        await expectDOMException("NotSupportedError", "Pbkdf2 failed: iteration counts above 100000 are not supported (requested 16777216).") {
            _ = try await crypto.subtle.deriveBits(.pbkdf2(hash: "SHA-1", salt: utf8("salt"), iterations: 16_777_216), key, 160)
        }
        await expectDOMException("OperationError", "PBKDF2 requires a positive iteration count (requested 0).") {
            _ = try await crypto.subtle.deriveBits(.pbkdf2(hash: "SHA-1", salt: utf8("salt"), iterations: 0), key, 160)
        }
        await expectDOMException("OperationError", "PBKDF2 cannot derive a key with null length.") {
            _ = try await crypto.subtle.deriveBits(.pbkdf2(hash: "SHA-1", salt: utf8("salt"), iterations: 1), key, nil)
        }
        await expectDOMException("SyntaxError", "PBKDF2 key cannot be extractable.") {
            _ = try await crypto.subtle.importKey(.raw, utf8("password"), "PBKDF2", true, [.deriveBits])
        }
    }

    /// RFC 5869 appendix A.1 and A.3 (SHA-256) and A.4 (SHA-1).
    @Test(arguments: [
        ("SHA-256", String(repeating: "0b", count: 22), "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
         "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
        ("SHA-256", String(repeating: "0b", count: 22), "", "",
         "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
        ("SHA-1", String(repeating: "0b", count: 11), "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
         "085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2c22e422478d305f3f896"),
    ])
    func hkdfVectors(hash: String, ikm: String, salt: String, info: String, okm: String) async throws {
        let key = try await crypto.subtle.importKey(.raw, hex(ikm), "HKDF", false, [.deriveBits])
        let bits = try await crypto.subtle.deriveBits(.hkdf(hash: hash, salt: hex(salt), info: hex(info)), key, 42 * 8)
        #expect(bits.hexString == okm)
    }

    /// `deriveKey` gives the key `deriveBits` gives the bits of: an AES-GCM key from a password,
    /// an HMAC key (of the hash's block size) from HKDF.
    @Test func deriveKeyImportsTheDerivedBits() async throws {
        let password = try await crypto.subtle.importKey(.raw, utf8("correct horse"), "PBKDF2", false, [.deriveKey, .deriveBits])
        let params = SubtleCrypto.Algorithm.pbkdf2(hash: "SHA-256", salt: utf8("salt"), iterations: 1000)
        let aes = try await crypto.subtle.deriveKey(params, password, .init(name: "AES-GCM", length: 256), true, [.encrypt, .decrypt])
        #expect(aes.algorithm.name == "AES-GCM" && aes.algorithm.length == 256)
        #expect(try await crypto.subtle.exportKey(.raw, aes) == (try await crypto.subtle.deriveBits(params, password, 256)))

        let master = try await crypto.subtle.importKey(.raw, hex("0b0b0b0b"), "HKDF", false, [.deriveKey])
        let hmac = try await crypto.subtle.deriveKey(
            .hkdf(hash: "SHA-256", salt: [], info: utf8("webhook")), master, .hmac(hash: "SHA-256"), false, [.sign])
        #expect(hmac.algorithm.length == 512 && hmac.usages == [.sign])

        await expectDOMException("OperationError", "Derived AES key must be 128, 192, or 256 bits in length but provided 100.") {
            _ = try await crypto.subtle.deriveKey(params, password, .init(name: "AES-GCM", length: 100), true, [.encrypt])
        }
        await expectDOMException("NotSupportedError", "Unrecognized derived key type \"ECDSA\" requested.") {
            _ = try await crypto.subtle.deriveKey(params, password, .ecdsa(namedCurve: "P-256"), true, [.sign])
        }
        await expectDOMException("InvalidAccessError", "Requested key usage \"deriveKey\" does not match any usage listed in this CryptoKey.") {
            let bitsOnly = try await crypto.subtle.importKey(.raw, utf8("pw"), "PBKDF2", false, [.deriveBits])
            _ = try await crypto.subtle.deriveKey(params, bitsOnly, .init(name: "AES-GCM", length: 256), true, [.encrypt])
        }
        await expectDOMException("OperationError", "HKDF cannot derive a key with null length.") {
            let bitsKey = try await crypto.subtle.importKey(.raw, hex("0b0b"), "HKDF", false, [.deriveBits])
            _ = try await crypto.subtle.deriveBits(.hkdf(hash: "SHA-256", salt: [], info: []), bitsKey, nil)
        }
        await expectDOMException("NotSupportedError", "HKDF key must be imported in \"raw\" format (requested \"jwk\")") {
            _ = try await crypto.subtle.importKey(.jwk, JsonWebKey(kty: "oct", k: "AA"), "HKDF", false, [.deriveBits])
        }
    }
}
