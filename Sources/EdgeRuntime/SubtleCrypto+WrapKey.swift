import Foundation

extension SubtleCrypto {
    /// `crypto.subtle.wrapKey(format, key, wrappingKey, wrapAlgorithm)`: `key` exported in
    /// `format` (a JWK as its JSON text), then encrypted with AES-KW, AES-GCM, AES-CBC, AES-CTR or RSA-OAEP
    /// (workerd, crypto.c++ `SubtleCrypto::wrapKey`).
    public func wrapKey<KeyData>(
        _ format: KeyFormat<KeyData>, _ key: CryptoKey, _ wrappingKey: CryptoKey, _ wrapAlgorithm: Algorithm
    ) async throws -> [UInt8] {
        try validateOperation(wrappingKey, wrapAlgorithm, .wrapKey)
        guard key.extractable else {
            throw DOMException.invalidAccess("Attempt to export non-extractable \(key.algorithm.name) key.")
        }
        let bytes: [UInt8]
        switch try key.export(format.name) {
        case .bytes(let exported): bytes = exported
        case .jwk(let jwk): bytes = Array(try JSONEncoder().encode(jwk))
        }
        if wrappingKey.algorithm.name == "AES-KW" { return try wrappingKey.aesWrap(bytes) }
        if wrappingKey.algorithm.name == "RSA-OAEP" { return try wrappingKey.rsaOaepEncrypt(wrapAlgorithm, bytes) }
        return try wrappingKey.aesEncrypt(wrapAlgorithm, bytes)
    }

    /// `crypto.subtle.unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm,
    /// unwrappedKeyAlgorithm, extractable, keyUsages)`: decrypts, then imports (workerd,
    /// crypto.c++ `SubtleCrypto::unwrapKey`).
    public func unwrapKey<KeyData>(
        _ format: KeyFormat<KeyData>, _ wrappedKey: some DataProtocol, _ unwrappingKey: CryptoKey,
        _ unwrapAlgorithm: Algorithm, _ unwrappedKeyAlgorithm: Algorithm, _ extractable: Bool, _ keyUsages: [KeyUsage]
    ) async throws -> CryptoKey {
        try validateOperation(unwrappingKey, unwrapAlgorithm, .unwrapKey)
        let bytes = switch unwrappingKey.algorithm.name {
        case "AES-KW": try unwrappingKey.aesUnwrap(Array(wrappedKey))
        case "RSA-OAEP": try unwrappingKey.rsaOaepDecrypt(unwrapAlgorithm, Array(wrappedKey))
        default: try unwrappingKey.aesDecrypt(unwrapAlgorithm, Array(wrappedKey))
        }
        let data: ImportData
        if format.name == "jwk" {
            guard let jwk = try? JSONDecoder().decode(JsonWebKey.self, from: Data(bytes)), jwk.kty != nil else {
                throw DOMException.data("Missing \"kty\" field or corrupt JSON unwrapping key?")
            }
            data = .jwk(jwk)
        } else {
            data = .bytes(bytes)
        }
        return try importKeySync(format.name, data, unwrappedKeyAlgorithm, extractable, keyUsages)
    }
}
