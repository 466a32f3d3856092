import Foundation

extension SubtleCrypto {
    /// `crypto.subtle.encrypt(algorithm, key, data)`: AES-GCM (`.aesGcm(iv:additionalData:tagLength:)`,
    /// the tag appended to the ciphertext, as Web Crypto does), AES-CBC (PKCS #7 padding) and AES-CTR.
    public func encrypt(_ algorithm: Algorithm, _ key: CryptoKey, _ data: some DataProtocol) async throws -> [UInt8] {
        try validateOperation(key, algorithm, .encrypt)
        return try key.aesEncrypt(algorithm, Array(data))
    }

    /// `crypto.subtle.decrypt(algorithm, key, data)`; a tampered AES-GCM ciphertext, a wrong key
    /// or bad padding is an `OperationError`, as on Workers.
    public func decrypt(_ algorithm: Algorithm, _ key: CryptoKey, _ data: some DataProtocol) async throws -> [UInt8] {
        try validateOperation(key, algorithm, .decrypt)
        return try key.aesDecrypt(algorithm, Array(data))
    }
}
