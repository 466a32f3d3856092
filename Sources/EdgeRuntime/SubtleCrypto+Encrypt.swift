import Foundation

extension SubtleCrypto {
    /// `crypto.subtle.encrypt(algorithm, key, data)`: AES-GCM (`.aesGcm(iv:additionalData:tagLength:)`,
    /// the tag appended to the ciphertext, as Web Crypto does), AES-CBC (PKCS #7 padding), AES-CTR and RSA-OAEP (`.rsaOaep()`, a public key).
    public func encrypt(_ algorithm: Algorithm, _ key: CryptoKey, _ data: some DataProtocol) async throws -> [UInt8] {
        try validateOperation(key, algorithm, .encrypt)
        if key.algorithm.name == "RSA-OAEP" { return try key.rsaOaepEncrypt(algorithm, Array(data)) }
        return try key.aesEncrypt(algorithm, Array(data))
    }

    /// `crypto.subtle.decrypt(algorithm, key, data)`; a tampered AES-GCM ciphertext, a wrong key
    /// or bad padding is an `OperationError`, as on Workers.
    public func decrypt(_ algorithm: Algorithm, _ key: CryptoKey, _ data: some DataProtocol) async throws -> [UInt8] {
        try validateOperation(key, algorithm, .decrypt)
        if key.algorithm.name == "RSA-OAEP" { return try key.rsaOaepDecrypt(algorithm, Array(data)) }
        return try key.aesDecrypt(algorithm, Array(data))
    }
}
