extension SubtleCrypto {
    /// `crypto.subtle.deriveBits(algorithm, baseKey, length)`: PBKDF2
    /// (`.pbkdf2(hash:salt:iterations:)`), HKDF (`.hkdf(hash:salt:info:)`), ECDH
    /// (`.ecdh(public: peerKey)`) and X25519 (`.x25519(public: peerKey)`); `length` in bits, `nil`
    /// for ECDH / X25519's whole secret.
    public func deriveBits(_ algorithm: Algorithm, _ baseKey: CryptoKey, _ length: Int?) async throws -> [UInt8] {
        if let length, length < 0 {
            // workerd, crypto.c++ `SubtleCrypto::deriveBits`.
            throw TypeError("deriveBits length must be an unsigned long integer.")
        }
        try validateOperation(baseKey, algorithm, .deriveBits)
        return try baseKey.deriveBits(algorithm, length)
    }

    /// `crypto.subtle.deriveKey(algorithm, baseKey, derivedKeyAlgorithm, extractable, keyUsages)`:
    /// the bits `deriveBits` gives for the derived key's length, imported as a raw AES or HMAC key
    /// (workerd, crypto.c++ `SubtleCrypto::deriveKey` and `getKeyLength`).
    public func deriveKey(
        _ algorithm: Algorithm, _ baseKey: CryptoKey, _ derivedKeyAlgorithm: Algorithm, _ extractable: Bool,
        _ keyUsages: [KeyUsage]
    ) async throws -> CryptoKey {
        try validateOperation(baseKey, algorithm, .deriveKey)
        let length = try Self.derivedKeyLength(derivedKeyAlgorithm)
        let secret = try baseKey.deriveBits(algorithm, length)
        return try importKeySync("raw", .bytes(secret), derivedKeyAlgorithm, extractable, keyUsages)
    }

    /// The spec's "get key length" (workerd, crypto.c++ `getKeyLength`).
    private static func derivedKeyLength(_ algorithm: Algorithm) throws -> Int? {
        guard let name = WebCryptoName.normalized(algorithm.name),
              ["AES-CTR", "AES-CBC", "AES-GCM", "AES-KW", "HMAC", "HKDF", "PBKDF2"].contains(name) else {
            throw DOMException.notSupported("Unrecognized derived key type \"\(algorithm.name)\" requested.")
        }
        if name.hasPrefix("AES-") {
            guard let length = algorithm.length else { throw TypeError("Missing field \"length\" in \"derivedKeyParams\".") }
            guard [128, 192, 256].contains(length) else {
                throw DOMException.operation("Derived AES key must be 128, 192, or 256 bits in length but provided \(length).")
            }
            return length
        }
        if name == "HMAC" {
            if let length = algorithm.length {
                guard length > 0 else { throw TypeError("HMAC key length must be a non-zero unsigned long integer.") }
                return length
            }
            return try WebCryptoHash(algorithm.hash, field: "derivedKeyParams").blockBits
        }
        return nil
    }
}
