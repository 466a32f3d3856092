import Crypto
import _CryptoExtras

/// `importKey` for ECDSA / ECDH on P-256, P-384 and P-521 (workerd `ec.c++`, `importEcdsa`,
/// `importEcdh`, `ellipticJwkReader`, `importEllipticRaw`) and for Ed25519, NODE-ED25519 and
/// X25519 (`importEddsa`). Each error is workerd's text.
extension KeyImport {
    func elliptic() throws -> CryptoKey {
        guard let namedCurve = algorithm.namedCurve else {
            throw TypeError("Missing field \"namedCurve\" in \"algorithm\".")
        }
        guard let curve = ["P-256", "P-384", "P-521"].first(where: { $0.lowercased() == namedCurve.lowercased() }) else {
            throw DOMException.notSupported("Unrecognized or unimplemented EC curve \"\(namedCurve)\" requested.")
        }
        let ecdh = name == "ECDH"
        let allowed: Set<KeyUsage> = ecdh ? .derivationKeyMask : [.sign, .verify]
        let type: CryptoKey.KeyType
        let usageSet: Set<KeyUsage>
        let material: KeyMaterial
        switch (format, data) {
        case ("raw", .bytes(let raw)):
            type = .public
            usageSet = try validateUsages(name, .importPublic, usages, mask: ecdh ? [] : [.verify])
            material = try Self.rawPoint(raw, curve: curve)
        case ("jwk", .jwk(let jwk)):
            (type, usageSet) = try asymmetricUsages(allowed: allowed, publicMask: ecdh ? [] : .publicKeyMask)
            material = try ellipticJWK(jwk, curve: curve)
        case (_, .bytes(let der)):
            (type, usageSet) = try asymmetricUsages(allowed: allowed, publicMask: ecdh ? [] : .publicKeyMask)
            material = try DERKey.read(der, format: format)
        default:
            throw unrecognizedFormat
        }
        guard material.kind == curve else {
            guard material.kind.hasPrefix("P-") else {
                throw DOMException.data(ecdh ? "Input was not an EC public key nor a DH key" : "Input was not an EC key")
            }
            throw DOMException.data(
                ecdh
                    ? "\"algorithm.namedCurve\" \"\(namedCurve)\", does not match the curve specified by the input key data"
                    : "\"algorithm.namedCurve\" \"\(namedCurve)\" does not match the curve specified by the input key data")
        }
        return CryptoKey(type: type, extractable: extractable, algorithm: KeyAlgorithm(name: name, namedCurve: curve),
                         usages: usageSet, material: material)
    }

    /// An uncompressed (`04 || x || y`) or compressed (`02|03 || x`) point.
    private static func rawPoint(_ raw: [UInt8], curve: String) throws -> KeyMaterial {
        let compressed = raw.first == 2 || raw.first == 3
        do {
            switch curve {
            case "P-256":
                return .p256Public(compressed ? try P256.Signing.PublicKey(compressedRepresentation: raw)
                                              : try P256.Signing.PublicKey(x963Representation: raw))
            case "P-384":
                return .p384Public(compressed ? try P384.Signing.PublicKey(compressedRepresentation: raw)
                                              : try P384.Signing.PublicKey(x963Representation: raw))
            default:
                return .p521Public(compressed ? try P521.Signing.PublicKey(compressedRepresentation: raw)
                                              : try P521.Signing.PublicKey(x963Representation: raw))
            }
        } catch {
            throw DOMException.data("Failed to import raw EC key data")
        }
    }

    private func ellipticJWK(_ jwk: JsonWebKey, curve: String) throws -> KeyMaterial {
        guard jwk.kty == "EC" else {
            throw DOMException.data(
                "Elliptic curve \"jwk\" key import requires a JSON Web Key with Key Type parameter \"kty\" (\"\(jwk.kty ?? "undefined")\") equal to \"EC\".")
        }
        if name == "ECDSA", let alg = jwk.alg {
            let curves = ["ES256": "P-256", "ES384": "P-384", "ES512": "P-521"]
            guard let algCurve = curves[alg] else {
                throw DOMException.notSupported("Unrecognized or unimplemented algorithm \"\(alg)\" listed in JSON Web Key Algorithm parameter.")
            }
            guard algCurve == curve else {
                throw DOMException.data("JSON Web Key Algorithm parameter \"alg\" (\"\(alg)\") does not match requested curve.")
            }
        }
        guard let x = jwk.x.flatMap(base64URLDecode) else {
            throw DOMException.data("Invalid EC key in JSON Web Key; missing \"x\".")
        }
        guard let y = jwk.y.flatMap(base64URLDecode) else {
            throw DOMException.data("Invalid EC key in JSON Web Key; missing \"y\".")
        }
        let size = Self.coordinateSize[curve] ?? 32
        guard x.count <= size, y.count <= size else {
            throw DOMException.operation("Invalid EC key; public key coordinates \"x\" and \"y\" are invalid")
        }
        let point = Self.padded(x, to: size) + Self.padded(y, to: size)
        let publicKey: KeyMaterial
        do {
            switch curve {
            case "P-256": publicKey = .p256Public(try P256.Signing.PublicKey(rawRepresentation: point))
            case "P-384": publicKey = .p384Public(try P384.Signing.PublicKey(rawRepresentation: point))
            default: publicKey = .p521Public(try P521.Signing.PublicKey(rawRepresentation: point))
            }
        } catch {
            throw DOMException.operation("Invalid EC key; public key coordinates \"x\" and \"y\" are invalid")
        }
        guard let encodedD = jwk.d else { return publicKey }
        guard let d = base64URLDecode(encodedD) else {
            throw DOMException.data("Invalid EC key in JSON Web Key; missing or invalid private key component (\"d\").")
        }
        guard d.count <= size else {
            throw DOMException.operation("Invalid EC key; private key component \"d\" is invalid")
        }
        let scalar = Self.padded(d, to: size)
        do {
            let privateKey: KeyMaterial
            let derivedPoint: [UInt8]
            switch curve {
            case "P-256":
                let key = try P256.Signing.PrivateKey(rawRepresentation: scalar)
                (privateKey, derivedPoint) = (.p256Private(key), Array(key.publicKey.rawRepresentation))
            case "P-384":
                let key = try P384.Signing.PrivateKey(rawRepresentation: scalar)
                (privateKey, derivedPoint) = (.p384Private(key), Array(key.publicKey.rawRepresentation))
            default:
                let key = try P521.Signing.PrivateKey(rawRepresentation: scalar)
                (privateKey, derivedPoint) = (.p521Private(key), Array(key.publicKey.rawRepresentation))
            }
            guard derivedPoint == point else { throw DOMException.data("Invalid EC key in JSON Web Key") }
            return privateKey
        } catch let error as DOMException {
            throw error
        } catch {
            throw DOMException.operation("Invalid EC key; private key component \"d\" is invalid")
        }
    }

    /// The bytes of a coordinate (and of the private scalar) per curve: P-521's are 66.
    static let coordinateSize = ["P-256": 32, "P-384": 48, "P-521": 66]

    static func padded(_ bytes: [UInt8], to size: Int) -> [UInt8] {
        Array(repeating: 0, count: max(0, size - bytes.count)) + bytes
    }

    func edwards() throws -> CryptoKey {
        if name == "NODE-ED25519" {
            guard let namedCurve = algorithm.namedCurve else {
                throw TypeError("Missing field \"namedCurve\" in \"algorithm\".")
            }
            guard namedCurve == "NODE-ED25519" else {
                throw DOMException.notSupported("EDDSA curve \"\(namedCurve)\" isn't supported.")
            }
        }
        let exchange = name == "X25519"
        let curveName = exchange ? "X25519" : "Ed25519"
        let allowed: Set<KeyUsage> = exchange ? .derivationKeyMask : [.sign, .verify]
        let type: CryptoKey.KeyType
        let usageSet: Set<KeyUsage>
        let material: KeyMaterial
        switch (format, data) {
        case ("raw", .bytes(let raw)):
            type = .public
            usageSet = try validateUsages(name, .importPublic, usages, mask: exchange ? [] : [.verify])
            guard raw.count == 32 else {
                throw DOMException.data("\(curveName) raw keys must be exactly 32-bytes (provided \(raw.count)).")
            }
            material = try Self.edwardsKey(publicKey: raw, exchange: exchange)
        case ("jwk", .jwk(let jwk)):
            (type, usageSet) = try asymmetricUsages(allowed: allowed)
            material = try edwardsJWK(jwk, curveName: curveName)
        case (_, .bytes(let der)):
            (type, usageSet) = try asymmetricUsages(allowed: allowed)
            material = try DERKey.read(der, format: format)
            guard material.kind == curveName else {
                throw DOMException.data(format == "spki" ? "Invalid SPKI input." : "Invalid PKCS8 input.")
            }
        default:
            throw unrecognizedFormat
        }
        return CryptoKey(type: type, extractable: extractable,
                         algorithm: KeyAlgorithm(name: name, namedCurve: name == "NODE-ED25519" ? "NODE-ED25519" : nil),
                         usages: usageSet, material: material)
    }

    private func edwardsJWK(_ jwk: JsonWebKey, curveName: String) throws -> KeyMaterial {
        guard jwk.kty == "OKP" else {
            throw DOMException.data(
                "\(curveName) \"jwk\" key imports requires a JSON Web Key with Key Type parameter \"kty\" (\"\(jwk.kty ?? "undefined")\") equal to \"OKP\".")
        }
        guard let crv = jwk.crv else {
            throw DOMException.data("Missing field \"crv\" for \(curveName) key.")
        }
        guard crv == curveName else {
            throw DOMException.notSupported("Only \(curveName) is supported but \"\(crv)\" was requested.")
        }
        if curveName == "Ed25519", let alg = jwk.alg, alg != "EdDSA" {
            throw DOMException.data("JSON Web Key Algorithm parameter \"alg\" (\"\(alg)\") does not match requested Ed25519 curve.")
        }
        guard let x = jwk.x.flatMap(base64URLDecode) else {
            throw DOMException.data("Invalid \(crv) key in JSON WebKey; missing or invalid public key component (\"x\").")
        }
        guard x.count == 32 else { throw DOMException.data("Invalid length \(x.count) for public key") }
        guard let encodedD = jwk.d else { return try Self.edwardsKey(publicKey: x, exchange: curveName == "X25519") }
        guard let d = base64URLDecode(encodedD) else {
            throw DOMException.data("Invalid \(curveName) key in JSON Web Key; missing or invalid private key component (\"d\").")
        }
        guard d.count == 32 else { throw DOMException.data("Invalid length \(d.count) for private key") }
        do {
            return curveName == "X25519" ? .x25519Private(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: d))
                                         : .ed25519Private(try Curve25519.Signing.PrivateKey(rawRepresentation: d))
        } catch {
            throw DOMException.operation("Failed to construct \(crv) private key")
        }
    }

    private static func edwardsKey(publicKey raw: [UInt8], exchange: Bool) throws -> KeyMaterial {
        do {
            return exchange ? .x25519Public(try Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw))
                            : .ed25519Public(try Curve25519.Signing.PublicKey(rawRepresentation: raw))
        } catch {
            throw DOMException.operation("Failed to import raw public EDDSA")
        }
    }
}
