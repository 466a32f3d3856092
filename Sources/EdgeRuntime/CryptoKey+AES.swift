import Crypto
import Foundation
import _CryptoExtras

/// AES-GCM, AES-CBC, AES-CTR and AES-KW on a secret key (workerd `aes.c++`). Each error is
/// workerd's text, cited by the class that throws it there.
extension CryptoKey {
    func aesEncrypt(_ request: SubtleCrypto.Algorithm, _ data: [UInt8]) throws -> [UInt8] {
        guard case .secret(let secret) = material else { throw Self.notImplemented("encrypt", algorithm.name) }
        let key = SymmetricKey(data: secret)
        switch algorithm.name {
        case "AES-GCM":
            let (iv, tagLength) = try Self.gcmParameters(request)
            let sealed = try AES.GCM.seal(data, using: key, nonce: iv, authenticating: request.additionalData ?? [])
            return Array(sealed.ciphertext) + Array(sealed.tag.prefix(tagLength / 8))
        case "AES-CBC":
            let iv = try Self.cbcIV(request, decrypting: false)
            return Array(try AES._CBC.encrypt(data, using: key, iv: iv))
        case "AES-CTR":
            return try Self.ctr(request, key, data)
        default:
            throw Self.notImplemented("encrypt", algorithm.name)
        }
    }

    func aesDecrypt(_ request: SubtleCrypto.Algorithm, _ data: [UInt8]) throws -> [UInt8] {
        guard case .secret(let secret) = material else { throw Self.notImplemented("decrypt", algorithm.name) }
        let key = SymmetricKey(data: secret)
        switch algorithm.name {
        case "AES-GCM":
            let (iv, tagLength) = try Self.gcmParameters(request)
            guard data.count >= tagLength / 8 else {
                // AesGcmKey::decrypt.
                throw DOMException.operation(
                    "Ciphertext length of \(data.count * 8) bits must be greater than or equal to the size of the AES-GCM tag length of \(tagLength) bits.")
            }
            let ciphertext = Array(data.dropLast(tagLength / 8))
            let tag = Array(data.suffix(tagLength / 8))
            let failure = Self.decryptionFailed(input: ciphertext.count, output: ciphertext.count, "AES-GCM")
            let additionalData = request.additionalData ?? []
            if tagLength == 128 {
                guard let box = try? AES.GCM.SealedBox(nonce: iv, ciphertext: ciphertext, tag: tag),
                      let plaintext = try? AES.GCM.open(box, using: key, authenticating: additionalData) else { throw failure }
                return Array(plaintext)
            }
            // A shorter tag is the full tag's prefix (NIST SP 800-38D §5.2.1.2): sealing the
            // ciphertext gives the plaintext (GCM is a stream cipher), resealing that gives the
            // full tag to compare.
            let plaintext = Array(try AES.GCM.seal(ciphertext, using: key, nonce: iv).ciphertext)
            let full = try AES.GCM.seal(plaintext, using: key, nonce: iv, authenticating: additionalData)
            guard crypto.subtle.timingSafeEqual(Array(full.tag.prefix(tag.count)), tag) else { throw failure }
            return plaintext
        case "AES-CBC":
            let iv = try Self.cbcIV(request, decrypting: true)
            do {
                return Array(try AES._CBC.decrypt(data, using: key, iv: iv))
            } catch {
                let remainder = data.count % 16
                let output = remainder == 0 ? max(0, data.count - 16) : data.count - remainder
                throw Self.decryptionFailed(input: data.count, output: output, "AES-CBC")
            }
        case "AES-CTR":
            return try Self.ctr(request, key, data)
        default:
            throw Self.notImplemented("decrypt", algorithm.name)
        }
    }

    /// AES-KW (RFC 3394) of `data` under this key, for `wrapKey`.
    func aesWrap(_ data: [UInt8]) throws -> [UInt8] {
        guard case .secret(let secret) = material else { throw Self.notImplemented("wrapKey", algorithm.name) }
        guard data.count % 8 == 0 else {
            // AesKwKey::wrapKey.
            throw DOMException.operation(
                "Unwrapped key bit length must be a multiple of 64 bits but unwrapped key has a length of \(data.count * 8) bits.")
        }
        guard data.count >= 16 else {
            // AesKwKey::wrapKey.
            throw DOMException.operation(
                "Unwrapped key has length \(data.count) bytes but it should be greater than or equal to 16 and less than or equal to \(UInt64.max - 8)")
        }
        do {
            return Array(try AES.KeyWrap.wrap(SymmetricKey(data: data), using: SymmetricKey(data: secret)))
        } catch {
            throw DOMException.operation("AES-KW key wrapping failed")
        }
    }

    /// The key AES-KW wrapped in `data`, for `unwrapKey`.
    func aesUnwrap(_ data: [UInt8]) throws -> [UInt8] {
        guard case .secret(let secret) = material else { throw Self.notImplemented("unwrapKey", algorithm.name) }
        guard data.count % 8 == 0 else {
            // AesKwKey::unwrapKey.
            throw DOMException.operation("Provided a wrapped key to unwrap that is \(data.count * 8) bits which isn't a multiple of 64 bits.")
        }
        guard data.count >= 24 else {
            // AesKwKey::unwrapKey.
            throw DOMException.operation(
                "Provided a wrapped key to unwrap this is \(data.count * 8) bits that is less than the minimal length of 192 bits.")
        }
        do {
            let key = try AES.KeyWrap.unwrap(data, using: SymmetricKey(data: secret))
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw DOMException.operation("AES-KW key unwrapping failed")
        }
    }

    /// workerd, impl.h: `CryptoKey::Impl`'s default for an operation a key type lacks.
    static func notImplemented(_ operation: String, _ name: String) -> DOMException {
        DOMException.notSupported("The \(operation) operation is not implemented for \"\(name)\".")
    }

    /// AesGcmKey / AesCbcKey: `decryptFinalHelper`.
    private static func decryptionFailed(input: Int, output: Int, _ name: String) -> DOMException {
        DOMException.operation(
            "Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason. Input length was \(input), output length expected to be \(output) for \(name)")
    }

    /// AesGcmKey::encrypt / decrypt, `validateAesGcmTagLength`. swift-crypto takes IVs of 12
    /// bytes or more; Workers takes any non-empty IV, and Edge refuses a shorter one.
    private static func gcmParameters(_ request: SubtleCrypto.Algorithm) throws -> (AES.GCM.Nonce, Int) {
        guard let iv = request.iv else { throw TypeError("Missing field \"iv\" in \"algorithm\".") }
        guard !iv.isEmpty else { throw DOMException.operation("AES-GCM IV must not be empty.") }
        let tagLength = request.tagLength ?? 128
        guard [32, 64, 96, 104, 112, 120, 128].contains(tagLength) else {
            throw DOMException.operation("Invalid AES-GCM tag length \(tagLength).")
        }
        guard let nonce = try? AES.GCM.Nonce(data: iv) else {
            throw DOMException.notSupported("Edge's AES-GCM takes an IV of 12 bytes or more (provided \(iv.count)).")
        }
        return (nonce, tagLength)
    }

    /// AesCbcKey::encrypt / decrypt (the two texts differ by a word, as in workerd).
    private static func cbcIV(_ request: SubtleCrypto.Algorithm, decrypting: Bool) throws -> AES._CBC.IV {
        guard let iv = request.iv else { throw TypeError("Missing field \"iv\" in \"algorithm\".") }
        guard iv.count == 16, let parsed = try? AES._CBC.IV(ivBytes: iv) else {
            throw DOMException.operation(
                decrypting ? "AES-CBC IV must be 16 bytes long (provided \(iv.count))."
                           : "AES-CBC IV must be 16 bytes long (provided \(iv.count) bytes).")
        }
        return parsed
    }

    /// AES-CTR with Web Crypto's counter: only the rightmost `length` bits of the counter block
    /// count, wrapping to zero without carrying into the rest (AesCtrKey::encryptOrDecrypt).
    private static func ctr(_ request: SubtleCrypto.Algorithm, _ key: SymmetricKey, _ data: [UInt8]) throws -> [UInt8] {
        guard let counter = request.counter else { throw TypeError("Missing \"counter\" member in \"algorithm\".") }
        guard counter.count == 16 else {
            throw DOMException.operation("Counter must have length of 16 bytes (provided \(counter.count)).")
        }
        guard let length = request.length else { throw TypeError("Missing \"length\" member in \"algorithm\".") }
        guard length > 0, length <= 128 else {
            throw DOMException.operation("Invalid counter of \(length) bits length provided.")
        }
        let blocks = UInt64((data.count + 15) / 16)
        if length < 64, blocks > UInt64(1) << UInt64(length) {
            throw DOMException.operation("Counter block values will repeat")
        }
        let untilWrap = blocksUntilWrap(counter, length: length)
        guard blocks > untilWrap else { return try ctrPass(key, counter, data) }
        let split = Int(untilWrap) * 16
        var wrapped = counter
        for bit in 0..<length { wrapped[15 - bit / 8] &= ~(UInt8(1) << UInt8(bit % 8)) }
        return try ctrPass(key, counter, Array(data[..<split])) + ctrPass(key, wrapped, Array(data[split...]))
    }

    private static func ctrPass(_ key: SymmetricKey, _ counter: [UInt8], _ data: [UInt8]) throws -> [UInt8] {
        guard !data.isEmpty else { return [] }
        return Array(try AES._CTR.encrypt(data, using: key, nonce: AES._CTR.Nonce(nonceBytes: counter)))
    }

    /// How many blocks the counter's low `length` bits can count before they wrap (saturating).
    private static func blocksUntilWrap(_ counter: [UInt8], length: Int) -> UInt64 {
        let low64 = counter[8...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if length <= 64 {
            let value = length == 64 ? low64 : low64 & ((UInt64(1) << UInt64(length)) - 1)
            let (remaining, overflow) = (length == 64 ? UInt64.max : (UInt64(1) << UInt64(length)) - 1).subtractingReportingOverflow(value)
            return overflow || remaining == .max ? .max : remaining + 1
        }
        for bit in 64..<length where counter[15 - bit / 8] & (UInt8(1) << UInt8(bit % 8)) == 0 {
            return .max
        }
        return low64 == 0 ? .max : UInt64.max - low64 + 1
    }
}
