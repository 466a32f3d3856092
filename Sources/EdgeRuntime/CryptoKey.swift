import Crypto
import Foundation
import _CryptoExtras

/// `CryptoKey`: a key of Web Crypto, as `crypto.subtle.importKey`, `generateKey`, `deriveKey` and
/// `unwrapKey` return it on Workers. Its material never leaves it but through `exportKey` (when
/// `extractable`) and the operations its `usages` allow.
public final class CryptoKey: Sendable, CustomStringConvertible {
    /// `key.type`: `"secret"`, `"public"` or `"private"`.
    public enum KeyType: String, Sendable {
        /// A symmetric key (HMAC, AES, PBKDF2, HKDF).
        case secret
        /// The public half of a pair.
        case `public`
        /// The private half of a pair.
        case `private`
    }

    /// `key.type`.
    public let type: KeyType
    /// `key.extractable`: whether `exportKey` and `wrapKey` may reveal the key.
    public let extractable: Bool
    /// `key.algorithm`: the algorithm and its parameters (hash, length, curve, modulus).
    public let algorithm: KeyAlgorithm
    /// `key.usages`, in Web Crypto's order (encrypt, decrypt, sign, verify, deriveKey, deriveBits,
    /// wrapKey, unwrapKey), as workerd lists them (`crypto.c++`, `CryptoKeyUsageSet::singletons`).
    public let usages: [KeyUsage]

    let material: KeyMaterial

    init(type: KeyType, extractable: Bool, algorithm: KeyAlgorithm, usages: Set<KeyUsage>, material: KeyMaterial) {
        self.type = type
        self.extractable = extractable
        self.algorithm = algorithm
        self.usages = KeyUsage.allCases.filter(usages.contains)
        self.material = material
    }

    /// `CryptoKey { type, extractable, algorithm, usages }`, never the key's material.
    public var description: String {
        "CryptoKey { type: \"\(type.rawValue)\", extractable: \(extractable), algorithm: { name: \"\(algorithm.name)\" }, usages: [\(usages.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))] }"
    }
}

/// `CryptoKeyPair`: what `generateKey` returns for an asymmetric algorithm.
public struct CryptoKeyPair: Sendable {
    /// `pair.publicKey`.
    public let publicKey: CryptoKey
    /// `pair.privateKey`.
    public let privateKey: CryptoKey
}

/// A `KeyUsage` of Web Crypto: `"encrypt"`, `"sign"`, ... as `[.sign, .verify]`.
public enum KeyUsage: String, Sendable, CaseIterable, Hashable {
    /// `"encrypt"`.
    case encrypt
    /// `"decrypt"`.
    case decrypt
    /// `"sign"`.
    case sign
    /// `"verify"`.
    case verify
    /// `"deriveKey"`.
    case deriveKey
    /// `"deriveBits"`.
    case deriveBits
    /// `"wrapKey"`.
    case wrapKey
    /// `"unwrapKey"`.
    case unwrapKey
}

/// `key.algorithm`: `KeyAlgorithm`, `HmacKeyAlgorithm`, `AesKeyAlgorithm`, `EcKeyAlgorithm` and
/// `RsaHashedKeyAlgorithm` in one, the fields an algorithm lacks being `nil`.
public struct KeyAlgorithm: Sendable, Equatable {
    /// `algorithm.hash`: `{ name: "SHA-256" }`.
    public struct Hash: Sendable, Equatable {
        /// `hash.name`, e.g. `"SHA-256"`.
        public let name: String
    }

    /// `algorithm.name`, normalised (`"HMAC"`, `"AES-GCM"`, `"ECDSA"`, `"Ed25519"`, ...).
    public let name: String
    /// `algorithm.hash` (HMAC, RSA).
    public let hash: Hash?
    /// `algorithm.length` in bits (HMAC, AES).
    public let length: Int?
    /// `algorithm.namedCurve` (ECDSA, ECDH, and `"NODE-ED25519"` for NODE-ED25519).
    public let namedCurve: String?
    /// `algorithm.modulusLength` in bits (RSA).
    public let modulusLength: Int?
    /// `algorithm.publicExponent`, big-endian (RSA).
    public let publicExponent: [UInt8]?

    init(name: String, hash: String? = nil, length: Int? = nil, namedCurve: String? = nil,
         modulusLength: Int? = nil, publicExponent: [UInt8]? = nil) {
        self.name = name
        self.hash = hash.map(Hash.init(name:))
        self.length = length
        self.namedCurve = namedCurve
        self.modulusLength = modulusLength
        self.publicExponent = publicExponent
    }
}

/// What a `CryptoKey` holds, by algorithm family.
enum KeyMaterial: Sendable {
    /// HMAC, AES-*, PBKDF2 and HKDF: the raw bytes.
    case secret([UInt8])
    case p256Private(P256.Signing.PrivateKey)
    case p256Public(P256.Signing.PublicKey)
    case p384Private(P384.Signing.PrivateKey)
    case p384Public(P384.Signing.PublicKey)
    case p521Private(P521.Signing.PrivateKey)
    case p521Public(P521.Signing.PublicKey)
    case ed25519Private(Curve25519.Signing.PrivateKey)
    case ed25519Public(Curve25519.Signing.PublicKey)
    case x25519Private(Curve25519.KeyAgreement.PrivateKey)
    case x25519Public(Curve25519.KeyAgreement.PublicKey)
    case rsaPrivate(_RSA.Signing.PrivateKey)
    case rsaPublic(_RSA.Signing.PublicKey)
}
