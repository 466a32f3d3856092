import Foundation
import Crypto

/// The algorithm names Edge's Web Crypto implements, spelled as workerd normalises them
/// (`crypto.c++`, `lookupAlgorithm`); a request names one case-insensitively.
enum WebCryptoName {
    static let all = [
        "AES-CTR", "AES-CBC", "AES-GCM", "AES-KW", "HMAC", "PBKDF2", "HKDF", "RSASSA-PKCS1-v1_5", "RSA-PSS", "RSA-OAEP",
        "ECDSA", "ECDH", "NODE-ED25519", "Ed25519", "X25519",
    ]

    static func normalized(_ name: String) -> String? {
        let lowered = name.lowercased()
        return all.first { $0.lowercased() == lowered }
    }
}

/// The hashes of Web Crypto (`impl.c++`, `lookupDigestAlgorithm`), but MD5.
enum WebCryptoHash: Sendable {
    case sha1, sha256, sha384, sha512

    /// The hash named `name`, or workerd's errors: `TypeError: Missing field "hash" in "<where>".`
    /// (`digest.c++`, `importHmac`) and `NotSupportedError: Unrecognized or unimplemented digest
    /// algorithm requested.` (`impl.c++`, `lookupDigestAlgorithm`).
    init(_ name: String?, field: String = "algorithm") throws {
        guard let name else { throw TypeError("Missing field \"hash\" in \"\(field)\".") }
        switch name.uppercased() {
        case "SHA-1": self = .sha1
        case "SHA-256": self = .sha256
        case "SHA-384": self = .sha384
        case "SHA-512": self = .sha512
        default: throw DOMException.notSupported("Unrecognized or unimplemented digest algorithm requested.")
        }
    }

    var name: String {
        switch self {
        case .sha1: "SHA-1"
        case .sha256: "SHA-256"
        case .sha384: "SHA-384"
        case .sha512: "SHA-512"
        }
    }

    /// The digest's size in bytes.
    var byteCount: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The block size in bits: an HMAC key's default length (`EVP_MD_block_size * 8`).
    var blockBits: Int {
        switch self {
        case .sha1, .sha256: 512
        case .sha384, .sha512: 1024
        }
    }

    /// The suffix of the JWK `alg` names: `"1"`, `"256"`, ... (`HS256`, `RS256`, `PS512`).
    var jwkSuffix: String { String(name.dropFirst(4)) }

    func hmac(key: [UInt8], _ data: some DataProtocol) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch self {
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case .sha384: return Array(HMAC<SHA384>.authenticationCode(for: data, using: key))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
        }
    }
}

/// The usage sets of workerd's `CryptoKeyUsageSet` (`crypto.h`).
extension Set where Element == KeyUsage {
    static let publicKeyMask: Set<KeyUsage> = [.encrypt, .verify, .wrapKey]
    static let privateKeyMask: Set<KeyUsage> = [.decrypt, .sign, .unwrapKey, .deriveKey, .deriveBits]
    static let derivationKeyMask: Set<KeyUsage> = [.deriveKey, .deriveBits]
}

/// Where usages are checked, for the wording of workerd's message.
enum UsageContext: String {
    case generate = "generate"
    case importSecret = "import secret"
    case importPublic = "import public"
    case importPrivate = "import private"
}

/// The usages requested, each within `mask`, or workerd's `SyntaxError: Attempt to <op> <name> key
/// with invalid usage "<usage>".` (`crypto.c++`, `CryptoKeyUsageSet::validate`).
func validateUsages(_ name: String, _ context: UsageContext, _ usages: [KeyUsage], mask: Set<KeyUsage>) throws -> Set<KeyUsage> {
    for usage in usages where !mask.contains(usage) {
        throw DOMException.syntax("Attempt to \(context.rawValue) \(name) key with invalid usage \"\(usage.rawValue)\".")
    }
    return Set(usages)
}

/// Checks that `key` is for `algorithm` and allows `usage`, with workerd's `InvalidAccessError`s
/// (`crypto.c++`, `validateOperation`).
func validateOperation(_ key: CryptoKey, _ algorithm: SubtleCrypto.Algorithm, _ usage: KeyUsage) throws {
    guard algorithm.name.lowercased() == key.algorithm.name.lowercased() else {
        throw DOMException.invalidAccess(
            "Requested algorithm \"\(algorithm.name)\" does not match this CryptoKey's algorithm \"\(key.algorithm.name)\".")
    }
    guard key.usages.contains(usage) else {
        throw DOMException.invalidAccess(
            "Requested key usage \"\(usage.rawValue)\" does not match any usage listed in this CryptoKey.")
    }
}

/// Keeps `bitLength` bits of `bytes` (the whole bytes first, the last one masked), as workerd
/// trims a derived or generated secret whose length is not a multiple of eight.
func truncated(_ bytes: [UInt8], toBits bitLength: Int) -> [UInt8] {
    var result = Array(bytes.prefix((bitLength + 7) / 8))
    let spare = result.count * 8 - bitLength
    if spare > 0, let last = result.indices.last {
        result[last] &= UInt8(truncatingIfNeeded: 0xFF << spare)
    }
    return result
}
