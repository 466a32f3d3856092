import Foundation

/// `JsonWebKey` (RFC 7517, with the members of RFC 7518 and RFC 8037), as `importKey("jwk", ...)`
/// takes it and `exportKey("jwk", key)` returns it. Decodes from and encodes to JSON with the
/// members' own names (`key_ops`, `kty`, ...), so a JWKS document decodes into `[JsonWebKey]`.
public struct JsonWebKey: Codable, Sendable, Equatable {
    /// `kty`: `"oct"`, `"EC"`, `"OKP"` or `"RSA"`.
    public var kty: String?
    /// `use`: `"sig"` or `"enc"`.
    public var use: String?
    /// `key_ops`.
    public var key_ops: [String]?
    /// `alg`, e.g. `"HS256"`, `"ES256"`, `"RS256"`, `"EdDSA"`.
    public var alg: String?
    /// `ext`.
    public var ext: Bool?
    /// `kid` (not read by Web Crypto; kept so a JWKS entry can be picked by it).
    public var kid: String?
    /// `crv` (EC, OKP).
    public var crv: String?
    /// `x`, `y` (EC public point), `d` (EC, OKP, RSA private), base64url.
    public var x: String?
    /// `y`.
    public var y: String?
    /// `d`.
    public var d: String?
    /// `n`, `e` (RSA public), `p`, `q`, `dp`, `dq`, `qi` (RSA private), base64url.
    public var n: String?
    /// `e`.
    public var e: String?
    /// `p`.
    public var p: String?
    /// `q`.
    public var q: String?
    /// `dp`.
    public var dp: String?
    /// `dq`.
    public var dq: String?
    /// `qi`.
    public var qi: String?
    /// `k` (oct), base64url.
    public var k: String?

    /// A JWK with the given members, e.g. `JsonWebKey(kty: "oct", k: "...")`.
    public init(kty: String? = nil, use: String? = nil, key_ops: [String]? = nil, alg: String? = nil,
                ext: Bool? = nil, kid: String? = nil, crv: String? = nil, x: String? = nil, y: String? = nil,
                d: String? = nil, n: String? = nil, e: String? = nil, p: String? = nil, q: String? = nil,
                dp: String? = nil, dq: String? = nil, qi: String? = nil, k: String? = nil) {
        self.kty = kty
        self.use = use
        self.key_ops = key_ops
        self.alg = alg
        self.ext = ext
        self.kid = kid
        self.crv = crv
        self.x = x
        self.y = y
        self.d = d
        self.n = n
        self.e = e
        self.p = p
        self.q = q
        self.dp = dp
        self.dq = dq
        self.qi = qi
        self.k = k
    }
}

/// Decodes base64url (RFC 4648 §5), with or without `=` padding; `nil` when `text` is not
/// base64url.
func base64URLDecode(_ text: String) -> [UInt8]? {
    var base64 = ""
    base64.reserveCapacity(text.utf8.count + 3)
    for character in text.utf8 {
        switch character {
        case UInt8(ascii: "-"): base64.append("+")
        case UInt8(ascii: "_"): base64.append("/")
        case UInt8(ascii: "+"), UInt8(ascii: "/"): return nil
        default: base64.unicodeScalars.append(Unicode.Scalar(character))
        }
    }
    while base64.utf8.count % 4 != 0 { base64.append("=") }
    return Data(base64Encoded: base64).map(Array.init)
}
