import Foundation

/// One component of a ``URLPattern`` (its pathname, its hostname...) compiled once to a regular
/// expression as the standard's "generate a regular expression and name list" does
/// (https://urlpattern.spec.whatwg.org/#generate-a-regular-expression-and-name-list).
struct URLPatternRegex: Sendable {
    /// The group names in the order of their capture groups.
    let names: [String]
    /// The compiled expression (`NSRegularExpression` is immutable and safe to share between threads).
    private let regex: NSRegularExpression
    /// The component's text when the pattern is fixed text only (`/v1/health`): matched by
    /// comparing strings. A profile of figure 1 (edge-bench) found NSRegularExpression's match,
    /// which bridges the input to an NSString, a tenth of a health request's cost.
    private let literal: String?

    /// Compiles `pattern` for the component whose segments `options` describe.
    init(_ pattern: String, options: URLPatternParser.Options, ignoreCase: Bool) throws(TypeError) {
        let parts = try URLPatternParser.parse(pattern, options: options)
        var source = "^"
        var names: [String] = []
        for part in parts {
            let modifier = part.modifier.rawValue
            if part.kind == .fixedText {
                source += part.modifier == .none ? Self.escape(part.value) : "(?:\(Self.escape(part.value)))\(modifier)"
                continue
            }
            names.append(part.name)
            let value = switch part.kind {
            case .segmentWildcard: options.segmentWildcardRegexp
            case .fullWildcard: ".*"
            default: part.value
            }
            let prefix = Self.escape(part.prefix)
            let suffix = Self.escape(part.suffix)
            let single = part.modifier == .none || part.modifier == .optional
            switch (prefix.isEmpty && suffix.isEmpty, single) {
            case (true, true): source += "(\(value))\(modifier)"
            case (true, false): source += "((?:\(value))\(modifier))"
            case (false, true): source += "(?:\(prefix)(\(value))\(suffix))\(modifier)"
            case (false, false):
                source += "(?:\(prefix)((?:\(value))(?:\(suffix)\(prefix)(?:\(value)))*)\(suffix))"
                if part.modifier == .zeroOrMore { source += "?" }
            }
        }
        source += "$"
        do {
            regex = try NSRegularExpression(pattern: source, options: ignoreCase ? [.caseInsensitive] : [])
        } catch {
            throw URLPattern.constructionError("Invalid regular expression /\(source)/ for \"\(pattern)\"")
        }
        self.names = names
        literal = !ignoreCase && parts.allSatisfy { $0.kind == .fixedText && $0.modifier == .none }
            ? parts.map(\.value).joined() : nil
    }

    /// The groups of `input` by name when it matches (a group that took no part is absent), or `nil`.
    func match(_ input: String) -> [String: String]? {
        if let literal { return input == literal ? [:] : nil }
        let range = NSRange(input.startIndex..., in: input)
        guard let match = regex.firstMatch(in: input, options: [], range: range) else { return nil }
        var groups: [String: String] = [:]
        for (offset, name) in names.enumerated() {
            if let found = Range(match.range(at: offset + 1), in: input) { groups[name] = String(input[found]) }
        }
        return groups
    }

    /// `text` with the characters that mean something in a regular expression escaped
    /// (https://urlpattern.spec.whatwg.org/#escape-a-regexp-string).
    static func escape(_ text: String) -> String {
        var output = ""
        for character in text {
            if ".+*?^${}()[]|/\\".contains(character) { output.append("\\") }
            output.append(character)
        }
        return output
    }
}
