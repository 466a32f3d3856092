import Crypto
import Foundation
import _CryptoExtras

/// RSA-OAEP `encrypt` / `decrypt` (and `wrapKey` / `unwrapKey` through them), as workerd's
/// `RsaOaepKey` (`src/workerd/api/crypto/rsa.c++`): OAEP and MGF1 both use the key's hash, a
/// public key encrypts and a private key decrypts, and a failure is an `OperationError`.
///
/// swift-crypto's `_RSA.Encryption` does OAEP with SHA-1 and SHA-256 and an empty label only:
/// Edge refuses a key hashed with SHA-384 or SHA-512, or a non-empty `label`, with a
/// `NotSupportedError` that says so, rather than answer differently from production.
extension CryptoKey {
    func rsaOaepEncrypt(_ request: SubtleCrypto.Algorithm, _ data: [UInt8]) throws -> [UInt8] {
        guard case .rsaPublic(let key) = material else {
            // workerd, rsa.c++ `RsaOaepKey::encrypt`.
            throw DOMException.invalidAccess("Encryption/key wrapping only works with public keys, not \"\(type.rawValue)\".")
        }
        let padding = try oaepPadding(request)
        guard let publicKey = try? _RSA.Encryption.PublicKey(unsafeDERRepresentation: key.derRepresentation) else {
            throw DOMException.operation("RSA-OAEP failed to initialize.")
        }
        // BoringSSL's RSA_R_DATA_TOO_LARGE_FOR_KEY_SIZE is not one workerd translates
        // (impl.c++ `tryDescribeOpensslErrors`), so the text ends with a bare ".".
        guard data.count <= publicKey.maximumEncryptSize(with: padding),
            let sealed = try? publicKey.encrypt(data, padding: padding)
        else {
            throw DOMException.operation("RSA-OAEP failed encrypt/decrypt.")
        }
        return Array(sealed)
    }

    func rsaOaepDecrypt(_ request: SubtleCrypto.Algorithm, _ data: [UInt8]) throws -> [UInt8] {
        guard case .rsaPrivate(let key) = material else {
            // workerd, rsa.c++ `RsaOaepKey::decrypt`.
            throw DOMException.invalidAccess("Decryption/key unwrapping only works with private keys, not \"\(type.rawValue)\".")
        }
        let padding = try oaepPadding(request)
        guard let privateKey = try? _RSA.Encryption.PrivateKey(unsafeDERRepresentation: key.derRepresentation) else {
            throw DOMException.operation("RSA-OAEP failed to initialize.")
        }
        guard data.count == key.keySizeInBits / 8 else {
            // BoringSSL's RSA_R_DATA_LEN_NOT_EQUAL_TO_MOD_LEN, which workerd words this way
            // (impl.c++, `translateOpensslError`).
            throw DOMException.operation("RSA-OAEP failed encrypt/decrypt: Invalid RSA signature.")
        }
        guard let opened = try? privateKey.decrypt(data, padding: padding) else {
            throw DOMException.operation("RSA-OAEP failed encrypt/decrypt.")
        }
        return Array(opened)
    }

    /// OAEP with the key's hash; the refusals of what swift-crypto cannot do.
    private func oaepPadding(_ request: SubtleCrypto.Algorithm) throws -> _RSA.Encryption.Padding {
        if let label = request.label, !label.isEmpty {
            throw DOMException.notSupported("Edge implements RSA-OAEP with an empty label only (swift-crypto takes none).")
        }
        switch try WebCryptoHash(algorithm.hash?.name) {
        case .sha1: return .PKCS1_OAEP
        case .sha256: return .PKCS1_OAEP_SHA256
        case let hash:
            throw DOMException.notSupported(
                "Edge implements RSA-OAEP with SHA-1 and SHA-256 only (swift-crypto's OAEP), not \(hash.name).")
        }
    }
}
