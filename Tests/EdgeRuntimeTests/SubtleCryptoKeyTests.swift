import EdgeRuntime
import Foundation
import Testing

@Suite struct SubtleCryptoKeyTests {
    /// RFC 7515 §A.3.1's P-256 key as DER (SubjectPublicKeyInfo, PKCS #8).
    static let p256SPKI = Array(Data(base64Encoded:
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEXH8UTNG72bfocs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==")!)
    static let p256PKCS8 = Array(Data(base64Encoded:
        "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjpsQnnGQmL+YBIffH1136cspYG6+0iY7X1fCE9+E9LKhRANCAAR/zc4ncPbEXUGDy+5v20t7WAczNXvp7xO6z248e9FURcfxRM0bvZt+hyzf7bnuufSzaV1uqQskrYpGIyiFiOWt")!)

    /// The spki and pkcs8 forms hold the same key as the JWK RFC 7515 prints; exports give the
    /// JWK's members back, and a raw export is the uncompressed point.
    @Test func ecdsaKeyFormats() async throws {
        let publicKey = try await crypto.subtle.importKey(.spki, Self.p256SPKI, .ecdsa(namedCurve: "P-256"), true, [.verify])
        let privateKey = try await crypto.subtle.importKey(.pkcs8, Self.p256PKCS8, .ecdsa(namedCurve: "P-256"), true, [.sign])
        #expect(publicKey.type == .public && privateKey.type == .private && publicKey.algorithm.namedCurve == "P-256")
        let jwk = try await crypto.subtle.exportKey(.jwk, privateKey)
        #expect(jwk.x == SubtleCryptoJWTTests.ecJWK.x && jwk.y == SubtleCryptoJWTTests.ecJWK.y)
        #expect(jwk.d == "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI" && jwk.kty == "EC" && jwk.crv == "P-256")
        let raw = try await crypto.subtle.exportKey(.raw, publicKey)
        #expect(raw.count == 65 && raw[0] == 4)
        #expect(try await crypto.subtle.exportKey(.spki, publicKey) == Self.p256SPKI)
        let fromRaw = try await crypto.subtle.importKey(.raw, raw, .ecdsa(namedCurve: "P-256"), false, [.verify])
        let signature = try await crypto.subtle.sign(.ecdsa(hash: "SHA-256"), privateKey, utf8("order"))
        #expect(signature.count == 64)
        #expect(try await crypto.subtle.verify(.ecdsa(hash: "SHA-256"), fromRaw, signature, utf8("order")))
        #expect(try await crypto.subtle.verify(.ecdsa(hash: "SHA-384"), fromRaw, signature, utf8("order")) == false)
        #expect(try await crypto.subtle.verify(.ecdsa(hash: "SHA-256"), fromRaw, Array(signature.prefix(63)), utf8("order")) == false)
        let reimported = try await crypto.subtle.importKey(.pkcs8, try await crypto.subtle.exportKey(.pkcs8, privateKey),
                                                           .ecdsa(namedCurve: "P-256"), false, [.sign])
        #expect(try await crypto.subtle.verify(.ecdsa(hash: "SHA-256"), publicKey,
                                               try await crypto.subtle.sign(.ecdsa(hash: "SHA-256"), reimported, utf8("x")), utf8("x")))
    }

    @Test func p384SignsAndVerifies() async throws {
        let pair = try await crypto.subtle.generateKey(.ecdsa(namedCurve: "P-384"), true, [.sign, .verify]) as CryptoKeyPair
        #expect(pair.publicKey.usages == [.verify] && pair.privateKey.usages == [.sign])
        let signature = try await crypto.subtle.sign(.ecdsa(hash: "SHA-384"), pair.privateKey, utf8("data"))
        #expect(signature.count == 96)
        let jwk = try await crypto.subtle.exportKey(.jwk, pair.publicKey)
        let imported = try await crypto.subtle.importKey(.jwk, jwk, .ecdsa(namedCurve: "P-384"), false, [.verify])
        #expect(try await crypto.subtle.verify(.ecdsa(hash: "SHA-384"), imported, signature, utf8("data")))
    }

    /// RFC 8032 §7.1 TEST 1 and TEST 2: Ed25519 signatures are deterministic.
    @Test(arguments: [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ])
    func ed25519Vectors(secret: String, publicKey: String, message: String, signature: String) async throws {
        let jwk = JsonWebKey(kty: "OKP", crv: "Ed25519", x: hex(publicKey).base64URLString, d: hex(secret).base64URLString)
        let privateKey = try await crypto.subtle.importKey(.jwk, jwk, "Ed25519", true, [.sign])
        #expect(try await crypto.subtle.sign("Ed25519", privateKey, hex(message)).hexString == signature)
        let verifier = try await crypto.subtle.importKey(.raw, hex(publicKey), "Ed25519", true, [.verify])
        #expect(try await crypto.subtle.verify("Ed25519", verifier, hex(signature), hex(message)))
        let spki = try await crypto.subtle.exportKey(.spki, verifier)
        let fromSPKI = try await crypto.subtle.importKey(.spki, spki, "Ed25519", false, [.verify])
        #expect(try await crypto.subtle.verify("Ed25519", fromSPKI, hex(signature), hex(message)))
        let pkcs8 = try await crypto.subtle.exportKey(.pkcs8, privateKey)
        let fromPKCS8 = try await crypto.subtle.importKey(.pkcs8, pkcs8, "Ed25519", false, [.sign])
        #expect(try await crypto.subtle.sign("Ed25519", fromPKCS8, hex(message)).hexString == signature)
        await expectDOMException("OperationError", "Invalid Ed25519 signature length 63") {
            _ = try await crypto.subtle.verify("Ed25519", verifier, Array(hex(signature).prefix(63)), hex(message))
        }
    }

    /// RFC 7748 §6.1: Alice's and Bob's X25519 keys agree on the printed secret.
    @Test func x25519Vector() async throws {
        func privateKey(_ scalar: String, _ point: String) async throws -> CryptoKey {
            let jwk = JsonWebKey(kty: "OKP", crv: "X25519", x: hex(point).base64URLString, d: hex(scalar).base64URLString)
            return try await crypto.subtle.importKey(.jwk, jwk, "X25519", false, [.deriveBits])
        }
        let alice = try await privateKey("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
                                         "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        let bobPublic = try await crypto.subtle.importKey(
            .raw, hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), "X25519", false, [])
        let shared = try await crypto.subtle.deriveBits(.x25519(public: bobPublic), alice, nil)
        #expect(shared.hexString == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        #expect(try await crypto.subtle.deriveBits(.x25519(public: bobPublic), alice, 128) == Array(shared.prefix(16)))
        await expectDOMException("OperationError", "Derived key length (512 bits) is too long (should be at most 256 bits).") {
            _ = try await crypto.subtle.deriveBits(.x25519(public: bobPublic), alice, 512)
        }
    }

    /// X25519 and Ed25519 keys share a size but not an algorithm identifier: each DER form comes
    /// back as the algorithm it was exported from, and not as the other.
    @Test func x25519KeyFormats() async throws {
        let pair = try await crypto.subtle.generateKey("X25519", true, [.deriveBits]) as CryptoKeyPair
        let pkcs8 = try await crypto.subtle.exportKey(.pkcs8, pair.privateKey)
        let spki = try await crypto.subtle.exportKey(.spki, pair.publicKey)
        let privateKey = try await crypto.subtle.importKey(.pkcs8, pkcs8, "X25519", false, [.deriveBits])
        let publicKey = try await crypto.subtle.importKey(.spki, spki, "X25519", false, [])
        let other = try await crypto.subtle.generateKey("X25519", false, [.deriveBits]) as CryptoKeyPair
        #expect(try await crypto.subtle.deriveBits(.x25519(public: other.publicKey), privateKey, nil)
            == (try await crypto.subtle.deriveBits(.x25519(public: publicKey), other.privateKey, nil)))
        await expectDOMException("DataError", "Invalid PKCS8 input.") {
            _ = try await crypto.subtle.importKey(.pkcs8, pkcs8, "Ed25519", false, [.sign])
        }
        await expectDOMException("DataError", "Invalid SPKI input.") {
            _ = try await crypto.subtle.importKey(.spki, spki, "Ed25519", false, [.verify])
        }
    }

    /// ECDH: both sides derive one secret; the errors are ec.c++ `EllipticKey::deriveBits`'s.
    @Test func ecdhAgreement() async throws {
        let alice = try await crypto.subtle.generateKey(.ecdh(namedCurve: "P-256"), false, [.deriveBits, .deriveKey]) as CryptoKeyPair
        let bob = try await crypto.subtle.generateKey(.ecdh(namedCurve: "P-256"), false, [.deriveBits]) as CryptoKeyPair
        #expect(alice.publicKey.usages.isEmpty && alice.privateKey.usages == [.deriveKey, .deriveBits])
        let one = try await crypto.subtle.deriveBits(.ecdh(public: bob.publicKey), alice.privateKey, 256)
        let two = try await crypto.subtle.deriveBits(.ecdh(public: alice.publicKey), bob.privateKey, 256)
        #expect(one == two && one.count == 32)
        let aes = try await crypto.subtle.deriveKey(.ecdh(public: bob.publicKey), alice.privateKey,
                                                    .init(name: "AES-GCM", length: 128), true, [.encrypt])
        #expect(try await crypto.subtle.exportKey(.raw, aes) == Array(one.prefix(16)))

        let p384 = try await crypto.subtle.generateKey(.ecdh(namedCurve: "P-384"), false, [.deriveBits]) as CryptoKeyPair
        await expectDOMException("InvalidAccessError", "Private key for derivation is using curve \"P-256\" while public key is using \"P-384\".") {
            _ = try await crypto.subtle.deriveBits(.ecdh(public: p384.publicKey), alice.privateKey, 256)
        }
        await expectDOMException("InvalidAccessError", "The provided key has type \"private\", not \"public\"") {
            _ = try await crypto.subtle.deriveBits(.ecdh(public: bob.privateKey), alice.privateKey, 256)
        }
        let signer = try await crypto.subtle.generateKey(.ecdsa(namedCurve: "P-256"), false, [.sign]) as CryptoKeyPair
        await expectDOMException("InvalidAccessError", "Private key for derivation is using \"ECDH\" while public key is using \"ECDSA\".") {
            _ = try await crypto.subtle.deriveBits(.ecdh(public: signer.publicKey), alice.privateKey, 256)
        }
        await expectTypeError("Missing field \"public\" in \"derivedKeyParams\".") {
            _ = try await crypto.subtle.deriveBits("ECDH", alice.privateKey, 256)
        }
    }

    /// workerd's import and export errors: keys.c++ `importAsymmetricForWebCrypto` and
    /// `exportKey`, ec.c++ `importEcdsa` / `importEllipticRaw` / `ellipticJwkReader`, crypto.c++.
    @Test func asymmetricErrors() async throws {
        await expectDOMException("DataError", "\"algorithm.namedCurve\" \"P-384\" does not match the curve specified by the input key data") {
            _ = try await crypto.subtle.importKey(.spki, Self.p256SPKI, .ecdsa(namedCurve: "P-384"), false, [.verify])
        }
        await expectDOMException("DataError", "Invalid SPKI input.") {
            _ = try await crypto.subtle.importKey(.spki, Array(Self.p256SPKI.dropLast()), .ecdsa(namedCurve: "P-256"), false, [.verify])
        }
        await expectDOMException("SyntaxError", "Attempt to import public ECDSA key with invalid usage \"sign\".") {
            _ = try await crypto.subtle.importKey(.spki, Self.p256SPKI, .ecdsa(namedCurve: "P-256"), false, [.sign])
        }
        await expectDOMException("NotSupportedError", "Unrecognized or unimplemented EC curve \"P-192\" requested.") {
            _ = try await crypto.subtle.importKey(.spki, Self.p256SPKI, .ecdsa(namedCurve: "P-192"), false, [.verify])
        }
        await expectDOMException("DataError", "Elliptic curve \"jwk\" key import requires a JSON Web Key with Key Type parameter \"kty\" (\"RSA\") equal to \"EC\".") {
            var jwk = SubtleCryptoJWTTests.ecJWK
            jwk.kty = "RSA"
            _ = try await crypto.subtle.importKey(.jwk, jwk, .ecdsa(namedCurve: "P-256"), false, [.verify])
        }
        await expectDOMException("DataError", "JSON Web Key Algorithm parameter \"alg\" (\"ES384\") does not match requested curve.") {
            var jwk = SubtleCryptoJWTTests.ecJWK
            jwk.alg = "ES384"
            _ = try await crypto.subtle.importKey(.jwk, jwk, .ecdsa(namedCurve: "P-256"), false, [.verify])
        }
        await expectDOMException("DataError", "Failed to import raw EC key data") {
            _ = try await crypto.subtle.importKey(.raw, [4, 1, 2, 3], .ecdsa(namedCurve: "P-256"), false, [.verify])
        }
        await expectDOMException("DataError", "Ed25519 raw keys must be exactly 32-bytes (provided 31).") {
            _ = try await crypto.subtle.importKey(.raw, [UInt8](repeating: 9, count: 31), "Ed25519", false, [.verify])
        }
        await expectDOMException("NotSupportedError", "Only Ed25519 is supported but \"X25519\" was requested.") {
            var jwk = SubtleCryptoJWTTests.okpJWK
            jwk.crv = "X25519"
            _ = try await crypto.subtle.importKey(.jwk, jwk, "Ed25519", false, [.verify])
        }
        let publicKey = try await crypto.subtle.importKey(.spki, Self.p256SPKI, .ecdsa(namedCurve: "P-256"), true, [.verify])
        await expectDOMException("InvalidAccessError", "Asymmetric pkcs8 export requires private key (not \"public\").") {
            _ = try await crypto.subtle.exportKey(.pkcs8, publicKey)
        }
        let privateKey = try await crypto.subtle.importKey(.pkcs8, Self.p256PKCS8, .ecdsa(namedCurve: "P-256"), true, [.sign])
        await expectDOMException("InvalidAccessError", "Raw export of elliptic curve keys is only allowed for public keys.") {
            _ = try await crypto.subtle.exportKey(.raw, privateKey)
        }
        await expectTypeError(
            "Missing \"hash\" in AlgorithmIdentifier. (ECDSA requires that the hash algorithm be specified at call time rather than on the key. This differs from other WebCrypto algorithms for historical reasons.)") {
            _ = try await crypto.subtle.sign("ECDSA", privateKey, utf8("data"))
        }
        await expectDOMException("SyntaxError", "Attempt to generate asymmetric keys with no valid private key usages.") {
            _ = try await crypto.subtle.generateKey(.ecdsa(namedCurve: "P-256"), false, [.verify]) as CryptoKeyPair
        }
        await expectDOMException("NotSupportedError", "Unrecognized key generation algorithm \"PBKDF2\" requested.") {
            _ = try await crypto.subtle.generateKey("PBKDF2", false, [.deriveBits]) as CryptoKey
        }
    }

    /// A JWK's `use`, `key_ops` and `ext` against the usages asked for (keys.c++
    /// `importAsymmetricForWebCrypto`, crypto.c++ `importKeySync`).
    @Test func jwkUsageMembers() async throws {
        var jwk = SubtleCryptoJWTTests.ecJWK
        jwk.key_ops = ["sign"]
        await expectDOMException("DataError",
            "All specified key usages must be present in the JSON Web Key's Key Operations parameter (\"key_ops\").") {
            _ = try await crypto.subtle.importKey(.jwk, jwk, .ecdsa(namedCurve: "P-256"), false, [.verify])
        }
        jwk.key_ops = ["verify", "verify"]
        await expectDOMException("DataError", "A JSON Web Key's Key Operations parameter (\"key_ops\") must not contain duplicates.") {
            _ = try await crypto.subtle.importKey(.jwk, jwk, .ecdsa(namedCurve: "P-256"), false, [.verify])
        }
        jwk.key_ops = nil
        jwk.use = "enc"
        await expectDOMException("DataError",
            "Asymmetric \"jwk\" key import with usages requires a JSON Web Key with Public Key Use parameter \"use\" (\"enc\") equal to \"sig\".") {
            _ = try await crypto.subtle.importKey(.jwk, jwk, .ecdsa(namedCurve: "P-256"), false, [.verify])
        }
        jwk.use = "sig"
        jwk.ext = false
        await expectDOMException("DataError", "JWK ext field for \"ECDSA\" is set to false but extractable is true") {
            _ = try await crypto.subtle.importKey(.jwk, jwk, .ecdsa(namedCurve: "P-256"), true, [.verify])
        }
        let key = try await crypto.subtle.importKey(.jwk, jwk, .ecdsa(namedCurve: "P-256"), false, [.verify])
        #expect(key.extractable == false && key.usages == [.verify])
    }

    /// Where swift-crypto cannot do what Workers does, Edge refuses and says so.
    @Test func whatEdgeRefuses() async throws {
        let pss = try await crypto.subtle.importKey(.jwk, SubtleCryptoJWTTests.rsaPrivateJWK, .rsaPss(hash: "SHA-256"), false, [.sign])
        await expectDOMException("NotSupportedError",
            "Edge implements RSA-PSS with a saltLength equal to the hash's length (32) only, not 20.") {
            _ = try await crypto.subtle.sign(.rsaPss(saltLength: 20), pss, utf8("data"))
        }
        let aes = try await crypto.subtle.generateKey(.init(name: "AES-GCM", length: 128), false, [.encrypt]) as CryptoKey
        await expectDOMException("NotSupportedError", "Edge's AES-GCM takes an IV of 12 bytes or more (provided 8).") {
            _ = try await crypto.subtle.encrypt(.aesGcm(iv: [UInt8](repeating: 0, count: 8)), aes, utf8("data"))
        }
        await expectDOMException("NotSupportedError", "Unrecognized key import algorithm \"RSA-OAEP-512\" requested.") {
            _ = try await crypto.subtle.importKey(.jwk, SubtleCryptoJWTTests.rsaJWK, .init(name: "RSA-OAEP-512", hash: "SHA-256"), false, [.encrypt])
        }
    }

    /// RSA: RSA-PSS with the hash's salt length, JWK import of RFC 7515's key under a mismatched
    /// hash, and rsa.c++'s errors.
    @Test func rsaKeys() async throws {
        let pss = try await crypto.subtle.importKey(.jwk, SubtleCryptoJWTTests.rsaPrivateJWK, .rsaPss(hash: "SHA-256"), true, [.sign])
        let verifier = try await crypto.subtle.importKey(.jwk, SubtleCryptoJWTTests.rsaJWK, .rsaPss(hash: "SHA-256"), true, [.verify])
        let signature = try await crypto.subtle.sign(.rsaPss(saltLength: 32), pss, utf8("data"))
        #expect(try await crypto.subtle.verify(.rsaPss(saltLength: 32), verifier, signature, utf8("data")))
        #expect(try await crypto.subtle.exportKey(.jwk, verifier).alg == "PS256")
        let spki = try await crypto.subtle.exportKey(.spki, verifier)
        let fromSPKI = try await crypto.subtle.importKey(.spki, spki, .rsaPss(hash: "SHA-256"), false, [.verify])
        #expect(try await crypto.subtle.verify(.rsaPss(saltLength: 32), fromSPKI, signature, utf8("data")))
        await expectTypeError("Failed to provide salt for RSA-PSS key operation which requires a salt") {
            _ = try await crypto.subtle.sign("RSA-PSS", pss, utf8("data"))
        }
        await expectDOMException("DataError", "JSON Web Key Algorithm parameter \"alg\" (\"RS256\") does not match requested hash algorithm \"RS256\".") {
            var jwk = SubtleCryptoJWTTests.rsaJWK
            jwk.alg = "RS256"
            _ = try await crypto.subtle.importKey(.jwk, jwk, .rsassaPkcs1v1_5(hash: "SHA-384"), false, [.verify])
        }
        await expectDOMException("DataError", "Invalid RSA key in JSON Web Key; missing or invalid Exponent parameter (\"e\").") {
            var jwk = SubtleCryptoJWTTests.rsaJWK
            jwk.e = nil
            _ = try await crypto.subtle.importKey(.jwk, jwk, .rsassaPkcs1v1_5(hash: "SHA-256"), false, [.verify])
        }
        await expectDOMException("InvalidAccessError", "Cannot export \"RSA-PSS\" in \"raw\" format.") {
            _ = try await crypto.subtle.exportKey(.raw, verifier)
        }
        await expectDOMException("DataError", "Input was not an RSA key") {
            _ = try await crypto.subtle.importKey(.spki, Self.p256SPKI, .rsassaPkcs1v1_5(hash: "SHA-256"), false, [.verify])
        }
    }
}
