/// `importKey` for secret keys: HMAC (workerd `digest.c++`, `importHmac`), AES-* (`aes.c++`,
/// `importAes`), PBKDF2 (`pbkdf2.c++`) and HKDF (`hkdf.c++`). Each error is workerd's text.
extension KeyImport {
    func hmac() throws -> CryptoKey {
        let usageSet = try validateUsages(name, .importSecret, usages, mask: [.sign, .verify])
        let hash = try WebCryptoHash(algorithm.hash)
        var keyBytes: [UInt8]
        switch data {
        case .bytes(let bytes) where format == "raw":
            keyBytes = bytes
        case .jwk(let jwk) where format == "jwk":
            guard jwk.kty == "oct" else {
                throw DOMException.data(
                    "HMAC \"jwk\" key import requires a JSON Web Key with Key Type parameter (\"kty\") equal to \"oct\" (encountered \"\(jwk.kty ?? "undefined")\").")
            }
            guard let k = jwk.k, let decoded = base64URLDecode(k) else {
                throw DOMException.data("HMAC \"jwk\" key import requires a base64Url encoding of the key")
            }
            keyBytes = decoded
            if let alg = jwk.alg, alg != "HS\(hash.jwkSuffix)" {
                throw DOMException.data(
                    "HMAC \"jwk\" key import specifies \"alg\" that is incompatible with the hash name (encountered \"\(alg)\", expected \"HS\(hash.jwkSuffix)\").")
            }
        default:
            throw unrecognizedFormat
        }
        let keySize = keyBytes.count * 8
        let length = algorithm.length ?? keySize
        if length == 0 || length > keySize || length <= keySize - 8 {
            throw DOMException.data(
                "Imported HMAC key length (\(length)) must be a non-zero value up to 7 bits less than, and no greater than, the bit length of the raw key data (\(keySize)).")
        }
        keyBytes = truncated(keyBytes, toBits: length)
        return CryptoKey(type: .secret, extractable: extractable,
                         algorithm: KeyAlgorithm(name: name, hash: hash.name, length: length),
                         usages: usageSet, material: .secret(keyBytes))
    }

    func aes() throws -> CryptoKey {
        let mask: Set<KeyUsage> = name == "AES-KW" ? [.wrapKey, .unwrapKey] : [.encrypt, .decrypt, .wrapKey, .unwrapKey]
        let usageSet = try validateUsages(name, .importSecret, usages, mask: mask)
        let keyBytes: [UInt8]
        switch data {
        case .bytes(let bytes) where format == "raw":
            guard [16, 24, 32].contains(bytes.count) else {
                throw DOMException.data("Imported AES key length must be 128, 192, or 256 bits but provided \(bytes.count * 8).")
            }
            keyBytes = bytes
        case .jwk(let jwk) where format == "jwk":
            keyBytes = try aesJWK(jwk)
        default:
            throw unrecognizedFormat
        }
        return CryptoKey(type: .secret, extractable: extractable,
                         algorithm: KeyAlgorithm(name: name, length: keyBytes.count * 8),
                         usages: usageSet, material: .secret(keyBytes))
    }

    private func aesJWK(_ jwk: JsonWebKey) throws -> [UInt8] {
        guard jwk.kty == "oct" else {
            throw DOMException.data(
                "Symmetric \"jwk\" key import requires a JSON Web Key with Key Type parameter \"kty\" equal to \"oct\" (encountered \"\(jwk.kty ?? "undefined")\").")
        }
        guard let k = jwk.k, let keyBytes = base64URLDecode(k) else {
            throw DOMException.data("Symmetric \"jwk\" key import requires a base64Url encoding of the key.")
        }
        guard [16, 24, 32].contains(keyBytes.count) else {
            throw DOMException.data("Imported AES key length must be 128, 192, or 256 bits but provided \(keyBytes.count * 8).")
        }
        let expectedAlg = "A\(keyBytes.count * 8)\(name.dropFirst(4))"
        if let alg = jwk.alg, alg != expectedAlg {
            throw DOMException.data("Symmetric \"jwk\" key contains invalid \"alg\" value \"\(alg)\", expected \"\(expectedAlg)\".")
        }
        if !usages.isEmpty, let use = jwk.use, use != "enc" {
            throw DOMException.data("Symmetric \"jwk\" key must have a \"use\" of \"enc\", not \"\(use)\".")
        }
        if let ops = jwk.key_ops {
            if let duplicate = ops.sorted().adjacentDuplicate {
                throw DOMException.data("Symmetric \"jwk\" key contains duplicate value \"\(duplicate)\", in \"key_op\".")
            }
            for usage in usages where !ops.contains(usage.rawValue) {
                throw DOMException.data("\"jwk\" key missing usage \"\(usage.rawValue)\", in \"key_ops\".")
            }
        }
        if let ext = jwk.ext, !ext, extractable {
            throw DOMException.data(
                "\"jwk\" key has value \"false\", for \"ext\" that is incompatible with import extractability value \"true\".")
        }
        return keyBytes
    }

    func kdf() throws -> CryptoKey {
        let usageSet = try validateUsages(name, .importSecret, usages, mask: .derivationKeyMask)
        guard !extractable else {
            throw DOMException.syntax("\(name) key cannot be extractable.")
        }
        guard format == "raw", let keyBytes = bytes else {
            throw DOMException.notSupported(
                name == "PBKDF2"
                    ? "PBKDF2 key must be imported in \"raw\" format (requested \"\(format)\")."
                    : "HKDF key must be imported in \"raw\" format (requested \"\(format)\")")
        }
        return CryptoKey(type: .secret, extractable: false, algorithm: KeyAlgorithm(name: name),
                         usages: usageSet, material: .secret(keyBytes))
    }
}

extension Array where Element == String {
    /// The first value that equals the one after it, in a sorted array.
    var adjacentDuplicate: String? {
        zip(self, dropFirst()).first { $0 == $1 }?.0
    }
}
