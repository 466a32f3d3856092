import Crypto
import EdgeRuntime

/// Makes and checks the ids of one namespace exactly as workerd's `ActorIdFactoryImpl` does
/// (`src/workerd/server/actor-id-impl.c++`), so ids here equal the ones `wrangler dev` shows:
///
/// - `key = SHA-256(uniqueKey)`, with Miniflare's `uniqueKey = "<workerName>-<ClassName>"`;
/// - an id is 32 bytes: 16 bytes that identify the object, then a 16-byte MAC of them,
///   `HMAC-SHA256(key, first16)[0..<16]`, which is how `idFromString` knows an id belongs to
///   this namespace;
/// - `idFromName(name)`: the first 16 bytes are `HMAC-SHA256(key, name)[0..<16]`;
/// - `newUniqueId()`: the first 16 bytes are random.
struct ActorIdFactory: Sendable {
    private let key: SymmetricKey

    init(uniqueKey: String) {
        key = SymmetricKey(data: Array(SHA256.hash(data: Array(uniqueKey.utf8))))
    }

    /// `ns.idFromName(name)`.
    func idFromName(_ name: String) -> DurableObjectId {
        let first = Array(HMAC<SHA256>.authenticationCode(for: Array(name.utf8), using: key).prefix(16))
        return DurableObjectId(hex: (first + mac(of: first)).hexString, name: name)
    }

    /// `ns.newUniqueId()`.
    func newUniqueId() -> DurableObjectId {
        let first = crypto.randomBytes(16)
        return DurableObjectId(hex: (first + mac(of: first)).hexString, name: nil)
    }

    /// `ns.idFromString(hex)`, with workerd's two `TypeError`s.
    func idFromString(_ text: String, name: String? = nil) throws(DurableObjectError) -> DurableObjectId {
        guard let bytes = Self.bytes(ofHex: text) else { throw .invalidIdFormat }
        guard Array(bytes[16...]) == mac(of: Array(bytes[..<16])) else { throw .idNotInNamespace }
        return DurableObjectId(hex: bytes.hexString, name: name)
    }

    /// Whether `id` was made by this namespace (its MAC matches).
    func owns(_ id: DurableObjectId) -> Bool {
        // Checked on every stub call: only the MAC, without building a new id.
        guard let bytes = Self.bytes(ofHex: id.hex) else { return false }
        return Array(bytes[16...]) == mac(of: Array(bytes[..<16]))
    }

    private func mac(of first: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: first, using: key).prefix(16))
    }

    /// The 32 bytes of a 64-hex-digit string (either case), or `nil`.
    static func bytes(ofHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
