import Crypto
import Foundation

extension SubtleCrypto {
    /// `await crypto.subtle.digest("SHA-256", data)`, named as in JavaScript: SHA-1, SHA-256,
    /// SHA-384, SHA-512 and MD5, as workerd has them (crypto.c++ `SubtleCrypto::digest`, impl.c++
    /// `lookupDigestAlgorithm`). `digest(.sha256, data)` is the synchronous form.
    public func digest(_ algorithm: Algorithm, _ data: some DataProtocol) async throws -> [UInt8] {
        if algorithm.name.uppercased() == "MD5" { return Array(Insecure.MD5.hash(data: data)) }
        return CryptoKey.digest(try WebCryptoHash(algorithm.name), Array(data)) { Array($0) }
    }
}
