import Crypto
import _CryptoExtras

/// `importKey` for RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP (workerd `rsa.c++`, `importRsa`,
/// `rsaJwkReader`). Each error is workerd's text; where workerd throws a plain `Error` (a JWK
/// missing a member) Edge throws a `DataError` with the same message. swift-crypto reads keys of
/// 1024 bits and more.
extension KeyImport {
    func rsa() throws -> CryptoKey {
        let hash = try WebCryptoHash(algorithm.hash)
        let (type, usageSet) = try asymmetricUsages(allowed: name == "RSA-OAEP" ? [.encrypt, .decrypt, .wrapKey, .unwrapKey] : [.sign, .verify])
        let material: KeyMaterial
        switch data {
        case .jwk(let jwk):
            material = try rsaJWK(jwk, hash: hash)
        case .bytes(let der):
            material = try DERKey.read(der, format: format)
        }
        let publicKey: _RSA.Signing.PublicKey
        switch material {
        case .rsaPrivate(let key): publicKey = key.publicKey
        case .rsaPublic(let key): publicKey = key
        default: throw DOMException.data("Input was not an RSA key")
        }
        let exponent = (try? publicKey.getKeyPrimitives()).map { Array($0.publicExponent.drop(while: { $0 == 0 })) }
        return CryptoKey(type: type, extractable: extractable,
                         algorithm: KeyAlgorithm(name: name, hash: hash.name, modulusLength: publicKey.keySizeInBits,
                                                 publicExponent: exponent),
                         usages: usageSet, material: material)
    }

    private func rsaJWK(_ jwk: JsonWebKey, hash: WebCryptoHash) throws -> KeyMaterial {
        guard jwk.kty == "RSA" else {
            throw DOMException.data(
                "RSASSA-PKCS1-v1_5 \"jwk\" key import requires a JSON Web Key with Key Type parameter \"kty\" (\"\(jwk.kty ?? "undefined")\") equal to \"RSA\".")
        }
        if let alg = jwk.alg {
            // workerd's `knownRsaAlgorithms`: any of them is accepted for any RSA variant whose
            // hash it names.
            let known: [String: WebCryptoHash] = [
                "RS1": .sha1, "RS256": .sha256, "RS384": .sha384, "RS512": .sha512,
                "PS1": .sha1, "PS256": .sha256, "PS384": .sha384, "PS512": .sha512,
                "RSA-OAEP": .sha1, "RSA-OAEP-256": .sha256, "RSA-OAEP-384": .sha384, "RSA-OAEP-512": .sha512,
            ]
            guard let algHash = known[alg] else {
                throw DOMException.notSupported("Unrecognized or unimplemented algorithm \"\(alg)\" listed in JSON Web Key Algorithm parameter.")
            }
            guard algHash == hash else {
                throw DOMException.data("JSON Web Key Algorithm parameter \"alg\" (\"\(alg)\") does not match requested hash algorithm \"\(alg)\".")
            }
        }
        let n = try member(jwk.n, "Modulus parameter (\"n\")")
        let e = try member(jwk.e, "Exponent parameter (\"e\")")
        guard jwk.d != nil else {
            guard let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: RSADER.sequence(of: [n, e])) else {
                throw DOMException.data("Invalid RSA key in JSON Web Key; failed to set key parameters")
            }
            return .rsaPublic(key)
        }
        let d = try member(jwk.d, "Private Exponent parameter (\"d\")")
        let p = try member(jwk.p, "First Prime Factor parameter (\"p\")")
        let q = try member(jwk.q, "Second Prime Factor parameter (\"q\")")
        let dp = try member(jwk.dp, "First Factor CRT Exponent parameter (\"dp\")")
        let dq = try member(jwk.dq, "Second Factor CRT Exponent parameter (\"dq\")")
        let qi = try member(jwk.qi, "First CRT Coefficient parameter (\"qi\")")
        let der = RSADER.sequence(of: [[0], n, e, d, p, q, dp, dq, qi])
        guard let key = try? _RSA.Signing.PrivateKey(unsafeDERRepresentation: der) else {
            throw DOMException.data("Invalid RSA key in JSON Web Key; failed to set private exponent")
        }
        return .rsaPrivate(key)
    }

    private func member(_ value: String?, _ what: String) throws -> [UInt8] {
        guard let value else {
            throw DOMException.data("Invalid RSA key in JSON Web Key; missing or invalid \(what).")
        }
        guard let bytes = base64URLDecode(value) else {
            throw DOMException.data("Invalid RSA key in JSON Web Key; invalid base64.")
        }
        return bytes
    }
}
