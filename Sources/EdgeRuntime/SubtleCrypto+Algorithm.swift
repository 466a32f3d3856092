extension SubtleCrypto {
    /// An algorithm argument of `crypto.subtle`: the JavaScript dictionary `{ name, ...params }`
    /// (`HmacImportParams`, `AesGcmParams`, `EcdsaParams`, `Pbkdf2Params`, ...) as one struct whose
    /// members keep the dictionaries' names. A bare name reads as in JavaScript (`"HMAC"`), a
    /// dictionary as `Algorithm(name: "HMAC", hash: "SHA-256")` or a shorthand such as
    /// `.hmac(hash: "SHA-256")`. Names and hash names compare case-insensitively, as on Workers.
    public struct Algorithm: Sendable, ExpressibleByStringLiteral {
        /// `name`, e.g. `"AES-GCM"`.
        public var name: String
        /// `hash`, e.g. `"SHA-256"` (HMAC, RSA, ECDSA at sign time, PBKDF2, HKDF).
        public var hash: String?
        /// `length` in bits: of an HMAC or AES key, or of AES-CTR's counter.
        public var length: Int?
        /// `namedCurve`: `"P-256"`, `"P-384"` (ECDSA, ECDH), `"NODE-ED25519"` (NODE-ED25519).
        public var namedCurve: String?
        /// `iv` (AES-GCM, AES-CBC).
        public var iv: [UInt8]?
        /// `additionalData` (AES-GCM).
        public var additionalData: [UInt8]?
        /// `tagLength` in bits (AES-GCM; 128 when absent).
        public var tagLength: Int?
        /// `counter`: the initial counter block, 16 bytes (AES-CTR).
        public var counter: [UInt8]?
        /// `salt` (PBKDF2, HKDF).
        public var salt: [UInt8]?
        /// `info` (HKDF).
        public var info: [UInt8]?
        /// `iterations` (PBKDF2).
        public var iterations: Int?
        /// `saltLength` in bytes (RSA-PSS).
        public var saltLength: Int?
        /// `public`: the peer's public key (ECDH, X25519).
        public var `public`: CryptoKey?
        /// `modulusLength` in bits (RSA generateKey).
        public var modulusLength: Int?
        /// `publicExponent`, big-endian (RSA generateKey), e.g. `[1, 0, 1]`.
        public var publicExponent: [UInt8]?
        /// `label` (RSA-OAEP encrypt, decrypt).
        public var label: [UInt8]?

        /// `{ name, ...params }`; give only the members the algorithm takes.
        public init(name: String, hash: String? = nil, length: Int? = nil, namedCurve: String? = nil,
                    iv: [UInt8]? = nil, additionalData: [UInt8]? = nil, tagLength: Int? = nil,
                    counter: [UInt8]? = nil, salt: [UInt8]? = nil, info: [UInt8]? = nil,
                    iterations: Int? = nil, saltLength: Int? = nil, public: CryptoKey? = nil,
                    modulusLength: Int? = nil, publicExponent: [UInt8]? = nil, label: [UInt8]? = nil) {
            self.name = name
            self.hash = hash
            self.length = length
            self.namedCurve = namedCurve
            self.iv = iv
            self.additionalData = additionalData
            self.tagLength = tagLength
            self.counter = counter
            self.salt = salt
            self.info = info
            self.iterations = iterations
            self.saltLength = saltLength
            self.public = `public`
            self.modulusLength = modulusLength
            self.publicExponent = publicExponent
            self.label = label
        }

        /// A bare algorithm name, as `crypto.subtle.sign("HMAC", key, data)`.
        public init(stringLiteral name: String) {
            self.init(name: name)
        }
    }
}

extension SubtleCrypto.Algorithm {
    /// `{ name: "HMAC", hash, length }` (import, generate).
    public static func hmac(hash: String, length: Int? = nil) -> Self { Self(name: "HMAC", hash: hash, length: length) }
    /// `{ name: "AES-GCM", iv, additionalData, tagLength }` (encrypt, decrypt).
    public static func aesGcm(iv: [UInt8], additionalData: [UInt8]? = nil, tagLength: Int? = nil) -> Self {
        Self(name: "AES-GCM", iv: iv, additionalData: additionalData, tagLength: tagLength)
    }
    /// `{ name: "AES-CBC", iv }` (encrypt, decrypt).
    public static func aesCbc(iv: [UInt8]) -> Self { Self(name: "AES-CBC", iv: iv) }
    /// `{ name: "AES-CTR", counter, length }` (encrypt, decrypt).
    public static func aesCtr(counter: [UInt8], length: Int) -> Self { Self(name: "AES-CTR", length: length, counter: counter) }
    /// `{ name: "ECDSA", namedCurve }` (import, generate).
    public static func ecdsa(namedCurve: String) -> Self { Self(name: "ECDSA", namedCurve: namedCurve) }
    /// `{ name: "ECDSA", hash }` (sign, verify).
    public static func ecdsa(hash: String) -> Self { Self(name: "ECDSA", hash: hash) }
    /// `{ name: "ECDH", namedCurve }` (import, generate).
    public static func ecdh(namedCurve: String) -> Self { Self(name: "ECDH", namedCurve: namedCurve) }
    /// `{ name: "ECDH", public }` (deriveBits, deriveKey).
    public static func ecdh(public key: CryptoKey) -> Self { Self(name: "ECDH", public: key) }
    /// `{ name: "X25519", public }` (deriveBits, deriveKey).
    public static func x25519(public key: CryptoKey) -> Self { Self(name: "X25519", public: key) }
    /// `{ name: "RSASSA-PKCS1-v1_5", hash }` (import).
    public static func rsassaPkcs1v1_5(hash: String) -> Self { Self(name: "RSASSA-PKCS1-v1_5", hash: hash) }
    /// `{ name: "RSA-PSS", hash }` (import).
    public static func rsaPss(hash: String) -> Self { Self(name: "RSA-PSS", hash: hash) }
    /// `{ name: "RSA-PSS", saltLength }` (sign, verify).
    public static func rsaPss(saltLength: Int) -> Self { Self(name: "RSA-PSS", saltLength: saltLength) }
    /// `{ name: "RSA-OAEP", hash }` (import, generate with `modulusLength` and `publicExponent`).
    public static func rsaOaep(hash: String) -> Self { Self(name: "RSA-OAEP", hash: hash) }
    /// `{ name: "RSA-OAEP", label }` (encrypt, decrypt).
    public static func rsaOaep(label: [UInt8]? = nil) -> Self { Self(name: "RSA-OAEP", label: label) }
    /// `{ name: "PBKDF2", hash, salt, iterations }` (deriveBits, deriveKey).
    public static func pbkdf2(hash: String, salt: [UInt8], iterations: Int) -> Self {
        Self(name: "PBKDF2", hash: hash, salt: salt, iterations: iterations)
    }
    /// `{ name: "HKDF", hash, salt, info }` (deriveBits, deriveKey).
    public static func hkdf(hash: String, salt: [UInt8], info: [UInt8]) -> Self {
        Self(name: "HKDF", hash: hash, salt: salt, info: info)
    }
}
