import Crypto
import _CryptoExtras

extension SubtleCrypto {
    /// `crypto.subtle.generateKey(algorithm, extractable, keyUsages)` for a secret key (HMAC,
    /// AES-*). TypeScript's `as CryptoKey` picks this overload:
    /// `try await crypto.subtle.generateKey(.init(name: "AES-GCM", length: 256), true, [.encrypt, .decrypt]) as CryptoKey`.
    public func generateKey(_ algorithm: Algorithm, _ extractable: Bool, _ keyUsages: [KeyUsage]) async throws -> CryptoKey {
        guard case .key(let key) = try generate(algorithm, extractable, keyUsages) else {
            throw TypeError("\"\(algorithm.name)\" generates a CryptoKeyPair, not a CryptoKey.")
        }
        return key
    }

    /// `crypto.subtle.generateKey(algorithm, extractable, keyUsages)` for a key pair (ECDSA,
    /// ECDH, Ed25519, X25519, RSA): `try await crypto.subtle.generateKey(.ecdsa(namedCurve: "P-256"), true, [.sign, .verify]) as CryptoKeyPair`.
    public func generateKey(_ algorithm: Algorithm, _ extractable: Bool, _ keyUsages: [KeyUsage]) async throws -> CryptoKeyPair {
        guard case .pair(let pair) = try generate(algorithm, extractable, keyUsages) else {
            throw TypeError("\"\(algorithm.name)\" generates a CryptoKey, not a CryptoKeyPair.")
        }
        return pair
    }

    private enum Generated {
        case key(CryptoKey)
        case pair(CryptoKeyPair)
    }

    /// workerd, crypto.c++ `SubtleCrypto::generateKey` and each algorithm's `generate*`.
    private func generate(_ algorithm: Algorithm, _ extractable: Bool, _ keyUsages: [KeyUsage]) throws -> Generated {
        guard let name = WebCryptoName.normalized(algorithm.name), name != "PBKDF2", name != "HKDF" else {
            throw DOMException.notSupported("Unrecognized key generation algorithm \"\(algorithm.name)\" requested.")
        }
        switch name {
        case "HMAC":
            let usages = try validateUsages(name, .generate, keyUsages, mask: [.sign, .verify])
            let hash = try WebCryptoHash(algorithm.hash)
            let length = algorithm.length ?? hash.blockBits
            // workerd keeps the length in a uint16_t (`HmacKeyAlgorithm::length`).
            guard length > 0, length <= Int(UInt16.max) else {
                // workerd, digest.c++ `generateHmac`.
                throw DOMException.operation("HMAC key length must be a non-zero unsigned long integer (requested \(length)).")
            }
            let bytes = truncated(crypto.randomBytes((length + 7) / 8), toBits: length)
            return try secret(CryptoKey(type: .secret, extractable: extractable,
                                        algorithm: KeyAlgorithm(name: name, hash: hash.name, length: length),
                                        usages: usages, material: .secret(bytes)))
        case "AES-CTR", "AES-CBC", "AES-GCM", "AES-KW":
            let mask: Set<KeyUsage> = name == "AES-KW" ? [.wrapKey, .unwrapKey] : [.encrypt, .decrypt, .wrapKey, .unwrapKey]
            let usages = try validateUsages(name, .generate, keyUsages, mask: mask)
            guard let length = algorithm.length else {
                // workerd, aes.c++ `generateAes`.
                throw TypeError("Missing field \"length\" in \"algorithm\".")
            }
            guard [128, 192, 256].contains(length) else {
                // workerd, aes.c++ `generateAes`.
                throw DOMException.operation("Generated AES key length must be 128, 192, or 256 bits but requested \(length).")
            }
            return try secret(CryptoKey(type: .secret, extractable: extractable, algorithm: KeyAlgorithm(name: name, length: length),
                                        usages: usages, material: .secret(crypto.randomBytes(length / 8))))
        default:
            return .pair(try KeyPairGeneration(name: name, algorithm: algorithm, extractable: extractable, usages: keyUsages).generate())
        }
    }

    private func secret(_ key: CryptoKey) throws -> Generated {
        guard !key.usages.isEmpty else {
            // workerd, crypto.c++ `SubtleCrypto::generateKey`.
            throw DOMException.syntax("Secret/private CryptoKeys must have at least one usage.")
        }
        return .key(key)
    }
}
