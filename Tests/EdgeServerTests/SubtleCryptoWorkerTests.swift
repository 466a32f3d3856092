import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Testing

/// A worker that checks what production's handlers check with Web Crypto: a GitHub webhook's
/// `X-Hub-Signature-256` under a secret from `env`, and an ES256 bearer token under a public JWK
/// from `env`. Each check is the TypeScript a Worker runs, line for line.
struct WebhookWorker: Worker {
    struct Env: WorkerEnv {
        let WEBHOOK_SECRET: String
        let JWT_PUBLIC_JWK: String
        init(bindings: Bindings) throws {
            WEBHOOK_SECRET = try bindings.text("WEBHOOK_SECRET")
            JWT_PUBLIC_JWK = try bindings.text("JWT_PUBLIC_JWK")
        }
    }

    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        switch request.path {
        case "/webhook":
            let signature = request.headers.get("x-hub-signature-256") ?? ""
            let body = try await request.text()
            let key = try await crypto.subtle.importKey(.raw, Array(env.WEBHOOK_SECRET.utf8), .hmac(hash: "SHA-256"), false, [.verify])
            let expected = Array(signature.dropFirst("sha256=".count).utf8)
            guard signature.hasPrefix("sha256="), let mac = bytes(hex: expected),
                  try await crypto.subtle.verify("HMAC", key, mac, Array(body.utf8)) else {
                return Response("bad signature", status: .unauthorized)
            }
            return Response("ok")
        case "/me":
            let token = String((request.headers.get("authorization") ?? "").dropFirst("Bearer ".count))
            let jwk = try JSONDecoder().decode(JsonWebKey.self, from: Data(env.JWT_PUBLIC_JWK.utf8))
            let key = try await crypto.subtle.importKey(.jwk, jwk, .ecdsa(namedCurve: "P-256"), false, [.verify])
            let parts = token.split(separator: ".").map(String.init)
            guard parts.count == 3, let signature = base64url(parts[2]), let payload = base64url(parts[1]),
                  try await crypto.subtle.verify(.ecdsa(hash: "SHA-256"), key, signature, Array("\(parts[0]).\(parts[1])".utf8)) else {
                return Response("bad token", status: .unauthorized)
            }
            return Response(String(decoding: payload, as: UTF8.self))
        default:
            return Response("not found", status: .notFound)
        }
    }

    private func base64url(_ text: String) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }

    private func bytes(hex: [UInt8]) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        return stride(from: 0, to: hex.count, by: 2).compactMap { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16) }
    }
}

@Suite("Web Crypto in a worker, over real sockets")
struct SubtleCryptoWorkerTests {
    func withWorker(_ body: (TestClient) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-crypto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("wrangler-like.toml")
        let toml = #"""
            name = "crypto"
            compatibility_date = "2026-10-01"

            [vars]
            WEBHOOK_SECRET = "It's a Secret to Everybody"
            JWT_PUBLIC_JWK = '{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}'
            """#
        try Data(toml.utf8).write(to: file)
        let config = try WranglerConfig.load(from: file).config
        try await Emulator.test(.live, config: config, module: WorkerModule(WebhookWorker(), durableObjects: [])) { client in
            try await body(client)
        }
    }

    /// GitHub's documented delivery (secret, body, signature), then the same body changed.
    @Test func webhookSignature() async throws {
        try await withWorker { client in
            let headers: Headers = ["x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"]
            #expect(try await client.execute(.post, "/webhook", headers: headers, text: "Hello, World!").text == "ok")
            let forged = try await client.execute(.post, "/webhook", headers: headers, text: "Hello, World?")
            #expect(forged.status == .unauthorized)
        }
    }

    /// RFC 7515 §A.3's ES256 token as a bearer token; a token with another payload is refused.
    @Test func bearerToken() async throws {
        try await withWorker { client in
            let token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
            let response = try await client.execute(.get, "/me", headers: ["authorization": "Bearer \(token)"])
            #expect(response.status == .ok && response.text.hasPrefix("{\"iss\":\"joe\""))
            let forged = token.replacingOccurrences(of: ".eyJpc3Mi", with: ".eyJpc3Nh")
            #expect(try await client.execute(.get, "/me", headers: ["authorization": "Bearer \(forged)"]).status == .unauthorized)
        }
    }
}
