/// The tokenizer of the URLPattern standard (https://urlpattern.spec.whatwg.org/#tokenizing),
/// with the "strict" policy: an invalid character is an error, not a `char` token.
struct URLPatternTokenizer {
    enum Kind: Equatable {
        /// `{`
        case open
        /// `}`
        case close
        /// `(...)`: the text between the parentheses.
        case regexp
        /// `:name`: the name without its colon.
        case name
        /// Any other character.
        case char
        /// `\x`: the character after the backslash.
        case escapedChar
        /// `?` or `+`.
        case otherModifier
        /// `*`
        case asterisk
        /// The end of the input.
        case end
    }

    struct Token: Equatable {
        let kind: Kind
        let index: Int
        let value: String
    }

    /// Tokenizes `input`, or throws the reason a pattern is invalid.
    static func tokenize(_ input: String) throws(TypeError) -> [Token] {
        let scalars = Array(input.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        func fail(_ reason: String, at position: Int) -> TypeError {
            URLPattern.constructionError("\(reason) at index \(position) in \"\(input)\"")
        }
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "*":
                tokens.append(Token(kind: .asterisk, index: index, value: "*"))
                index += 1
            case "+", "?":
                tokens.append(Token(kind: .otherModifier, index: index, value: String(scalar)))
                index += 1
            case "\\":
                guard index + 1 < scalars.count else { throw fail("Trailing backslash", at: index) }
                tokens.append(Token(kind: .escapedChar, index: index, value: String(scalars[index + 1])))
                index += 2
            case "{":
                tokens.append(Token(kind: .open, index: index, value: "{"))
                index += 1
            case "}":
                tokens.append(Token(kind: .close, index: index, value: "}"))
                index += 1
            case ":":
                var end = index + 1
                while end < scalars.count, isNameCodePoint(scalars[end], first: end == index + 1) { end += 1 }
                guard end > index + 1 else { throw fail("Missing parameter name", at: index) }
                tokens.append(Token(kind: .name, index: index, value: String(String.UnicodeScalarView(scalars[(index + 1)..<end]))))
                index = end
            case "(":
                let (value, end) = try regexp(scalars, from: index, fail: fail)
                tokens.append(Token(kind: .regexp, index: index, value: value))
                index = end
            default:
                tokens.append(Token(kind: .char, index: index, value: String(scalar)))
                index += 1
            }
        }
        tokens.append(Token(kind: .end, index: index, value: ""))
        return tokens
    }

    /// Reads a `(...)` group starting at `start`: its text and the index after its `)`.
    private static func regexp(
        _ scalars: [Unicode.Scalar], from start: Int, fail: (String, Int) -> TypeError
    ) throws(TypeError) -> (String, Int) {
        var depth = 1
        var position = start + 1
        while position < scalars.count {
            let scalar = scalars[position]
            guard scalar.isASCII else { throw fail("Invalid non-ASCII character in a regular expression group", position) }
            if position == start + 1, scalar == "?" { throw fail("A regular expression group cannot start with \"?\"", position) }
            if scalar == "\\" {
                guard position + 1 < scalars.count else { throw fail("Trailing backslash in a regular expression group", position) }
                guard scalars[position + 1].isASCII else { throw fail("Invalid non-ASCII character in a regular expression group", position + 1) }
                position += 2
                continue
            }
            if scalar == ")" {
                depth -= 1
                if depth == 0 { break }
            } else if scalar == "(" {
                depth += 1
                guard position + 1 < scalars.count, scalars[position + 1] == "?" else {
                    throw fail("Capturing groups are not allowed inside a regular expression group (use \"(?:\")", position)
                }
            }
            position += 1
        }
        guard depth == 0 else { throw fail("Unbalanced regular expression group", start) }
        guard position > start + 1 else { throw fail("Missing regular expression in a group", start) }
        return (String(String.UnicodeScalarView(scalars[(start + 1)..<position])), position + 1)
    }

    /// Whether `scalar` may be part of a `:name` (a JavaScript identifier's code points).
    private static func isNameCodePoint(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
        if scalar == "$" || scalar == "_" { return true }
        if first { return scalar.properties.isIDStart }
        return scalar.properties.isIDContinue || scalar == "\u{200C}" || scalar == "\u{200D}"
    }
}
