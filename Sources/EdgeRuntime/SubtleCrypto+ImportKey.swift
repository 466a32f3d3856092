/// A key's data as `importKey` receives it: bytes for raw / spki / pkcs8, or a JWK.
enum ImportData {
    case bytes([UInt8])
    case jwk(JsonWebKey)
}

extension SubtleCrypto {
    /// `crypto.subtle.importKey(format, keyData, algorithm, extractable, keyUsages)`:
    /// `try await crypto.subtle.importKey(.raw, secret, .hmac(hash: "SHA-256"), false, [.sign, .verify])`
    /// or `importKey(.jwk, jwk, .ecdsa(namedCurve: "P-256"), false, [.verify])`.
    public func importKey<KeyData>(
        _ format: KeyFormat<KeyData>, _ keyData: KeyData, _ algorithm: Algorithm, _ extractable: Bool,
        _ keyUsages: [KeyUsage]
    ) async throws -> CryptoKey {
        let data: ImportData
        if let jwk = keyData as? JsonWebKey {
            data = .jwk(jwk)
        } else if let bytes = keyData as? [UInt8] {
            data = .bytes(bytes)
        } else {
            // workerd, crypto.c++ `importKeySync`. `KeyFormat` exists only for bytes and JWKs, so
            // handler code never gets here.
            throw TypeError(
                format.name == "jwk"
                    ? "Import data provided for \"jwk\" import format must be a JsonWebKey."
                    : "Import data provided for \"raw\", \"pkcs8\", or \"spki\" import formats must be a buffer source.")
        }
        return try importKeySync(format.name, data, algorithm, extractable, keyUsages)
    }

    /// `importKey` without the promise, for `deriveKey` and `unwrapKey` too (workerd's
    /// `SubtleCrypto::importKeySync`, crypto.c++).
    func importKeySync(
        _ format: String, _ data: ImportData, _ algorithm: Algorithm, _ extractable: Bool, _ keyUsages: [KeyUsage]
    ) throws -> CryptoKey {
        if case .jwk(let jwk) = data, jwk.ext == false, extractable {
            // workerd, crypto.c++ `importKeySync`.
            throw DOMException.data("JWK ext field for \"\(algorithm.name)\" is set to false but extractable is true")
        }
        guard let name = WebCryptoName.normalized(algorithm.name) else {
            // workerd, crypto.c++ `importKeySync`.
            throw DOMException.notSupported("Unrecognized key import algorithm \"\(algorithm.name)\" requested.")
        }
        let request = KeyImport(name: name, format: format, data: data, algorithm: algorithm,
                                extractable: extractable, usages: keyUsages)
        let key: CryptoKey
        switch name {
        case "HMAC": key = try request.hmac()
        case "AES-CTR", "AES-CBC", "AES-GCM", "AES-KW": key = try request.aes()
        case "PBKDF2", "HKDF": key = try request.kdf()
        case "ECDSA", "ECDH": key = try request.elliptic()
        case "Ed25519", "NODE-ED25519", "X25519": key = try request.edwards()
        default: key = try request.rsa()
        }
        if key.usages.isEmpty, key.type != .public {
            // workerd, crypto.c++ `importKeySync`.
            throw DOMException.syntax("Secret/private CryptoKeys must have at least one usage.")
        }
        return key
    }
}

/// One `importKey` call, its algorithm name normalised; each family's import is in its own file
/// (`CryptoKey+ImportSecret.swift`, `CryptoKey+ImportElliptic.swift`, `CryptoKey+ImportRSA.swift`).
struct KeyImport {
    let name: String
    let format: String
    let data: ImportData
    let algorithm: SubtleCrypto.Algorithm
    let extractable: Bool
    let usages: [KeyUsage]

    /// workerd's `NotSupportedError` for a format an algorithm does not import (`digest.c++`,
    /// `aes.c++`, `keys.c++`).
    var unrecognizedFormat: DOMException {
        DOMException.notSupported("Unrecognized key import format \"\(format)\".")
    }

    var bytes: [UInt8]? {
        if case .bytes(let bytes) = data { return bytes }
        return nil
    }

    var jwk: JsonWebKey? {
        if case .jwk(let jwk) = data { return jwk }
        return nil
    }
}
