/// JSON written straight into bytes, as `JSON.stringify` writes it: strings escaped as
/// ECMA-262's `QuoteJSONString` does (`"` and `\` escaped, control characters as `\b \f \n \r
/// \t` or `\u00xx`, everything else, `/` and U+2028 included, as UTF-8), numbers as
/// `Number.prototype.toString` (``number(_:)``).
///
/// `JSON.stringify` and `Response.json` write through it; an app with a hot message can write
/// one by hand with it (``key(_:first:)`` opens an object, ``end()`` closes it), as CounterFire's
/// hub does, and test the bytes against `JSON.stringify` of its `Encodable` type.
package struct JSONWriter {
    /// The UTF-8 written so far.
    package var bytes: [UInt8] = []
    /// Writes `/` as `\/` (as Foundation's `JSONEncoder` does by default; `JSON.stringify` does
    /// not): for hashes taken over bytes an older writer produced.
    package var escapesSlashes = false

    package init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// The UTF-8 written so far, as a `String`.
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    package mutating func byte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// `{"name":` for the first key of an object, `,"name":` for the others. `name` must need no
    /// escaping (CodingKeys, ASCII field names).
    package mutating func key(_ name: StaticString, first: Bool = false) {
        bytes.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// `}`.
    package mutating func end() {
        bytes.append(UInt8(ascii: "}"))
    }

    package mutating func null() {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    package mutating func bool(_ value: Bool) {
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    /// An integer's decimal digits (every digit, even past 2^53 where a JavaScript number would
    /// have rounded it).
    package mutating func integer(_ value: some BinaryInteger) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(truncatingIfNeeded: value.magnitude)
        // Digits are written backwards after the end, then reversed in place: no String per number.
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    /// A string, quoted and escaped.
    package mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            var plain = true
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                || (escapesSlashes && byte == UInt8(ascii: "/")) {
                plain = false
                break
            }
            if plain {
                bytes.append(contentsOf: utf8)  // nothing to escape: the usual case
            } else {
                escaping(utf8)
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    private mutating func escaping(_ utf8: UnsafeBufferPointer<UInt8>) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "/") where escapesSlashes: bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x00...0x1F:
                let digits: StaticString = "0123456789abcdef"
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                digits.withUTF8Buffer { table in
                    bytes.append(table[Int(byte >> 4)])
                    bytes.append(table[Int(byte & 0x0F)])
                }
            default: bytes.append(byte)
            }
        }
    }

    /// Any ``JSONValue``, object keys in their order.
    package mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let bool): self.bool(bool)
        case .number(let number): self.number(number)
        case .string(let string): self.string(string)
        case .array(let array):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (index, field) in object.elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(field.key)
                bytes.append(UInt8(ascii: ":"))
                self.value(field.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}
