import Crypto
import Foundation
import _CryptoExtras

extension SubtleCrypto {
    /// `crypto.subtle.sign(algorithm, key, data)`: HMAC, ECDSA on P-256, P-384 and P-521 (`.ecdsa(hash: "SHA-256")`; the
    /// signature is IEEE P1363 `r || s`, as Web Crypto gives it, not DER), Ed25519 /
    /// NODE-ED25519, RSASSA-PKCS1-v1_5 and RSA-PSS (`.rsaPss(saltLength: 32)`).
    public func sign(_ algorithm: Algorithm, _ key: CryptoKey, _ data: some DataProtocol) async throws -> [UInt8] {
        try validateOperation(key, algorithm, .sign)
        return try key.sign(algorithm, Array(data))
    }

    /// `crypto.subtle.verify(algorithm, key, signature, data)`: `true` when `signature` is the
    /// key's over `data`. A signature of the wrong size is `false` (ECDSA) or an `OperationError`
    /// (Ed25519), as on Workers.
    public func verify(
        _ algorithm: Algorithm, _ key: CryptoKey, _ signature: some DataProtocol, _ data: some DataProtocol
    ) async throws -> Bool {
        try validateOperation(key, algorithm, .verify)
        return try key.verify(algorithm, Array(signature), Array(data))
    }
}

extension CryptoKey {
    func sign(_ request: SubtleCrypto.Algorithm, _ data: [UInt8]) throws -> [UInt8] {
        switch material {
        case .secret(let secret):
            return try WebCryptoHash(algorithm.hash?.name).hmac(key: secret, data)
        case .p256Private(let key):
            return try Self.digest(ecdsaHash(request), data) { Array(try key.signature(for: $0).rawRepresentation) }
        case .p384Private(let key):
            return try Self.digest(ecdsaHash(request), data) { Array(try key.signature(for: $0).rawRepresentation) }
        case .p521Private(let key):
            return try Self.digest(ecdsaHash(request), data) { Array(try key.signature(for: $0).rawRepresentation) }
        case .ed25519Private(let key):
            return Array(try key.signature(for: data))
        case .rsaPrivate(let key):
            let hash = try WebCryptoHash(algorithm.hash?.name)
            let padding = try rsaPadding(request, hash: hash)
            let modulusBytes = key.keySizeInBits / 8
            if algorithm.name == "RSASSA-PKCS1-v1_5", hash.byteCount + 32 > modulusBytes {
                // workerd, keys.c++ `AsymmetricKeyCryptoKeyImpl::sign`.
                throw DOMException.operation("key too small for signing with given digest, need at least \(8 * (hash.byteCount + 32))bits.")
            }
            if algorithm.name == "RSA-PSS", 2 * hash.byteCount + 2 > modulusBytes {
                // workerd, keys.c++ `AsymmetricKeyCryptoKeyImpl::sign`.
                throw DOMException.operation("key too small for signing with given digest and salt length")
            }
            return try Self.digest(hash, data) { Array(try key.signature(for: $0, padding: padding).rawRepresentation) }
        default:
            // workerd, keys.c++ `AsymmetricKeyCryptoKeyImpl::sign`.
            throw DOMException.invalidAccess("Asymmetric signing requires a private key.")
        }
    }

    func verify(_ request: SubtleCrypto.Algorithm, _ signature: [UInt8], _ data: [UInt8]) throws -> Bool {
        switch material {
        case .secret(let secret):
            let expected = try WebCryptoHash(algorithm.hash?.name).hmac(key: secret, data)
            return crypto.subtle.timingSafeEqual(expected, signature)
        case .p256Public(let key):
            let hash = try ecdsaHash(request)
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return Self.digest(hash, data) { key.isValidSignature(parsed, for: $0) }
        case .p384Public(let key):
            let hash = try ecdsaHash(request)
            guard let parsed = try? P384.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return Self.digest(hash, data) { key.isValidSignature(parsed, for: $0) }
        case .p521Public(let key):
            let hash = try ecdsaHash(request)
            guard let parsed = try? P521.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return Self.digest(hash, data) { key.isValidSignature(parsed, for: $0) }
        case .ed25519Public(let key):
            guard signature.count == 64 else {
                // workerd, ec.c++ `EdDsaKey::verify`.
                throw DOMException.operation("Invalid \(algorithm.name) signature length \(signature.count)")
            }
            return key.isValidSignature(signature, for: data)
        case .rsaPublic(let key):
            let hash = try WebCryptoHash(algorithm.hash?.name)
            let padding = try rsaPadding(request, hash: hash)
            let parsed = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return Self.digest(hash, data) { key.isValidSignature(parsed, for: $0, padding: padding) }
        default:
            // workerd, keys.c++ `AsymmetricKeyCryptoKeyImpl::verify`.
            throw DOMException.invalidAccess("Asymmetric verification requires a public key.")
        }
    }

    /// ECDSA takes its hash at call time (workerd, ec.c++ `EllipticKey::chooseHash`).
    private func ecdsaHash(_ request: SubtleCrypto.Algorithm) throws -> WebCryptoHash {
        guard let hash = request.hash else {
            throw TypeError(
                "Missing \"hash\" in AlgorithmIdentifier. (ECDSA requires that the hash algorithm be specified at call time rather than on the key. This differs from other WebCrypto algorithms for historical reasons.)")
        }
        return try WebCryptoHash(hash)
    }

    /// PKCS #1 v1.5, or PSS with the call's `saltLength` (workerd, rsa.c++ `RsaPssKey::addSalt`).
    /// swift-crypto's PSS uses a salt as long as the digest, the length JWT's PS256/384/512 use;
    /// Edge refuses another length rather than sign or verify with the wrong one.
    private func rsaPadding(_ request: SubtleCrypto.Algorithm, hash: WebCryptoHash) throws -> _RSA.Signing.Padding {
        guard algorithm.name == "RSA-PSS" else { return .insecurePKCS1v1_5 }
        guard let saltLength = request.saltLength else {
            throw TypeError("Failed to provide salt for RSA-PSS key operation which requires a salt")
        }
        guard saltLength >= 0 else {
            throw DOMException.data("SaltLength for RSA-PSS must be non-negative (provided \(saltLength)).")
        }
        guard saltLength == hash.byteCount else {
            throw DOMException.notSupported(
                "Edge implements RSA-PSS with a saltLength equal to the hash's length (\(hash.byteCount)) only, not \(saltLength).")
        }
        return .PSS
    }

    /// Runs `body` on the digest of `data` under `hash`.
    static func digest<Result>(_ hash: WebCryptoHash, _ data: [UInt8], _ body: (any Digest) throws -> Result) rethrows -> Result {
        switch hash {
        case .sha1: try body(Insecure.SHA1.hash(data: data))
        case .sha256: try body(SHA256.hash(data: data))
        case .sha384: try body(SHA384.hash(data: data))
        case .sha512: try body(SHA512.hash(data: data))
        }
    }
}
