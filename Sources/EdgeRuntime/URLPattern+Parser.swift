/// The pattern parser of the URLPattern standard
/// (https://urlpattern.spec.whatwg.org/#parse-a-pattern-string): tokens become a part list of
/// fixed text, `:name` segments, `(regexp)` groups and `*` wildcards, each with its prefix, suffix
/// and modifier (`?`, `*`, `+`).
struct URLPatternParser {
    enum PartKind: Equatable {
        case fixedText
        case regexp
        case segmentWildcard
        case fullWildcard
    }

    enum Modifier: String {
        case none = ""
        case optional = "?"
        case zeroOrMore = "*"
        case oneOrMore = "+"
    }

    struct Part: Equatable {
        let kind: PartKind
        let value: String
        let modifier: Modifier
        var name = ""
        var prefix = ""
        var suffix = ""
    }

    /// What differs between components: the pathname's segments end at `/`, the hostname's at `.`.
    struct Options {
        let delimiter: String
        let prefix: String
        let encode: (String) -> String

        /// `[^<delimiter>]+?`: what `:name` matches.
        var segmentWildcardRegexp: String {
            delimiter.isEmpty ? "[\\s\\S]+?" : "[^\(URLPatternRegex.escape(delimiter))]+?"
        }
    }

    private let tokens: [URLPatternTokenizer.Token]
    private let options: Options
    private var parts: [Part] = []
    private var pendingFixedValue = ""
    private var index = 0
    private var nextNumericName = 0
    private let input: String

    /// Parses `input` into its parts, or throws why the pattern is invalid.
    static func parse(_ input: String, options: Options) throws(TypeError) -> [Part] {
        var parser = URLPatternParser(tokens: try URLPatternTokenizer.tokenize(input), options: options, input: input)
        try parser.run()
        return parser.parts
    }

    private init(tokens: [URLPatternTokenizer.Token], options: Options, input: String) {
        self.tokens = tokens
        self.options = options
        self.input = input
    }

    private mutating func run() throws(TypeError) {
        while index < tokens.count {
            let charToken = tryConsume(.char)
            var nameToken = tryConsume(.name)
            var regexpOrWildcard = tryConsumeRegexpOrWildcard(after: nameToken)
            if nameToken != nil || regexpOrWildcard != nil {
                var prefix = charToken?.value ?? ""
                if !prefix.isEmpty, prefix != options.prefix {
                    pendingFixedValue += prefix
                    prefix = ""
                }
                addPendingFixedValue()
                let modifier = tryConsumeModifier()
                try addPart(prefix: prefix, name: nameToken, regexpOrWildcard: regexpOrWildcard, suffix: "", modifier: modifier)
                continue
            }
            if let fixed = charToken ?? tryConsume(.escapedChar) {
                pendingFixedValue += fixed.value
                continue
            }
            if tryConsume(.open) != nil {
                let prefix = consumeText()
                nameToken = tryConsume(.name)
                regexpOrWildcard = tryConsumeRegexpOrWildcard(after: nameToken)
                let suffix = consumeText()
                try consumeRequired(.close)
                let modifier = tryConsumeModifier()
                try addPart(prefix: prefix, name: nameToken, regexpOrWildcard: regexpOrWildcard, suffix: suffix, modifier: modifier)
                continue
            }
            addPendingFixedValue()
            try consumeRequired(.end)
        }
    }

    private mutating func tryConsume(_ kind: URLPatternTokenizer.Kind) -> URLPatternTokenizer.Token? {
        guard index < tokens.count, tokens[index].kind == kind else { return nil }
        defer { index += 1 }
        return tokens[index]
    }

    private mutating func tryConsumeModifier() -> Modifier {
        guard let token = tryConsume(.otherModifier) ?? tryConsume(.asterisk) else { return .none }
        return Modifier(rawValue: token.value) ?? .none
    }

    private mutating func tryConsumeRegexpOrWildcard(after name: URLPatternTokenizer.Token?) -> URLPatternTokenizer.Token? {
        let regexp = tryConsume(.regexp)
        if name == nil, regexp == nil { return tryConsume(.asterisk) }
        return regexp
    }

    private mutating func consumeRequired(_ kind: URLPatternTokenizer.Kind) throws(TypeError) {
        guard tryConsume(kind) == nil else { return }
        let token = tokens[index]
        let found = token.kind == .end ? "the end of the pattern" : "\"\(token.value)\""
        let expected = kind == .close ? "\"}\"" : "the end of the pattern"
        throw URLPattern.constructionError("Expected \(expected) but found \(found) at index \(token.index) in \"\(input)\"")
    }

    private mutating func consumeText() -> String {
        var text = ""
        while let token = tryConsume(.char) ?? tryConsume(.escapedChar) { text += token.value }
        return text
    }

    private mutating func addPendingFixedValue() {
        guard !pendingFixedValue.isEmpty else { return }
        parts.append(Part(kind: .fixedText, value: options.encode(pendingFixedValue), modifier: .none))
        pendingFixedValue = ""
    }

    private mutating func addPart(
        prefix: String, name: URLPatternTokenizer.Token?, regexpOrWildcard: URLPatternTokenizer.Token?, suffix: String, modifier: Modifier
    ) throws(TypeError) {
        if name == nil, regexpOrWildcard == nil, modifier == .none {
            pendingFixedValue += prefix
            return
        }
        addPendingFixedValue()
        guard name != nil || regexpOrWildcard != nil else {
            if !prefix.isEmpty { parts.append(Part(kind: .fixedText, value: options.encode(prefix), modifier: modifier)) }
            return
        }
        var kind = PartKind.regexp
        var value = ""
        switch regexpOrWildcard?.kind {
        case nil: kind = .segmentWildcard
        case .asterisk?: kind = .fullWildcard
        default:
            value = regexpOrWildcard?.value ?? ""
            if value == options.segmentWildcardRegexp { kind = .segmentWildcard; value = "" }
            if value == ".*" { kind = .fullWildcard; value = "" }
        }
        let partName: String
        if let name {
            partName = name.value
        } else {
            partName = String(nextNumericName)
            nextNumericName += 1
        }
        guard !parts.contains(where: { $0.name == partName && $0.kind != .fixedText }) else {
            throw URLPattern.constructionError("Duplicate group name \"\(partName)\" in \"\(input)\"")
        }
        parts.append(Part(
            kind: kind, value: value, modifier: modifier, name: partName,
            prefix: options.encode(prefix), suffix: options.encode(suffix)))
    }
}
