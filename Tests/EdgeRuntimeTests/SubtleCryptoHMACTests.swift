import EdgeRuntime
import Foundation
import Testing

@Suite struct SubtleCryptoHMACTests {
    /// RFC 4231 §4.2, §4.3 and §4.7 (test cases 1, 2 and 6) and RFC 2202 §3 test case 1 (SHA-1).
    @Test(arguments: [
        ("SHA-256", String(repeating: "0b", count: 20), "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("SHA-384", String(repeating: "0b", count: 20), "Hi There",
         "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"),
        ("SHA-512", String(repeating: "0b", count: 20), "Hi There",
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
        ("SHA-256", "4a656665", "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ("SHA-256", String(repeating: "aa", count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ("SHA-1", String(repeating: "0b", count: 20), "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"),
    ])
    func rfcVectors(hash: String, key: String, data: String, mac: String) async throws {
        let cryptoKey = try await crypto.subtle.importKey(.raw, hex(key), .hmac(hash: hash), false, [.sign, .verify])
        #expect(try await crypto.subtle.sign("HMAC", cryptoKey, utf8(data)).hexString == mac)
        #expect(try await crypto.subtle.verify("HMAC", cryptoKey, hex(mac), utf8(data)))
        var tampered = hex(mac)
        tampered[0] ^= 1
        #expect(try await crypto.subtle.verify("HMAC", cryptoKey, tampered, utf8(data)) == false)
        #expect(cryptoKey.algorithm.name == "HMAC" && cryptoKey.algorithm.hash?.name == hash)
        #expect(cryptoKey.algorithm.length == hex(key).count * 8)
        #expect(cryptoKey.type == .secret && cryptoKey.usages == [.sign, .verify])
    }

    /// GitHub's "Validating webhook deliveries" example (secret, payload and `X-Hub-Signature-256`
    /// as GitHub's docs print them), verified by the TypeScript those docs give, ported line for line.
    @Test func gitHubWebhookSignature() async throws {
        func verifySignature(_ secret: String, _ header: String, _ payload: String) async throws -> Bool {
            let parts = header.split(separator: "=")                                  // let parts = header.split("=");
            let sigHex = String(parts[1])                                             // let sigHex = parts[1];
            let algorithm = SubtleCrypto.Algorithm(name: "HMAC", hash: "SHA-256")     // let algorithm = { name: "HMAC", hash: { name: 'SHA-256' } };
            let keyBytes = utf8(secret)                                               // let keyBytes = encoder.encode(secret);
            let extractable = false                                                   // let extractable = false;
            let key = try await crypto.subtle.importKey(.raw, keyBytes, algorithm, extractable, [.sign, .verify])
            let sigBytes = hex(sigHex)                                                // let sigBytes = hexToBytes(sigHex);
            let dataBytes = utf8(payload)                                             // let dataBytes = encoder.encode(payload);
            return try await crypto.subtle.verify(.init(name: algorithm.name), key, sigBytes, dataBytes)
        }
        let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(try await verifySignature("It's a Secret to Everybody", header, "Hello, World!"))
        #expect(try await verifySignature("It's a Secret to Everybody", header, "Hello, World?") == false)
        #expect(try await verifySignature("another secret", header, "Hello, World!") == false)
    }

    /// A Stripe-style `Stripe-Signature: t=<timestamp>,v1=<hex HMAC-SHA256 of "<t>.<body>">` check.
    @Test func stripeStyleWebhookSignature() async throws {
        let secret = "whsec_test_secret"
        let body = #"{"id":"evt_1","type":"payment_intent.succeeded"}"#
        let signingKey = try await crypto.subtle.importKey(.raw, utf8(secret), .hmac(hash: "SHA-256"), false, [.sign])
        let v1 = try await crypto.subtle.sign("HMAC", signingKey, utf8("1492774577.\(body)")).hexString
        let header = "t=1492774577,v1=\(v1)"

        func verifyStripe(_ header: String, _ body: String, _ secret: String, now: Int) async throws -> Bool {
            var fields: [String: String] = [:]
            for item in header.split(separator: ",") {
                let pair = item.split(separator: "=", maxSplits: 1)
                fields[String(pair[0])] = String(pair[1])
            }
            guard let t = fields["t"], let signature = fields["v1"], let timestamp = Int(t),
                  abs(now - timestamp) <= 300 else { return false }
            let key = try await crypto.subtle.importKey(.raw, utf8(secret), .hmac(hash: "SHA-256"), false, [.verify])
            return try await crypto.subtle.verify("HMAC", key, hex(signature), utf8("\(t).\(body)"))
        }
        #expect(try await verifyStripe(header, body, secret, now: 1492774600))
        #expect(try await verifyStripe(header, body + " ", secret, now: 1492774600) == false)
        #expect(try await verifyStripe(header, body, secret, now: 1492775600) == false)
    }

    @Test func jwkRoundTripAndGeneratedKeys() async throws {
        let key = try await crypto.subtle.generateKey(.hmac(hash: "SHA-512"), true, [.sign, .verify]) as CryptoKey
        #expect(key.algorithm.length == 1024)
        let jwk = try await crypto.subtle.exportKey(.jwk, key)
        #expect(jwk.kty == "oct" && jwk.alg == "HS512" && jwk.ext == true && jwk.key_ops == ["sign", "verify"])
        let raw = try await crypto.subtle.exportKey(.raw, key)
        #expect(raw.count == 128 && jwk.k == raw.base64URLString)
        let imported = try await crypto.subtle.importKey(.jwk, jwk, .hmac(hash: "SHA-512"), false, [.verify])
        let signature = try await crypto.subtle.sign("HMAC", key, utf8("data"))
        #expect(try await crypto.subtle.verify("HMAC", imported, signature, utf8("data")))
    }

    /// workerd's texts: crypto.c++ `validateOperation` and `CryptoKeyUsageSet::validate`,
    /// digest.c++ `importHmac`, crypto.c++ `SubtleCrypto::exportKey`.
    @Test func errorsAsWorkersThrowsThem() async throws {
        let verifyOnly = try await crypto.subtle.importKey(.raw, utf8("secret"), .hmac(hash: "SHA-256"), false, [.verify])
        await expectDOMException("InvalidAccessError", "Requested key usage \"sign\" does not match any usage listed in this CryptoKey.") {
            _ = try await crypto.subtle.sign("HMAC", verifyOnly, utf8("data"))
        }
        await expectDOMException("InvalidAccessError", "Requested algorithm \"ECDSA\" does not match this CryptoKey's algorithm \"HMAC\".") {
            _ = try await crypto.subtle.verify(.ecdsa(hash: "SHA-256"), verifyOnly, [], utf8("data"))
        }
        await expectDOMException("InvalidAccessError", "Attempt to export non-extractable HMAC key.") {
            _ = try await crypto.subtle.exportKey(.raw, verifyOnly)
        }
        await expectDOMException("SyntaxError", "Attempt to import secret HMAC key with invalid usage \"encrypt\".") {
            _ = try await crypto.subtle.importKey(.raw, utf8("secret"), .hmac(hash: "SHA-256"), false, [.encrypt])
        }
        await expectDOMException("SyntaxError", "Secret/private CryptoKeys must have at least one usage.") {
            _ = try await crypto.subtle.importKey(.raw, utf8("secret"), .hmac(hash: "SHA-256"), false, [])
        }
        await expectDOMException("DataError",
            "Imported HMAC key length (100) must be a non-zero value up to 7 bits less than, and no greater than, the bit length of the raw key data (48).") {
            _ = try await crypto.subtle.importKey(.raw, utf8("secret"), .hmac(hash: "SHA-256", length: 100), false, [.sign])
        }
        await expectDOMException("DataError",
            "HMAC \"jwk\" key import specifies \"alg\" that is incompatible with the hash name (encountered \"HS512\", expected \"HS256\").") {
            _ = try await crypto.subtle.importKey(.jwk, JsonWebKey(kty: "oct", alg: "HS512", k: "c2VjcmV0"), .hmac(hash: "SHA-256"), false, [.sign])
        }
        await expectDOMException("DataError", "JWK ext field for \"HMAC\" is set to false but extractable is true") {
            _ = try await crypto.subtle.importKey(.jwk, JsonWebKey(kty: "oct", ext: false, k: "c2VjcmV0"), .hmac(hash: "SHA-256"), true, [.sign])
        }
        await expectDOMException("NotSupportedError", "Unrecognized key import format \"spki\".") {
            _ = try await crypto.subtle.importKey(.spki, utf8("secret"), .hmac(hash: "SHA-256"), false, [.sign])
        }
        await expectDOMException("NotSupportedError", "Unrecognized or unimplemented digest algorithm requested.") {
            _ = try await crypto.subtle.importKey(.raw, utf8("secret"), .hmac(hash: "SHA-3"), false, [.sign])
        }
        await expectDOMException("NotSupportedError", "Unrecognized key import algorithm \"HMAC-SHA256\" requested.") {
            _ = try await crypto.subtle.importKey(.raw, utf8("secret"), "HMAC-SHA256", false, [.sign])
        }
        await expectDOMException("OperationError",
            "HMAC key length must be a non-zero unsigned long integer (requested 9223372036854775807).") {
            _ = try await crypto.subtle.generateKey(.hmac(hash: "SHA-256", length: Int.max), true, [.sign]) as CryptoKey
        }
        await expectTypeError("Missing field \"hash\" in \"algorithm\".") {
            _ = try await crypto.subtle.importKey(.raw, utf8("secret"), "HMAC", false, [.sign])
        }
    }
}

@Suite struct SubtleCryptoDigestTests {
    /// FIPS 180-2 appendix B.1 / C.1 / D.1 ("abc"), RFC 3174 §7.3 TEST1 and RFC 1321 §A.5.
    @Test func digestsByTheirJavaScriptNames() async throws {
        #expect(try await crypto.subtle.digest("SHA-256", utf8("abc")).hexString
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try await crypto.subtle.digest("sha-1", utf8("abc")).hexString == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(try await crypto.subtle.digest("SHA-384", utf8("abc")).hexString
            == "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
        #expect(try await crypto.subtle.digest("MD5", utf8("abc")).hexString == "900150983cd24fb0d6963f7d28e17f72")
        #expect(try await crypto.subtle.digest("SHA-512", utf8("abc")) == crypto.subtle.digest(.sha512, utf8("abc")))
        await expectDOMException("NotSupportedError", "Unrecognized or unimplemented digest algorithm requested.") {
            _ = try await crypto.subtle.digest("SHA-3", utf8("abc"))
        }
    }
}
