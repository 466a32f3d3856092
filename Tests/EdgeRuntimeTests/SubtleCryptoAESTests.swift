import EdgeRuntime
import Foundation
import Testing

@Suite struct SubtleCryptoAESTests {
    /// The GCM specification's test cases 1-4 (McGrew and Viega, "The Galois/Counter Mode of
    /// Operation", the vectors NIST publishes with SP 800-38D): key, IV, plaintext, AAD,
    /// ciphertext, tag.
    @Test(arguments: [
        ("00000000000000000000000000000000", "000000000000000000000000", "", "", "", "58e2fccefa7e3061367f1d57a4e7455a"),
        ("00000000000000000000000000000000", "000000000000000000000000", "00000000000000000000000000000000", "",
         "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf"),
        ("feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
         "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255", "",
         "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
         "4d5c2af327cd64a62cf35abd2ba6fab4"),
        ("feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
         "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
         "feedfacedeadbeeffeedfacedeadbeefabaddad2",
         "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
         "5bc94fbc3221a5db94fae95ae7121a47"),
    ])
    func gcmVectors(key: String, iv: String, plaintext: String, aad: String, ciphertext: String, tag: String) async throws {
        let cryptoKey = try await crypto.subtle.importKey(.raw, hex(key), "AES-GCM", false, [.encrypt, .decrypt])
        let params = SubtleCrypto.Algorithm.aesGcm(iv: hex(iv), additionalData: aad.isEmpty ? nil : hex(aad))
        let sealed = try await crypto.subtle.encrypt(params, cryptoKey, hex(plaintext))
        #expect(sealed.hexString == ciphertext + tag)
        #expect(try await crypto.subtle.decrypt(params, cryptoKey, sealed).hexString == plaintext)
    }

    /// A changed byte, a wrong IV or wrong additional data is workerd's OperationError
    /// (aes.c++ `decryptFinalHelper`).
    @Test func tamperedGCMCiphertextIsAnOperationError() async throws {
        let key = try await crypto.subtle.generateKey(.init(name: "AES-GCM", length: 256), false, [.encrypt, .decrypt]) as CryptoKey
        let iv = try crypto.getRandomValues(count: 12)
        var sealed = try await crypto.subtle.encrypt(.aesGcm(iv: iv, additionalData: utf8("order-42")), key, utf8("ticket"))
        let message = "Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason. Input length was 6, output length expected to be 6 for AES-GCM"
        await expectDOMException("OperationError", message) {
            _ = try await crypto.subtle.decrypt(.aesGcm(iv: iv, additionalData: utf8("order-43")), key, sealed)
        }
        sealed[0] ^= 0x01
        await expectDOMException("OperationError", message) {
            _ = try await crypto.subtle.decrypt(.aesGcm(iv: iv, additionalData: utf8("order-42")), key, sealed)
        }
        await expectDOMException("OperationError",
            "Ciphertext length of 64 bits must be greater than or equal to the size of the AES-GCM tag length of 128 bits.") {
            _ = try await crypto.subtle.decrypt(.aesGcm(iv: iv), key, [UInt8](repeating: 0, count: 8))
        }
        await expectDOMException("OperationError", "Invalid AES-GCM tag length 100.") {
            _ = try await crypto.subtle.encrypt(.aesGcm(iv: iv, tagLength: 100), key, utf8("ticket"))
        }
        await expectDOMException("OperationError", "AES-GCM IV must not be empty.") {
            _ = try await crypto.subtle.encrypt(.aesGcm(iv: []), key, utf8("ticket"))
        }
    }

    /// A shorter tag is the full tag's prefix, and is still checked.
    @Test func shortTagLength() async throws {
        let key = try await crypto.subtle.importKey(.raw, hex("feffe9928665731c6d6a8f9467308308"), "AES-GCM", false, [.encrypt, .decrypt])
        let params = SubtleCrypto.Algorithm.aesGcm(iv: hex("cafebabefacedbaddecaf888"), tagLength: 96)
        let plaintext = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")
        let sealed = try await crypto.subtle.encrypt(params, key, plaintext)
        #expect(sealed.hexString.hasSuffix("4d5c2af327cd64a62cf35abd") && sealed.count == 64 + 12)
        #expect(try await crypto.subtle.decrypt(params, key, sealed) == plaintext)
        var tampered = sealed
        tampered[70] ^= 0x80
        await expectDOMException("OperationError",
            "Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason. Input length was 64, output length expected to be 64 for AES-GCM") {
            _ = try await crypto.subtle.decrypt(params, key, tampered)
        }
    }

    /// NIST SP 800-38A F.2.1 (CBC-AES128): Web Crypto pads with PKCS #7, so the NIST blocks come
    /// first and a block of padding follows.
    @Test func cbcVector() async throws {
        let key = try await crypto.subtle.importKey(.raw, hex("2b7e151628aed2a6abf7158809cf4f3c"), "AES-CBC", false, [.encrypt, .decrypt])
        let params = SubtleCrypto.Algorithm.aesCbc(iv: hex("000102030405060708090a0b0c0d0e0f"))
        let plaintext = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
        let sealed = try await crypto.subtle.encrypt(params, key, plaintext)
        #expect(sealed.count == 48)
        #expect(Array(sealed.prefix(32)).hexString == "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2")
        #expect(try await crypto.subtle.decrypt(params, key, sealed) == plaintext)
        await expectDOMException("OperationError",
            "Decryption failed. This could be due to a ciphertext authentication failure, bad padding, incorrect CryptoKey, or another algorithm-specific reason. Input length was 32, output length expected to be 16 for AES-CBC") {
            _ = try await crypto.subtle.decrypt(params, key, Array(sealed.prefix(32)))
        }
        await expectDOMException("OperationError", "AES-CBC IV must be 16 bytes long (provided 12 bytes).") {
            _ = try await crypto.subtle.encrypt(.aesCbc(iv: hex("000102030405060708090a0b")), key, plaintext)
        }
    }

    /// NIST SP 800-38A F.5.1 (CTR-AES128), and the counter's low `length` bits wrapping without
    /// carrying into the rest of the block, as Web Crypto specifies.
    @Test func ctrVectorAndCounterWrap() async throws {
        let key = try await crypto.subtle.importKey(.raw, hex("2b7e151628aed2a6abf7158809cf4f3c"), "AES-CTR", false, [.encrypt, .decrypt])
        let counter = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
        let plaintext = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
        let sealed = try await crypto.subtle.encrypt(.aesCtr(counter: counter, length: 64), key, plaintext)
        #expect(sealed.hexString == "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff")

        let zeros = [UInt8](repeating: 0, count: 32)
        let start = hex("000000000000000000000000000001ff")
        let wrapped = try await crypto.subtle.encrypt(.aesCtr(counter: start, length: 8), key, zeros)
        let first = try await crypto.subtle.encrypt(.aesCtr(counter: start, length: 128), key, Array(zeros.prefix(16)))
        let second = try await crypto.subtle.encrypt(
            .aesCtr(counter: hex("00000000000000000000000000000100"), length: 128), key, Array(zeros.prefix(16)))
        #expect(wrapped == first + second)
        await expectDOMException("OperationError", "Counter block values will repeat") {
            _ = try await crypto.subtle.encrypt(.aesCtr(counter: start, length: 1), key, zeros + zeros)
        }
        await expectDOMException("OperationError", "Counter must have length of 16 bytes (provided 12).") {
            _ = try await crypto.subtle.encrypt(.aesCtr(counter: hex("000000000000000000000000"), length: 64), key, zeros)
        }
    }

    /// RFC 3394 §4.1 (AES-KW, 128-bit KEK), through `wrapKey` / `unwrapKey`.
    @Test func keyWrapVector() async throws {
        let kek = try await crypto.subtle.importKey(.raw, hex("000102030405060708090a0b0c0d0e0f"), "AES-KW", false, [.wrapKey, .unwrapKey])
        let key = try await crypto.subtle.importKey(.raw, hex("00112233445566778899aabbccddeeff"), "AES-GCM", true, [.encrypt])
        let wrapped = try await crypto.subtle.wrapKey(.raw, key, kek, "AES-KW")
        #expect(wrapped.hexString == "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5")
        let unwrapped = try await crypto.subtle.unwrapKey(.raw, wrapped, kek, "AES-KW", "AES-GCM", true, [.encrypt, .decrypt])
        #expect(try await crypto.subtle.exportKey(.raw, unwrapped).hexString == "00112233445566778899aabbccddeeff")

        let gcm = try await crypto.subtle.generateKey(.init(name: "AES-GCM", length: 128), false, [.wrapKey, .unwrapKey]) as CryptoKey
        let iv = try crypto.getRandomValues(count: 12)
        let wrappedJWK = try await crypto.subtle.wrapKey(.jwk, key, gcm, .aesGcm(iv: iv))
        let back = try await crypto.subtle.unwrapKey(.jwk, wrappedJWK, gcm, .aesGcm(iv: iv), "AES-GCM", false, [.encrypt])
        #expect(back.algorithm.length == 128 && back.extractable == false)
        await expectDOMException("OperationError", "AES-KW key unwrapping failed") {
            var corrupt = wrapped
            corrupt[3] ^= 1
            _ = try await crypto.subtle.unwrapKey(.raw, corrupt, kek, "AES-KW", "AES-GCM", true, [.encrypt])
        }
    }

    /// workerd aes.c++ `importAes`, `generateAes` and `AesKeyBase::exportKey`.
    @Test func keyErrors() async throws {
        await expectDOMException("DataError", "Imported AES key length must be 128, 192, or 256 bits but provided 120.") {
            _ = try await crypto.subtle.importKey(.raw, [UInt8](repeating: 1, count: 15), "AES-GCM", false, [.encrypt])
        }
        await expectDOMException("OperationError", "Generated AES key length must be 128, 192, or 256 bits but requested 64.") {
            _ = try await crypto.subtle.generateKey(.init(name: "AES-CBC", length: 64), false, [.encrypt]) as CryptoKey
        }
        await expectDOMException("SyntaxError", "Attempt to import secret AES-KW key with invalid usage \"encrypt\".") {
            _ = try await crypto.subtle.importKey(.raw, [UInt8](repeating: 1, count: 16), "AES-KW", false, [.encrypt])
        }
        let key = try await crypto.subtle.importKey(.raw, [UInt8](repeating: 1, count: 24), "AES-CTR", true, [.encrypt])
        let jwk = try await crypto.subtle.exportKey(.jwk, key)
        #expect(jwk.alg == "A192CTR" && jwk.k == [UInt8](repeating: 1, count: 24).base64URLString)
        await expectDOMException("NotSupportedError", "AES-CTR key only supports exporting \"raw\" & \"jwk\", not \"spki\".") {
            _ = try await crypto.subtle.exportKey(.spki, key)
        }
        await expectDOMException("DataError", "Symmetric \"jwk\" key contains invalid \"alg\" value \"A128GCM\", expected \"A192CTR\".") {
            var wrong = jwk
            wrong.alg = "A128GCM"
            _ = try await crypto.subtle.importKey(.jwk, wrong, "AES-CTR", false, [.encrypt])
        }
        await expectDOMException("InvalidAccessError", "Requested key usage \"decrypt\" does not match any usage listed in this CryptoKey.") {
            _ = try await crypto.subtle.decrypt(.aesCtr(counter: [UInt8](repeating: 0, count: 16), length: 64), key, [1, 2, 3])
        }
    }
}
