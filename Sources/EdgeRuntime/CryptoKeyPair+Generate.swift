import Crypto
import Foundation
import _CryptoExtras

/// `generateKey` for the asymmetric algorithms (workerd: ec.c++ `generateEcdsa`, `generateEcdh`,
/// `generateEddsa`; rsa.c++ `generateRsa`). The public key gets the public usages, the private key
/// the private ones, as workerd splits them.
struct KeyPairGeneration {
    let name: String
    let algorithm: SubtleCrypto.Algorithm
    let extractable: Bool
    let usages: [KeyUsage]

    func generate() throws -> CryptoKeyPair {
        let derives = name == "ECDH" || name == "X25519"
        // workerd, rsa.c++ `generateRsa` for RSA-OAEP's usages.
        let mask: Set<KeyUsage> = derives ? .derivationKeyMask
            : name == "RSA-OAEP" ? [.encrypt, .decrypt, .wrapKey, .unwrapKey] : [.sign, .verify]
        let requested = try validateUsages(name, .generate, usages, mask: mask)
        let keyAlgorithm: KeyAlgorithm
        let privateMaterial: KeyMaterial
        let publicMaterial: KeyMaterial
        switch name {
        case "ECDSA", "ECDH":
            guard let namedCurve = algorithm.namedCurve else {
                throw TypeError("Missing field \"namedCurve\" in \"algorithm\".")
            }
            switch namedCurve.uppercased() {
            case "P-256":
                let key = P256.Signing.PrivateKey()
                (privateMaterial, publicMaterial) = (.p256Private(key), .p256Public(key.publicKey))
            case "P-384":
                let key = P384.Signing.PrivateKey()
                (privateMaterial, publicMaterial) = (.p384Private(key), .p384Public(key.publicKey))
            case "P-521":
                let key = P521.Signing.PrivateKey()
                (privateMaterial, publicMaterial) = (.p521Private(key), .p521Public(key.publicKey))
            default:
                throw DOMException.notSupported("Unrecognized or unimplemented EC curve \"\(namedCurve)\" requested.")
            }
            keyAlgorithm = KeyAlgorithm(name: name, namedCurve: namedCurve.uppercased())
        case "Ed25519", "NODE-ED25519":
            if name == "NODE-ED25519" {
                guard let namedCurve = algorithm.namedCurve else {
                    throw TypeError("Missing field \"namedCurve\" in \"algorithm\".")
                }
                guard namedCurve == "NODE-ED25519" else {
                    throw DOMException.notSupported("EDDSA curve \"\(namedCurve)\" isn't supported.")
                }
            }
            let key = Curve25519.Signing.PrivateKey()
            (privateMaterial, publicMaterial) = (.ed25519Private(key), .ed25519Public(key.publicKey))
            keyAlgorithm = KeyAlgorithm(name: name, namedCurve: name == "NODE-ED25519" ? "NODE-ED25519" : nil)
        case "X25519":
            let key = Curve25519.KeyAgreement.PrivateKey()
            (privateMaterial, publicMaterial) = (.x25519Private(key), .x25519Public(key.publicKey))
            keyAlgorithm = KeyAlgorithm(name: name)
        default:
            let key = try rsaKey()
            (privateMaterial, publicMaterial) = (.rsaPrivate(key), .rsaPublic(key.publicKey))
            keyAlgorithm = KeyAlgorithm(name: name, hash: try WebCryptoHash(algorithm.hash).name,
                                        modulusLength: key.keySizeInBits, publicExponent: [1, 0, 1])
        }
        let privateUsages = requested.intersection(.privateKeyMask)
        guard !privateUsages.isEmpty else {
            // workerd, crypto.c++ `SubtleCrypto::generateKey`.
            throw DOMException.syntax("Attempt to generate asymmetric keys with no valid private key usages.")
        }
        // The public key of a pair is always extractable (Web Crypto's generateKey steps).
        return CryptoKeyPair(
            publicKey: CryptoKey(type: .public, extractable: true, algorithm: keyAlgorithm,
                                 usages: requested.intersection(.publicKeyMask), material: publicMaterial),
            privateKey: CryptoKey(type: .private, extractable: extractable, algorithm: keyAlgorithm,
                                  usages: privateUsages, material: privateMaterial))
    }

    /// An RSA key of `modulusLength` bits with exponent 65537, the only one swift-crypto makes.
    private func rsaKey() throws -> _RSA.Signing.PrivateKey {
        _ = try WebCryptoHash(algorithm.hash)
        guard let exponent = algorithm.publicExponent else {
            throw TypeError("Missing field \"publicExponent\" in \"algorithm\".")
        }
        guard let modulusLength = algorithm.modulusLength else {
            throw TypeError("Missing field \"modulusLength\" in \"algorithm\".")
        }
        guard modulusLength > 0 else {
            // workerd, rsa.c++ `generateRsa`.
            throw DOMException.operation("modulusLength must be greater than zero (requested \(modulusLength)).")
        }
        // Edge's own texts: workerd also makes exponent 3 and keys from 256 bits (rsa.c++
        // `Rsa::validateRsaParams`: "The modulus length must be a multiple of 8 and between 256
        // and 16k, ..."), which swift-crypto does not.
        guard exponent.dropLeadingZeros == [1, 0, 1] else {
            throw DOMException.notSupported("Edge generates RSA keys with the publicExponent 65537 ([1, 0, 1]) only.")
        }
        guard modulusLength % 8 == 0, modulusLength >= 1024, modulusLength <= 16384 else {
            throw DOMException.operation(
                "The modulus length must be a multiple of 8 and between 1024 (swift-crypto's least) and 16k, but \(modulusLength) was requested.")
        }
        do {
            return try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: modulusLength))
        } catch {
            throw DOMException.operation("Can't generate key: \(error)")
        }
    }
}
