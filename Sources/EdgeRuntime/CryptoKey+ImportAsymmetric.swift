import Crypto
import _CryptoExtras

/// What is common to importing a public or private key (workerd `keys.c++`,
/// `importAsymmetricForWebCrypto`): the key's type and usages, a JWK's `use` / `key_ops` / `ext`
/// checked against them, and the DER of spki / pkcs8 read into a key of whichever kind it holds.
extension KeyImport {
    /// The type and usages of the key being imported; `allowed` are the algorithm's usages, of
    /// which a public key gets those in `publicMask`.
    func asymmetricUsages(allowed: Set<KeyUsage>, publicMask: Set<KeyUsage> = .publicKeyMask) throws -> (CryptoKey.KeyType, Set<KeyUsage>) {
        switch (format, data) {
        case ("jwk", .jwk(let jwk)):
            let type: CryptoKey.KeyType = jwk.d == nil ? .public : .private
            let usageSet = type == .private
                ? try validateUsages(name, .importPrivate, usages, mask: allowed.intersection(.privateKeyMask))
                : try validateUsages(name, .importPublic, usages, mask: allowed.intersection(publicMask))
            try checkJWKUsage(jwk)
            return (type, usageSet)
        case ("spki", .bytes):
            return (.public, try validateUsages(name, .importPublic, usages, mask: allowed.intersection(publicMask)))
        case ("pkcs8", .bytes):
            return (.private, try validateUsages(name, .importPrivate, usages, mask: allowed.intersection(.privateKeyMask)))
        default:
            throw unrecognizedFormat
        }
    }

    /// A JWK's `use`, `key_ops` and `ext` against the usages requested, with workerd's texts.
    private func checkJWKUsage(_ jwk: JsonWebKey) throws {
        let derives = name == "ECDH" || name == "X25519"
        // workerd, keys.c++ `importAsymmetricForWebCrypto`: the `use` and the two key_ops each
        // family allows.
        let (expectedUse, op0, op1) = name == "RSA-OAEP" ? ("enc", "encrypt", "wrapKey")
            : derives ? ("enc", "unused", "unused") : ("sig", "sign", "verify")
        if !usages.isEmpty, let use = jwk.use, use != expectedUse {
            throw DOMException.data(
                "Asymmetric \"jwk\" key import with usages requires a JSON Web Key with Public Key Use parameter \"use\" (\"\(use)\") equal to \"sig\".")
        }
        if let ops = jwk.key_ops {
            guard ops.sorted().adjacentDuplicate == nil else {
                throw DOMException.data("A JSON Web Key's Key Operations parameter (\"key_ops\") must not contain duplicates.")
            }
            if let use = jwk.use {
                guard use == expectedUse else {
                    throw DOMException.data(
                        "Asymmetric \"jwk\" import requires a JSON Web Key with Public Key Use \"use\" (\"\(use)\") equal to \"\(expectedUse)\".")
                }
                for op in ops {
                    guard !derives else {
                        throw DOMException.data(
                            "A JSON Web Key should have either a Public Key Use parameter (\"use\") or a Key Operations parameter (\"key_ops\"); otherwise, the parameters must be consistent with each other. For public \(name) keys, there are no valid usages,so keys with a non-empty \"key_ops\" parameter are not allowed.")
                    }
                    guard op == op0 || op == op1 else {
                        throw DOMException.data(
                            "A JSON Web Key should have either a Public Key Use parameter (\"use\") or a Key Operations parameter (\"key_ops\"); otherwise, the parameters must be consistent with each other. A Public Key Use for \(name) would allow a Key Operations array with only \"\(op0)\" and/or \"\(op1)\" values (not \"\(op)\").")
                    }
                }
            }
            for usage in usages where !ops.contains(usage.rawValue) {
                throw DOMException.data(
                    "All specified key usages must be present in the JSON Web Key's Key Operations parameter (\"key_ops\").")
            }
        }
        if let ext = jwk.ext, !ext, extractable {
            throw DOMException.data("Cannot create an extractable CryptoKey from an unextractable JSON Web Key.")
        }
    }
}

/// Reads DER key documents into whichever key they hold, as BoringSSL's `d2i_PUBKEY` /
/// `d2i_AutoPrivateKey` do for workerd, so an import can tell a wrong curve from garbage.
enum DERKey {
    /// A SubjectPublicKeyInfo; `nil` when it is none Edge reads.
    static func publicKey(_ der: [UInt8]) -> KeyMaterial? {
        if let key = try? P256.Signing.PublicKey(derRepresentation: der) { return .p256Public(key) }
        if let key = try? P384.Signing.PublicKey(derRepresentation: der) { return .p384Public(key) }
        if let key = try? P521.Signing.PublicKey(derRepresentation: der) { return .p521Public(key) }
        if names(edwards25519, in: der), let key = try? Curve25519.Signing.PublicKey(derRepresentation: der) {
            return .ed25519Public(key)
        }
        if names(x25519, in: der), let key = try? Curve25519.KeyAgreement.PublicKey(derRepresentation: der) {
            return .x25519Public(key)
        }
        if let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: der) { return .rsaPublic(key) }
        return nil
    }

    /// A PKCS #8 PrivateKeyInfo (or SEC 1 / PKCS #1, as BoringSSL also reads); `nil` when it is
    /// none Edge reads.
    static func privateKey(_ der: [UInt8]) -> KeyMaterial? {
        if let key = try? P256.Signing.PrivateKey(derRepresentation: der) { return .p256Private(key) }
        if let key = try? P384.Signing.PrivateKey(derRepresentation: der) { return .p384Private(key) }
        if let key = try? P521.Signing.PrivateKey(derRepresentation: der) { return .p521Private(key) }
        if names(edwards25519, in: der), let key = try? Curve25519.Signing.PrivateKey(derRepresentation: der) {
            return .ed25519Private(key)
        }
        if names(x25519, in: der), let key = try? Curve25519.KeyAgreement.PrivateKey(derRepresentation: der) {
            return .x25519Private(key)
        }
        if let key = try? _RSA.Signing.PrivateKey(unsafeDERRepresentation: der) { return .rsaPrivate(key) }
        return nil
    }

    /// The DER of the algorithm identifiers of RFC 8410 §3: id-Ed25519 (1.3.101.112) and id-X25519
    /// (1.3.101.110). swift-crypto reads either document as either key, so the identifier, which
    /// both documents carry in their first 16 bytes, picks the kind.
    private static let edwards25519: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x70]
    private static let x25519: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x6E]

    private static func names(_ identifier: [UInt8], in der: [UInt8]) -> Bool {
        let head = Array(der.prefix(16))
        guard head.count >= identifier.count else { return false }
        return (0...(head.count - identifier.count)).contains { Array(head[$0..<$0 + identifier.count]) == identifier }
    }

    /// The key in `der` for `format` (`"spki"` or `"pkcs8"`), or workerd's `DataError: Invalid
    /// SPKI input.` / `Invalid PKCS8 input.` (`keys.c++`).
    static func read(_ der: [UInt8], format: String) throws -> KeyMaterial {
        if format == "spki" {
            guard let key = publicKey(der) else { throw DOMException.data("Invalid SPKI input.") }
            return key
        }
        guard let key = privateKey(der) else { throw DOMException.data("Invalid PKCS8 input.") }
        return key
    }
}

extension KeyMaterial {
    /// `"P-256"`, `"P-384"`, `"P-521"`, `"Ed25519"`, `"X25519"` or `"RSA"`.
    var kind: String {
        switch self {
        case .secret: "secret"
        case .p256Private, .p256Public: "P-256"
        case .p384Private, .p384Public: "P-384"
        case .p521Private, .p521Public: "P-521"
        case .ed25519Private, .ed25519Public: "Ed25519"
        case .x25519Private, .x25519Public: "X25519"
        case .rsaPrivate, .rsaPublic: "RSA"
        }
    }
}
