import Crypto
import Foundation
import _CryptoExtras

extension CryptoKey {
    /// The key in `format` (workerd: digest.c++ `HmacKey::exportKey`, aes.c++
    /// `AesKeyBase::exportKey`, keys.c++ `AsymmetricKeyCryptoKeyImpl::exportKey`, ec.c++ and
    /// rsa.c++ `exportJwk` / `exportRaw`); extractability is checked by the caller.
    func export(_ format: String) throws -> ExportData {
        if case .secret(let secret) = material {
            return try exportSecret(secret, format)
        }
        switch format {
        case "spki":
            guard type == .public else {
                throw DOMException.invalidAccess("Asymmetric spki export requires public key (not \"\(type.rawValue)\").")
            }
            return .bytes(material.spki)
        case "pkcs8":
            guard type == .private else {
                throw DOMException.invalidAccess("Asymmetric pkcs8 export requires private key (not \"\(type.rawValue)\").")
            }
            return .bytes(material.pkcs8)
        case "jwk":
            var jwk = try material.jwk(algorithm)
            jwk.key_ops = usages.map(\.rawValue)
            jwk.ext = true
            return .jwk(jwk)
        case "raw":
            return .bytes(try exportRaw())
        default:
            throw DOMException.invalidAccess("Cannot export \"\(algorithm.name)\" in \"\(format)\" format.")
        }
    }

    private func exportSecret(_ secret: [UInt8], _ format: String) throws -> ExportData {
        let isHMAC = algorithm.name == "HMAC"
        guard format == "raw" || format == "jwk" else {
            throw DOMException.notSupported(
                isHMAC ? "Unimplemented key export format \"\(format)\"."
                       : "\(algorithm.name) key only supports exporting \"raw\" & \"jwk\", not \"\(format)\".")
        }
        guard format == "jwk" else { return .bytes(secret) }
        let alg = isHMAC ? "HS\(algorithm.hash?.name.dropFirst(4) ?? "")" : "A\(secret.count * 8)\(algorithm.name.dropFirst(4))"
        return .jwk(JsonWebKey(kty: "oct", key_ops: usages.map(\.rawValue), alg: alg, ext: true, k: secret.base64URLString))
    }

    private func exportRaw() throws -> [UInt8] {
        switch material {
        case .p256Public(let key): return Array(key.x963Representation)
        case .p384Public(let key): return Array(key.x963Representation)
        case .p521Public(let key): return Array(key.x963Representation)
        case .ed25519Public(let key): return Array(key.rawRepresentation)
        case .x25519Public(let key): return Array(key.rawRepresentation)
        case .p256Private, .p384Private, .p521Private:
            throw DOMException.invalidAccess("Raw export of elliptic curve keys is only allowed for public keys.")
        case .ed25519Private, .x25519Private:
            throw DOMException.invalidAccess("Raw export of \(algorithm.name) keys is only allowed for public keys.")
        default:
            throw DOMException.invalidAccess("Cannot export \"\(algorithm.name)\" in \"raw\" format.")
        }
    }
}

extension KeyMaterial {
    var spki: [UInt8] {
        switch self {
        case .p256Public(let key): Array(key.derRepresentation)
        case .p384Public(let key): Array(key.derRepresentation)
        case .p521Public(let key): Array(key.derRepresentation)
        case .ed25519Public(let key): Array(key.derRepresentation)
        case .x25519Public(let key): Array(key.derRepresentation)
        case .rsaPublic(let key): Array(key.derRepresentation)
        default: []
        }
    }

    var pkcs8: [UInt8] {
        switch self {
        case .p256Private(let key): Array(key.derRepresentation)
        case .p384Private(let key): Array(key.derRepresentation)
        case .p521Private(let key): Array(key.derRepresentation)
        case .ed25519Private(let key): Array(key.derRepresentation)
        case .x25519Private(let key): Array(key.derRepresentation)
        case .rsaPrivate(let key): Array(key.pkcs8DERRepresentation)
        default: []
        }
    }

    /// The JWK members of an asymmetric key (RFC 7518 §6, RFC 8037 §2).
    func jwk(_ algorithm: KeyAlgorithm) throws -> JsonWebKey {
        switch self {
        case .p256Private(let key):
            return Self.ecJWK("P-256", Array(key.publicKey.rawRepresentation), d: Array(key.rawRepresentation))
        case .p256Public(let key):
            return Self.ecJWK("P-256", Array(key.rawRepresentation), d: nil)
        case .p384Private(let key):
            return Self.ecJWK("P-384", Array(key.publicKey.rawRepresentation), d: Array(key.rawRepresentation))
        case .p384Public(let key):
            return Self.ecJWK("P-384", Array(key.rawRepresentation), d: nil)
        case .p521Private(let key):
            return Self.ecJWK("P-521", Array(key.publicKey.rawRepresentation), d: Array(key.rawRepresentation))
        case .p521Public(let key):
            return Self.ecJWK("P-521", Array(key.rawRepresentation), d: nil)
        case .ed25519Private(let key):
            return JsonWebKey(kty: "OKP", alg: "EdDSA", crv: "Ed25519", x: Array(key.publicKey.rawRepresentation).base64URLString,
                              d: Array(key.rawRepresentation).base64URLString)
        case .ed25519Public(let key):
            return JsonWebKey(kty: "OKP", alg: "EdDSA", crv: "Ed25519", x: Array(key.rawRepresentation).base64URLString)
        case .x25519Private(let key):
            return JsonWebKey(kty: "OKP", crv: "X25519", x: Array(key.publicKey.rawRepresentation).base64URLString,
                              d: Array(key.rawRepresentation).base64URLString)
        case .x25519Public(let key):
            return JsonWebKey(kty: "OKP", crv: "X25519", x: Array(key.rawRepresentation).base64URLString)
        case .rsaPublic(let key):
            return try Self.rsaJWK(algorithm, integers: [[], Self.modulus(key), Self.exponent(key)])
        case .rsaPrivate(let key):
            guard let integers = RSADER.integers(in: Array(key.derRepresentation)), integers.count == 9 else {
                throw DOMException.operation("Private key export failed.")
            }
            return try Self.rsaJWK(algorithm, integers: integers)
        case .secret:
            throw DOMException.operation("Private key export failed.")
        }
    }

    private static func ecJWK(_ curve: String, _ point: [UInt8], d: [UInt8]?) -> JsonWebKey {
        let half = point.count / 2
        return JsonWebKey(kty: "EC", crv: curve, x: Array(point[..<half]).base64URLString,
                          y: Array(point[half...]).base64URLString, d: d?.base64URLString)
    }

    private static func modulus(_ key: _RSA.Signing.PublicKey) -> [UInt8] {
        ((try? key.getKeyPrimitives()).map { Array($0.modulus) } ?? []).dropLeadingZeros
    }

    private static func exponent(_ key: _RSA.Signing.PublicKey) -> [UInt8] {
        ((try? key.getKeyPrimitives()).map { Array($0.publicExponent) } ?? []).dropLeadingZeros
    }

    /// `integers`: version, n, e, and for a private key d, p, q, dp, dq, qi (PKCS #1's order).
    private static func rsaJWK(_ algorithm: KeyAlgorithm, integers: [[UInt8]]) throws -> JsonWebKey {
        let hash = try WebCryptoHash(algorithm.hash?.name)
        // workerd, rsa.c++ `jwkHashAlgorithmName` of each key class.
        let alg = switch algorithm.name {
        case "RSA-OAEP": hash == .sha1 ? "RSA-OAEP" : "RSA-OAEP-\(hash.jwkSuffix)"
        case "RSA-PSS": "PS" + hash.jwkSuffix
        default: "RS" + hash.jwkSuffix
        }
        var jwk = JsonWebKey(kty: "RSA", alg: alg, n: integers[1].base64URLString, e: integers[2].base64URLString)
        if integers.count == 9 {
            jwk.d = integers[3].base64URLString
            jwk.p = integers[4].base64URLString
            jwk.q = integers[5].base64URLString
            jwk.dp = integers[6].base64URLString
            jwk.dq = integers[7].base64URLString
            jwk.qi = integers[8].base64URLString
        }
        return jwk
    }
}

extension Array where Element == UInt8 {
    var dropLeadingZeros: [UInt8] { Array(drop(while: { $0 == 0 })) }
}
