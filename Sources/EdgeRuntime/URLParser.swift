import Foundation

/// The few steps of the WHATWG URL parser (https://url.spec.whatwg.org/#concept-basic-url-parser)
/// that Foundation's `URL(string:)` does not take, so that `request.url` and `request.pathname`
/// read as `new URL(...)` does in production: tabs and newlines removed, `\` read as `/` in the
/// special schemes, dot segments (`.`, `..`, `%2e`) resolved, the path percent-encoded with the
/// path percent-encode set (an existing `%2F` stays encoded), the host lowercased and a default
/// port dropped. Foundation then checks the rest (an empty or malformed host fails).
package enum URLParser {
    /// Parses an absolute URL, or returns `nil` where `new URL(string)` throws `Invalid URL`.
    package static func parse(_ input: String) -> URL? {
        var text = Substring(input.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" })
        while let first = text.unicodeScalars.first, first.value <= 0x20 { text = text.dropFirst() }
        while let last = text.unicodeScalars.last, last.value <= 0x20 { text = text.dropLast() }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let scheme = text[..<colon].lowercased()
        guard let head = scheme.utf8.first, isLetter(head), scheme.utf8.allSatisfy(isSchemeCharacter) else { return nil }
        guard let defaultPort = specialSchemes[scheme] else {
            // A non-special scheme (`mailto:`, `urn:`): Foundation's reading is close enough.
            return URL(string: String(text))
        }
        var rest = text[text.index(after: colon)...].drop { $0 == "/" || $0 == "\\" }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "\\" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = normalizedAuthority(rest[..<authorityEnd], defaultPort: defaultPort)
        guard !authority.isEmpty else { return nil }
        rest = rest[authorityEnd...]
        let pathEnd = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        let path = normalizedPath(rest[..<pathEnd])
        let suffix = percentEncoded(rest[pathEnd...], keeping: { $0 != 0x20 && $0 != 0x22 && $0 != 0x3C && $0 != 0x3E })
        guard let url = URL(string: "\(scheme)://\(authority)\(path)\(suffix)"), let host = url.host, !host.isEmpty else { return nil }
        return url
    }

    /// `url.pathname`: the path as the parser left it, percent-encoded, `/` when empty.
    package static func pathname(of url: URL) -> String {
        let path = url.path(percentEncoded: true)
        return path.isEmpty ? "/" : path
    }

    /// The WHATWG path of a special URL: `\` read as `/`, dot segments resolved, each segment
    /// percent-encoded with the path percent-encode set.
    package static func normalizedPath(_ raw: Substring) -> String {
        var segments = raw.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }
        if segments.first?.isEmpty == true { segments.removeFirst() }
        var output: [String] = []
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            switch segment.lowercased() {
            case "..", ".%2e", "%2e.", "%2e%2e":
                if !output.isEmpty { output.removeLast() }
                if last { output.append("") }
            case ".", "%2e":
                if last { output.append("") }
            default:
                output.append(percentEncoded(segment, keeping: isPathCharacter))
            }
        }
        return "/" + output.joined(separator: "/")
    }

    /// Whether a request target can be used as it is: printable ASCII with no `\\` and no dot
    /// segment, which is what clients send (the server checks this before a full parse).
    package static func isNormalTarget(_ target: String) -> Bool {
        var previous: UInt8 = 0
        for byte in target.utf8 {
            switch byte {
            case 0x21...0x7E where byte != 0x5C && (isPathCharacter(byte) || byte == 0x3F || byte == 0x23): break
            default: return false
            }
            if previous == 0x2F, byte == 0x2E || byte == 0x25 { return false }
            previous = byte
        }
        return true
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }

    private static func isSchemeCharacter(_ byte: UInt8) -> Bool {
        isLetter(byte) || (0x30...0x39).contains(byte) || byte == 0x2B || byte == 0x2D || byte == 0x2E
    }

    /// `text` percent-encoded with the path percent-encode set, with no other change.
    package static func percentEncodedPathText(_ text: String) -> String {
        percentEncoded(Substring(text), keeping: isPathCharacter)
    }

    /// Whether `byte` stays as it is in a path segment (outside the path percent-encode set).
    private static func isPathCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x22, 0x23, 0x3C, 0x3E, 0x3F, 0x60, 0x7B, 0x7D: false
        default: true
        }
    }

    /// `text` with C0 controls, non-ASCII bytes and the bytes `keeping` refuses written as `%XX`.
    private static func percentEncoded(_ text: Substring, keeping: (UInt8) -> Bool) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 < 0x21 || $0 > 0x7E || !keeping($0) }) else { return String(text) }
        var output = ""
        output.reserveCapacity(utf8.count + 8)
        for byte in utf8 {
            if byte < 0x20 || byte > 0x7E || !keeping(byte) {
                output += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            } else {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return output
    }

    /// The authority with its host lowercased and the scheme's default port removed.
    private static func normalizedAuthority(_ authority: Substring, defaultPort: String?) -> String {
        let hostStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        var host = authority[hostStart...]
        var port = ""
        if let colon = host.lastIndex(of: ":"), !host[colon...].contains("]") {
            port = String(host[host.index(after: colon)...])
            host = host[..<colon]
        }
        guard !host.isEmpty else { return "" }
        let portPart = port.isEmpty || port == defaultPort ? "" : ":\(port)"
        return authority[..<hostStart] + host.lowercased() + portPart
    }

    /// The special schemes of the URL standard that have a host, with their default ports
    /// (`file:` is read by Foundation as it is).
    private static let specialSchemes: [String: String] = [
        "http": "80", "https": "443", "ws": "80", "wss": "443", "ftp": "21",
    ]
}
