import Crypto
import _CryptoExtras

/// `deriveBits` by the base key's algorithm: PBKDF2 (workerd `pbkdf2.c++`), HKDF (`hkdf.c++`),
/// ECDH (`ec.c++`, `EllipticKey::deriveBits`) and X25519 (`EdDsaKey::deriveBits`). Each error is
/// workerd's text.
extension CryptoKey {
    /// Production refuses PBKDF2 above 100 000 iterations (workerd, impl.c++ `checkPbkdfLimits`
    /// and io/limit-enforcer.h `DEFAULT_MAX_PBKDF2_ITERATIONS`).
    static let maxPBKDF2Iterations = 100_000

    func deriveBits(_ request: SubtleCrypto.Algorithm, _ length: Int?) throws -> [UInt8] {
        switch (algorithm.name, material) {
        case ("PBKDF2", .secret(let password)):
            return try pbkdf2(request, password, length)
        case ("HKDF", .secret(let inputKey)):
            return try hkdf(request, inputKey, length)
        case ("ECDH", _), ("X25519", _):
            return try agree(request, length)
        default:
            throw DOMException.notSupported("The deriveKey and deriveBits operations are not implemented for \"\(algorithm.name)\".")
        }
    }

    private func pbkdf2(_ request: SubtleCrypto.Algorithm, _ password: [UInt8], _ length: Int?) throws -> [UInt8] {
        let hash = try WebCryptoHash(request.hash)
        guard let salt = request.salt else { throw TypeError("Missing field \"salt\" in \"algorithm\".") }
        guard let iterations = request.iterations else { throw TypeError("Missing field \"iterations\" in \"algorithm\".") }
        guard let length else { throw DOMException.operation("PBKDF2 cannot derive a key with null length.") }
        guard length % 8 == 0 else {
            throw DOMException.operation("PBKDF2 requires a derived key length that is a multiple of eight (requested \(length)).")
        }
        guard iterations > 0 else {
            throw DOMException.operation("PBKDF2 requires a positive iteration count (requested \(iterations)).")
        }
        guard iterations <= Self.maxPBKDF2Iterations else {
            throw DOMException.notSupported(
                "Pbkdf2 failed: iteration counts above \(Self.maxPBKDF2Iterations) are not supported (requested \(iterations)).")
        }
        guard length / 8 <= 255 * hash.byteCount else {
            throw DOMException.operation("Pbkdf2 failed: derived key length exceeds maximum for this hash")
        }
        guard length > 0 else { return [] }
        let function: KDF.Insecure.PBKDF2.HashFunction = switch hash {
        case .sha1: .insecureSHA1
        case .sha256: .sha256
        case .sha384: .sha384
        case .sha512: .sha512
        }
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(from: password, salt: salt, using: function,
                                                         outputByteCount: length / 8, unsafeUncheckedRounds: iterations)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw DOMException.operation("PBKDF2 deriveBits failed.")
        }
    }

    private func hkdf(_ request: SubtleCrypto.Algorithm, _ inputKey: [UInt8], _ length: Int?) throws -> [UInt8] {
        let hash = try WebCryptoHash(request.hash)
        guard let salt = request.salt else { throw TypeError("Missing field \"salt\" in \"algorithm\".") }
        guard let info = request.info else { throw TypeError("Missing field \"info\" in \"algorithm\".") }
        guard let length else { throw DOMException.operation("HKDF cannot derive a key with null length.") }
        guard length % 8 == 0 else {
            throw DOMException.operation("HKDF requires a derived key length that is a multiple of eight (requested \(length)).")
        }
        guard length / 8 <= 255 * hash.byteCount else { throw DOMException.operation("HKDF deriveBits failed.") }
        guard length > 0 else { return [] }
        let key = SymmetricKey(data: inputKey)
        let derived: SymmetricKey = switch hash {
        case .sha1: HKDF<Insecure.SHA1>.deriveKey(inputKeyMaterial: key, salt: salt, info: info, outputByteCount: length / 8)
        case .sha256: HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: salt, info: info, outputByteCount: length / 8)
        case .sha384: HKDF<SHA384>.deriveKey(inputKeyMaterial: key, salt: salt, info: info, outputByteCount: length / 8)
        case .sha512: HKDF<SHA512>.deriveKey(inputKeyMaterial: key, salt: salt, info: info, outputByteCount: length / 8)
        }
        return derived.withUnsafeBytes { Array($0) }
    }

    /// ECDH and X25519: the shared secret with `request.public`, cut to `length` bits.
    private func agree(_ request: SubtleCrypto.Algorithm, _ length: Int?) throws -> [UInt8] {
        guard type == .private else {
            throw DOMException.invalidAccess("The deriveBits operation is only valid for a private key, not \"\(type.rawValue)\".")
        }
        guard let peer = request.public else { throw TypeError("Missing field \"public\" in \"derivedKeyParams\".") }
        guard peer.type == .public else {
            throw DOMException.invalidAccess("The provided key has type \"\(peer.type.rawValue)\", not \"public\"")
        }
        guard Self.algorithmShape(algorithm.name) == Self.algorithmShape(peer.algorithm.name) else {
            throw DOMException.invalidAccess(
                "Base \(algorithm.name) private key cannot be used to derive a key from a peer \(peer.algorithm.name) public key")
        }
        guard algorithm.name == peer.algorithm.name else {
            throw DOMException.invalidAccess(
                "Private key for derivation is using \"\(algorithm.name)\" while public key is using \"\(peer.algorithm.name)\".")
        }
        if let curve = algorithm.namedCurve, let peerCurve = peer.algorithm.namedCurve, curve != peerCurve {
            throw DOMException.invalidAccess("Private key for derivation is using curve \"\(curve)\" while public key is using \"\(peerCurve)\".")
        }
        let secret: [UInt8]
        do {
            switch (material, peer.material) {
            case (.p256Private(let mine), .p256Public(let theirs)):
                let agreement = try P256.KeyAgreement.PrivateKey(rawRepresentation: mine.rawRepresentation)
                let shared = try agreement.sharedSecretFromKeyAgreement(with: P256.KeyAgreement.PublicKey(rawRepresentation: theirs.rawRepresentation))
                secret = shared.withUnsafeBytes { Array($0) }
            case (.p384Private(let mine), .p384Public(let theirs)):
                let agreement = try P384.KeyAgreement.PrivateKey(rawRepresentation: mine.rawRepresentation)
                let shared = try agreement.sharedSecretFromKeyAgreement(with: P384.KeyAgreement.PublicKey(rawRepresentation: theirs.rawRepresentation))
                secret = shared.withUnsafeBytes { Array($0) }
            case (.p521Private(let mine), .p521Public(let theirs)):
                let agreement = try P521.KeyAgreement.PrivateKey(rawRepresentation: mine.rawRepresentation)
                let shared = try agreement.sharedSecretFromKeyAgreement(with: P521.KeyAgreement.PublicKey(rawRepresentation: theirs.rawRepresentation))
                secret = shared.withUnsafeBytes { Array($0) }
            case (.x25519Private(let mine), .x25519Public(let theirs)):
                secret = try mine.sharedSecretFromKeyAgreement(with: theirs).withUnsafeBytes { Array($0) }
            default:
                throw DOMException.operation("Failed to generate shared ECDH secret")
            }
        } catch let error as DOMException {
            throw error
        } catch {
            throw DOMException.operation(
                algorithm.name == "X25519" ? "Detected small order secure curve points, aborting EDDH derivation"
                                           : "Failed to generate shared ECDH secret")
        }
        if algorithm.name == "X25519", secret.allSatisfy({ $0 == 0 }) {
            throw DOMException.operation("Detected small order secure curve points, aborting EDDH derivation")
        }
        let bits = length ?? secret.count * 8
        guard bits <= secret.count * 8 else {
            throw DOMException.operation("Derived key length (\(bits) bits) is too long (should be at most \(secret.count * 8) bits).")
        }
        return truncated(secret, toBits: bits)
    }

    /// Which of workerd's `CryptoKey::AlgorithmVariant` alternatives a key's algorithm is, which
    /// its derivations compare before the names.
    private static func algorithmShape(_ name: String) -> String {
        switch name {
        case "ECDSA", "ECDH": "EllipticKeyAlgorithm"
        case "HMAC": "HmacKeyAlgorithm"
        case "RSASSA-PKCS1-v1_5", "RSA-PSS", "RSA-OAEP": "RsaHashedKeyAlgorithm"
        case let aes where aes.hasPrefix("AES-"): "AesKeyAlgorithm"
        default: "KeyAlgorithm"
        }
    }
}
