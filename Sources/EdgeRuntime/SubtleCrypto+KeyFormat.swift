extension SubtleCrypto {
    /// The `format` of `importKey` / `exportKey` / `wrapKey` / `unwrapKey`: `.raw`, `.spki` and
    /// `.pkcs8` carry bytes, `.jwk` a `JsonWebKey`, so `exportKey(.jwk, key)` returns a
    /// `JsonWebKey` and `exportKey(.raw, key)` bytes, as in JavaScript.
    public struct KeyFormat<KeyData: Sendable>: Sendable {
        /// `"raw"`, `"spki"`, `"pkcs8"` or `"jwk"`.
        public let name: String
    }
}

extension SubtleCrypto.KeyFormat where KeyData == [UInt8] {
    /// `"raw"`: a secret key's bytes, or an EC / Ed25519 / X25519 public key's point.
    public static var raw: Self { Self(name: "raw") }
    /// `"spki"`: a DER SubjectPublicKeyInfo.
    public static var spki: Self { Self(name: "spki") }
    /// `"pkcs8"`: a DER PKCS #8 PrivateKeyInfo.
    public static var pkcs8: Self { Self(name: "pkcs8") }
}

extension SubtleCrypto.KeyFormat where KeyData == JsonWebKey {
    /// `"jwk"`: a JSON Web Key (RFC 7517).
    public static var jwk: Self { Self(name: "jwk") }
}
