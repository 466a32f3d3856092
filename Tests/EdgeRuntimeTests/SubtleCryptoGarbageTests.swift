import EdgeRuntime
import Foundation
import Testing

/// Handler input reaches Web Crypto as it comes (a JWKS fetched from elsewhere, a header's
/// signature, a body): whatever it is, each call returns or throws `DOMException` / `TypeError`,
/// and never traps.
@Suite struct SubtleCryptoGarbageTests {
    static let algorithms: [SubtleCrypto.Algorithm] = [
        .hmac(hash: "SHA-256"), "AES-GCM", "AES-CBC", "AES-CTR", "AES-KW", "PBKDF2", "HKDF",
        .ecdsa(namedCurve: "P-256"), .ecdsa(namedCurve: "P-384"), .ecdh(namedCurve: "P-256"), "Ed25519", "X25519",
        .rsassaPkcs1v1_5(hash: "SHA-256"), .rsaPss(hash: "SHA-512"),
    ]

    /// Usages each algorithm takes, so an import gets past its usage checks to the key data.
    static func usages(_ algorithm: SubtleCrypto.Algorithm, private isPrivate: Bool) -> [KeyUsage] {
        switch algorithm.name {
        case "HMAC": [.sign]
        case "AES-KW": [.wrapKey]
        case let name where name.hasPrefix("AES-"): [.encrypt]
        case "PBKDF2", "HKDF": [.deriveBits]
        case "ECDH", "X25519": isPrivate ? [.deriveBits] : []
        default: isPrivate ? [.sign] : [.verify]
        }
    }

    static func expectWebCryptoError(_ body: () async throws -> Void) async {
        do {
            try await body()
        } catch is DOMException {
        } catch is TypeError {
        } catch {
            Issue.record("unexpected \(type(of: error)): \(error)")
        }
    }

    @Test func randomKeyDataIsRefusedCleanly() async throws {
        var generator = SystemRandomNumberGenerator()
        let lengths = [0, 1, 16, 31, 32, 33, 48, 65, 91, 97, 121, 138, 300, 1200]
        for algorithm in Self.algorithms {
            for length in lengths {
                var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if length > 2 { bytes[0] = [0x30, 0x04, 0x02][length % 3] }
                for format in [SubtleCrypto.KeyFormat<[UInt8]>.raw, .spki, .pkcs8] {
                    let keyUsages = Self.usages(algorithm, private: format.name == "pkcs8")
                    await Self.expectWebCryptoError {
                        _ = try await crypto.subtle.importKey(format, bytes, algorithm, false, keyUsages)
                    }
                }
                let text = bytes.base64URLString
                let jwks = [
                    JsonWebKey(kty: "EC", crv: "P-256", x: text, y: text, d: text),
                    JsonWebKey(kty: "OKP", crv: "Ed25519", x: text, d: text),
                    JsonWebKey(kty: "RSA", d: text, n: text, e: text, p: text, q: text, dp: text, dq: text, qi: text),
                    JsonWebKey(kty: "oct", k: text + "*"),
                ]
                for jwk in jwks {
                    for isPrivate in [true, false] {
                        var key = jwk
                        if !isPrivate { key.d = nil }
                        await Self.expectWebCryptoError {
                            _ = try await crypto.subtle.importKey(.jwk, key, algorithm, false, Self.usages(algorithm, private: isPrivate))
                        }
                    }
                }
            }
        }
    }

    @Test func randomParametersAreRefusedCleanly() async throws {
        let aes = try await crypto.subtle.importKey(.raw, [UInt8](repeating: 7, count: 16), "AES-CTR", false, [.encrypt, .decrypt])
        for length in [-1, 0, 1, 7, 63, 64, 65, 127, 128, 129, Int.max, Int.min] {
            await Self.expectWebCryptoError {
                _ = try await crypto.subtle.encrypt(.aesCtr(counter: [UInt8](repeating: 0xFF, count: 16), length: length), aes,
                                                    [UInt8](repeating: 1, count: 100))
            }
        }
        let gcm = try await crypto.subtle.importKey(.raw, [UInt8](repeating: 7, count: 32), "AES-GCM", false, [.decrypt])
        for (tagLength, count) in [(Int.max, 20), (Int.min, 20), (32, 0), (128, 15), (96, 12)] {
            await Self.expectWebCryptoError {
                _ = try await crypto.subtle.decrypt(.aesGcm(iv: [UInt8](repeating: 1, count: 12), tagLength: tagLength), gcm,
                                                    [UInt8](repeating: 3, count: count))
            }
        }
        let pbkdf2 = try await crypto.subtle.importKey(.raw, [1, 2, 3], "PBKDF2", false, [.deriveBits, .deriveKey])
        for length in [Int.max, Int.min, -8, 7, Int.max - 7] {
            await Self.expectWebCryptoError {
                _ = try await crypto.subtle.deriveBits(.pbkdf2(hash: "SHA-256", salt: [], iterations: 1), pbkdf2, length)
            }
            await Self.expectWebCryptoError {
                _ = try await crypto.subtle.deriveKey(.pbkdf2(hash: "SHA-256", salt: [], iterations: 1), pbkdf2,
                                                      .hmac(hash: "SHA-256", length: length), true, [.sign])
            }
        }
        for length in [Int.max, Int.min, 0, -1] {
            await Self.expectWebCryptoError {
                _ = try await crypto.subtle.generateKey(.hmac(hash: "SHA-1", length: length), true, [.sign]) as CryptoKey
            }
            await Self.expectWebCryptoError {
                _ = try await crypto.subtle.importKey(.raw, [1, 2, 3], .hmac(hash: "SHA-1", length: length), true, [.sign])
            }
            await Self.expectWebCryptoError {
                _ = try await crypto.subtle.generateKey(
                    .init(name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: length, publicExponent: [1, 0, 1]), true,
                    [.sign]) as CryptoKeyPair
            }
        }
    }
}
