import EdgeRuntime
import Foundation
import Testing

/// Verifying a JWT as a Worker does, the function ported line for line from its TypeScript:
///
/// ```ts
/// async function verifyJWT(token: string, key: CryptoKey, algorithm: AlgorithmIdentifier) {
///   const [header, payload, signature] = token.split(".");
///   const data = new TextEncoder().encode(`${header}.${payload}`);
///   return crypto.subtle.verify(algorithm, key, base64url(signature), data);
/// }
/// ```
func verifyJWT(_ token: String, _ key: CryptoKey, _ algorithm: SubtleCrypto.Algorithm) async throws -> Bool {
    let parts = token.split(separator: ".").map(String.init)
    let (header, payload, signature) = (parts[0], parts[1], parts[2])
    let data = utf8("\(header).\(payload)")
    return try await crypto.subtle.verify(algorithm, key, base64url(signature), data)
}

/// The JWS algorithms' Web Crypto parameters, as a Worker's JWT library maps them.
let jwsAlgorithms: [String: SubtleCrypto.Algorithm] = [
    "HS256": "HMAC", "RS256": "RSASSA-PKCS1-v1_5", "ES256": .ecdsa(hash: "SHA-256"), "EdDSA": "Ed25519",
    "PS256": .rsaPss(saltLength: 32),
]

/// RFC 7515 appendix A's examples (HS256, RS256, ES256) and RFC 8037 §A.4 (EdDSA), verified
/// with keys imported from the JWKs the RFCs print; then tokens of each kind signed and verified.
@Suite struct SubtleCryptoJWTTests {
    /// RFC 7515 §A.1-A.3: the payload `{"iss":"joe",...}` as the RFC encodes it (CRLFs included).
    static let payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"

    /// RFC 7515 §A.2.1's RSA key.
    static let rsaJWK = JsonWebKey(
        kty: "RSA",
        n: "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
        e: "AQAB",
        k: nil)
    static let rsaPrivateJWK: JsonWebKey = {
        var jwk = rsaJWK
        jwk.d = "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ"
        jwk.p = "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc"
        jwk.q = "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc"
        jwk.dp = "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0"
        jwk.dq = "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU"
        jwk.qi = "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U"
        return jwk
    }()

    /// RFC 7515 §A.3.1's P-256 key.
    static let ecJWK = JsonWebKey(kty: "EC", crv: "P-256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                                  y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")

    /// RFC 8037 §A.1's Ed25519 key.
    static let okpJWK = JsonWebKey(kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")

    @Test func hs256OfRFC7515AppendixA1() async throws {
        let jwk = JsonWebKey(kty: "oct", k: "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
        let key = try await crypto.subtle.importKey(.jwk, jwk, .hmac(hash: "SHA-256"), false, [.sign, .verify])
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.\(Self.payload).dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        #expect(try await verifyJWT(token, key, jwsAlgorithms["HS256"]!))
        let signature = try await crypto.subtle.sign("HMAC", key, utf8("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.\(Self.payload)"))
        #expect(signature.base64URLString == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
    }

    /// PKCS #1 v1.5 is deterministic, so signing with §A.2's private key gives the RFC's signature.
    @Test func rs256OfRFC7515AppendixA2() async throws {
        let signature = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
        let token = "eyJhbGciOiJSUzI1NiJ9.\(Self.payload).\(signature)"
        let publicKey = try await crypto.subtle.importKey(.jwk, Self.rsaJWK, .rsassaPkcs1v1_5(hash: "SHA-256"), false, [.verify])
        #expect(publicKey.algorithm.modulusLength == 2048 && publicKey.algorithm.publicExponent == [1, 0, 1])
        #expect(try await verifyJWT(token, publicKey, jwsAlgorithms["RS256"]!))
        #expect(try await verifyJWT("eyJhbGciOiJSUzI1NiJ9.e30.\(signature)", publicKey, jwsAlgorithms["RS256"]!) == false)

        let privateKey = try await crypto.subtle.importKey(.jwk, Self.rsaPrivateJWK, .rsassaPkcs1v1_5(hash: "SHA-256"), true, [.sign])
        let signed = try await crypto.subtle.sign("RSASSA-PKCS1-v1_5", privateKey, utf8("eyJhbGciOiJSUzI1NiJ9.\(Self.payload)"))
        #expect(signed.base64URLString == signature)
        let exported = try await crypto.subtle.exportKey(.jwk, privateKey)
        #expect(exported.n == Self.rsaPrivateJWK.n && exported.d == Self.rsaPrivateJWK.d && exported.qi == Self.rsaPrivateJWK.qi)
        #expect(exported.alg == "RS256" && exported.key_ops == ["sign"])
    }

    /// §A.3's signature is the 64-byte `r || s` (IEEE P1363) Web Crypto verifies, not DER.
    @Test func es256OfRFC7515AppendixA3() async throws {
        let token = "eyJhbGciOiJFUzI1NiJ9.\(Self.payload).DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
        let key = try await crypto.subtle.importKey(.jwk, Self.ecJWK, .ecdsa(namedCurve: "P-256"), false, [.verify])
        #expect(try await verifyJWT(token, key, jwsAlgorithms["ES256"]!))
        #expect(try await verifyJWT(token.replacingOccurrences(of: "DtEh", with: "DtEi"), key, jwsAlgorithms["ES256"]!) == false)
    }

    /// RFC 8037 §A.4: Ed25519 is deterministic, so the signature is reproduced exactly.
    @Test func edDSAOfRFC8037AppendixA4() async throws {
        let signature = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
        let token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.\(signature)"
        let publicKey = try await crypto.subtle.importKey(.jwk, Self.okpJWK, "Ed25519", false, [.verify])
        #expect(try await verifyJWT(token, publicKey, jwsAlgorithms["EdDSA"]!))
        var privateJWK = Self.okpJWK
        privateJWK.d = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
        let privateKey = try await crypto.subtle.importKey(.jwk, privateJWK, "Ed25519", false, [.sign])
        let signed = try await crypto.subtle.sign("Ed25519", privateKey, utf8("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"))
        #expect(signed.base64URLString == signature)
        let nodeKey = try await crypto.subtle.importKey(
            .jwk, Self.okpJWK, .init(name: "NODE-ED25519", namedCurve: "NODE-ED25519"), false, [.verify])
        #expect(try await verifyJWT(token, nodeKey, "NODE-ED25519"))
    }

    /// A token of each kind signed with generated keys verifies, and a changed payload does not.
    @Test(arguments: ["HS256", "RS256", "PS256", "ES256", "EdDSA"])
    func signedTokensVerify(alg: String) async throws {
        let algorithm = jwsAlgorithms[alg]!
        let signingKey: CryptoKey
        let verifyingKey: CryptoKey
        switch alg {
        case "HS256":
            signingKey = try await crypto.subtle.generateKey(.hmac(hash: "SHA-256"), false, [.sign, .verify]) as CryptoKey
            verifyingKey = signingKey
        default:
            let generate: SubtleCrypto.Algorithm = switch alg {
            case "RS256": .init(name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 2048, publicExponent: [1, 0, 1])
            case "PS256": .init(name: "RSA-PSS", hash: "SHA-256", modulusLength: 2048, publicExponent: [1, 0, 1])
            case "ES256": .ecdsa(namedCurve: "P-256")
            default: "Ed25519"
            }
            let pair = try await crypto.subtle.generateKey(generate, false, [.sign, .verify]) as CryptoKeyPair
            (signingKey, verifyingKey) = (pair.privateKey, pair.publicKey)
        }
        let header = utf8(#"{"alg":"\#(alg)","typ":"JWT"}"#).base64URLString
        let payload = utf8(#"{"sub":"order-42"}"#).base64URLString
        let signature = try await crypto.subtle.sign(algorithm, signingKey, utf8("\(header).\(payload)"))
        #expect(try await verifyJWT("\(header).\(payload).\(signature.base64URLString)", verifyingKey, algorithm))
        let forged = utf8(#"{"sub":"order-43"}"#).base64URLString
        #expect(try await verifyJWT("\(header).\(forged).\(signature.base64URLString)", verifyingKey, algorithm) == false)
    }
}
