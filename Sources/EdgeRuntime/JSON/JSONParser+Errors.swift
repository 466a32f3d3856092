/// `JSON.parse`'s errors as V8 words them (workerd runs V8): the templates of V8's
/// `src/common/message-template.h` (`JsonParse...`) filled in as `src/json/json-parser.cc`
/// (`ReportUnexpectedToken`, `GetErrorMessageWithEllipses`, `CalculateFileLocation`) does, with
/// positions in UTF-16 code units. V8's own tests (`test/mjsunit/messages.js`) are the examples
/// in `JSONParseErrorTests`.
extension JSONParser {
    enum Failure {
        /// No specific template: V8's `LookUpErrorMessageForJsonToken` picks one from the
        /// character found.
        case unexpectedToken
        case unexpectedNonWhitespace
        case expectedPropertyNameOrRightBrace
        case expectedDoubleQuotedPropertyName
        case expectedColonAfterPropertyName
        case expectedCommaOrRightBrace
        case expectedCommaOrRightBracket
        case unterminatedString
        case badControlCharacter
        case badEscapedCharacter
        case badUnicodeEscape
        case noNumberAfterMinusSign
        case unterminatedFractionalNumber
        case exponentPartMissingNumber
        /// Edge's own: nesting past ``JSONParser/maxDepth`` (V8 has no such limit).
        case tooDeep
        /// Edge's own, ``Fidelity/lossless`` only.
        case loneSurrogate
        /// Edge's own, ``Fidelity/lossless`` only.
        case numberOutOfRange
    }

    /// V8's `kMaxContextCharacters`: how much text an "Unexpected token" message quotes.
    static let contextCharacters = 10

    func error(_ failure: Failure, at byteIndex: Int? = nil) -> SyntaxError {
        let byteIndex = byteIndex ?? index
        let source = Array(String(decoding: bytes, as: UTF8.self).utf16)
        let position = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<min(byteIndex, bytes.count)]), as: UTF8.self).utf16.count
        let (line, column) = Self.lineAndColumn(source, position)
        let at = "in JSON at position \(position) (line \(line) column \(column))"
        switch failure {
        case .unexpectedToken: return unexpectedToken(source: source, position: position, byteIndex: byteIndex, at: at)
        case .unexpectedNonWhitespace: return SyntaxError("Unexpected non-whitespace character after JSON at position \(position) (line \(line) column \(column))")
        case .expectedPropertyNameOrRightBrace: return SyntaxError("Expected property name or '}' \(at)")
        case .expectedDoubleQuotedPropertyName: return SyntaxError("Expected double-quoted property name \(at)")
        case .expectedColonAfterPropertyName: return SyntaxError("Expected ':' after property name \(at)")
        case .expectedCommaOrRightBrace: return SyntaxError("Expected ',' or '}' after property value \(at)")
        case .expectedCommaOrRightBracket: return SyntaxError("Expected ',' or ']' after array element \(at)")
        case .unterminatedString: return SyntaxError("Unterminated string \(at)")
        case .badControlCharacter: return SyntaxError("Bad control character in string literal \(at)")
        case .badEscapedCharacter: return SyntaxError("Bad escaped character \(at)")
        case .badUnicodeEscape: return SyntaxError("Bad Unicode escape \(at)")
        case .noNumberAfterMinusSign: return SyntaxError("No number after minus sign \(at)")
        case .unterminatedFractionalNumber: return SyntaxError("Unterminated fractional number \(at)")
        case .exponentPartMissingNumber: return SyntaxError("Exponent part is missing a number \(at)")
        case .tooDeep: return SyntaxError("Nesting deeper than \(Self.maxDepth) levels \(at)")
        case .loneSurrogate: return SyntaxError("Lone surrogate \(at)")
        case .numberOutOfRange: return SyntaxError("Number out of range \(at)")
        }
    }

    /// V8's `LookUpErrorMessageForJsonToken` for the character at `byteIndex`.
    private func unexpectedToken(source: [UInt16], position: Int, byteIndex: Int, at: String) -> SyntaxError {
        guard byteIndex < bytes.count else { return SyntaxError("Unexpected end of JSON input") }
        let byte = bytes[byteIndex]
        if byte == UInt8(ascii: "-") || Self.isDigitByte(byte) { return SyntaxError("Unexpected number \(at)") }
        if byte == UInt8(ascii: "\"") { return SyntaxError("Unexpected string \(at)") }
        let text = String(decoding: source, as: UTF16.self)
        // Special strings: what `JSON.parse(undefined)` and the like are given.
        if ["[object Object]", "undefined", "Infinity", "NaN"].contains(text) {
            return SyntaxError("\"\(text)\" is not valid JSON")
        }
        let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[byteIndex...]), as: UTF8.self).unicodeScalars.first.map(String.init) ?? ""
        let context = Self.contextCharacters
        guard source.count >= context * 2 + 1 else {
            return SyntaxError("Unexpected token '\(token)', \"\(text)\" is not valid JSON")
        }
        func slice(_ range: Range<Int>) -> String {
            String(decoding: source[max(0, range.lowerBound)..<min(source.count, range.upperBound)], as: UTF16.self)
        }
        if position < context {
            return SyntaxError("Unexpected token '\(token)', \"\(slice(0..<position + context))\"... is not valid JSON")
        }
        if position < source.count - context {
            return SyntaxError("Unexpected token '\(token)', ...\"\(slice(position - context..<position + context))\"... is not valid JSON")
        }
        return SyntaxError("Unexpected token '\(token)', ...\"\(slice(position - context..<source.count))\" is not valid JSON")
    }

    private static func isDigitByte(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// V8's `CalculateFileLocation`: lines end at `\r`, `\n` or `\r\n`; both count from 1.
    private static func lineAndColumn(_ source: [UInt16], _ position: Int) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        var cursor = 0
        let end = min(position, source.count)
        while cursor < end {
            if source[cursor] == 0x0D, cursor < end - 1, source[cursor + 1] == 0x0A { cursor += 1 }
            if source[cursor] == 0x0D || source[cursor] == 0x0A {
                line += 1
                lineStart = cursor + 1
            }
            cursor += 1
        }
        return (line, 1 + cursor - lineStart)
    }
}
