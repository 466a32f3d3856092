/// `btoa(data)`: base64 of a "binary string", each character one byte (U+0000 to U+00FF).
///
/// - Throws: `DOMException` `InvalidCharacterError` with workerd's text for a character past
///   U+00FF (encode text as UTF-8 bytes first, as in JavaScript: `[UInt8](s.utf8).toBase64()`).
public func btoa(_ data: String) throws -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(data.unicodeScalars.count)
    for scalar in data.unicodeScalars {
        guard scalar.value <= 0xFF else {
            // workerd, src/workerd/api/global-scope.c++, ServiceWorkerGlobalScope::btoa.
            throw DOMException(
                "btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.",
                name: "InvalidCharacterError")
        }
        bytes.append(UInt8(scalar.value))
    }
    return bytes.toBase64()
}

/// `atob(data)`: decodes base64 into a "binary string", each byte one character (U+0000 to
/// U+00FF), by the WHATWG "forgiving-base64 decode": ASCII whitespace is skipped, and the `=`
/// padding may be left out.
///
/// - Throws: `DOMException` `InvalidCharacterError` with workerd's text for anything else.
public func atob(_ data: String) throws -> String {
    guard let bytes = Base64.decode(data, alphabet: .base64, forgiving: true) else {
        // workerd, src/workerd/api/global-scope.c++, ServiceWorkerGlobalScope::atob.
        throw DOMException(
            "atob() called with invalid base64-encoded data. (Only whitespace, '+', '/', alphanumeric ASCII, "
                + "and up to two terminal '=' signs when the input data length is divisible by 4 are allowed.)",
            name: "InvalidCharacterError")
    }
    var text = String.UnicodeScalarView()
    text.append(contentsOf: bytes.map { Unicode.Scalar($0) })
    return String(text)
}

/// The two base64 alphabets of `Uint8Array.fromBase64` / `toBase64` (RFC 4648 sections 4 and 5).
public enum Base64Alphabet: Sendable {
    /// `"base64"`: `+` and `/`.
    case base64
    /// `"base64url"`: `-` and `_`, what JWTs and WebAuthn use.
    case base64url
}

extension Array where Element == UInt8 {
    /// `Uint8Array.fromBase64(string, { alphabet })`: decodes base64 or base64url, padded or not
    /// (JavaScript's `btoa`-made strings are padded, JWT segments are not), skipping ASCII
    /// whitespace.
    ///
    /// - Throws: `SyntaxError`-like ``DOMException`` (`SyntaxError`) for a character outside the
    ///   alphabet, misplaced padding, or a length no base64 string can have.
    public static func fromBase64(_ string: String, alphabet: Base64Alphabet = .base64) throws -> [UInt8] {
        guard let bytes = Base64.decode(string, alphabet: alphabet, forgiving: true) else {
            throw DOMException("Invalid base64 string", name: "SyntaxError")
        }
        return bytes
    }

    /// `bytes.toBase64({ alphabet, omitPadding })`.
    public func toBase64(alphabet: Base64Alphabet = .base64, omitPadding: Bool = false) -> String {
        Base64.encode(self, alphabet: alphabet, omitPadding: omitPadding)
    }
}

/// Base64 by RFC 4648, written out: Foundation's `Data(base64Encoded:)` refuses unpadded input
/// and knows no base64url, which is what ported JavaScript hands it.
enum Base64 {
    private static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let url = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8], alphabet: Base64Alphabet, omitPadding: Bool) -> String {
        let table = alphabet == .base64 ? standard : url
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)], table[Int(n >> 6 & 63)], table[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let n = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out += [table[Int(n >> 18 & 63)], table[Int(n >> 12 & 63)]]
            if rest == 2 { out.append(table[Int(n >> 6 & 63)]) }
            if !omitPadding { out += Array(repeating: UInt8(ascii: "="), count: 3 - rest) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The WHATWG forgiving-base64 decode (https://infra.spec.whatwg.org/#forgiving-base64-decode),
    /// with the chosen alphabet; `nil` for input it refuses.
    static func decode(_ string: String, alphabet: Base64Alphabet, forgiving: Bool) -> [UInt8]? {
        var symbols: [UInt8] = []
        symbols.reserveCapacity(string.utf8.count)
        for byte in string.utf8 where !(forgiving && isASCIIWhitespace(byte)) {
            symbols.append(byte)
        }
        if symbols.count % 4 == 0 {
            if symbols.last == UInt8(ascii: "=") { symbols.removeLast() }
            if symbols.last == UInt8(ascii: "=") { symbols.removeLast() }
        }
        if symbols.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(symbols.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            guard let value = value(of: symbol, alphabet) else { return nil }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }

    private static func value(of symbol: UInt8, _ alphabet: Base64Alphabet) -> UInt8? {
        switch symbol {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): symbol - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): symbol - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): symbol - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+") where alphabet == .base64: 62
        case UInt8(ascii: "/") where alphabet == .base64: 63
        case UInt8(ascii: "-") where alphabet == .base64url: 62
        case UInt8(ascii: "_") where alphabet == .base64url: 63
        default: nil
        }
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D || byte == 0x20
    }
}
