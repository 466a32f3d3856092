extension SQLScript {
    /// Whether `sql` ends with a complete statement: SQLite's `sqlite3_complete()`, token for token.
    ///
    /// The SQLite Edge links (sqlite-nio's, built with `SQLITE_OMIT_COMPLETE`) leaves that function
    /// out, so this is its state machine (SQLite `src/complete.c`, which workerd patches only to
    /// also report the length): a `;` ends a statement unless it is inside a string, a quoted
    /// identifier, a comment, or a `CREATE [TEMP] TRIGGER` body, which only `; END;` ends.
    static func isComplete(_ sql: ArraySlice<UInt8>) -> Bool {
        var state = CompleteState.invalid
        var index = sql.startIndex
        func at(_ position: Int) -> UInt8 { position < sql.endIndex ? sql[position] : 0 }
        while index < sql.endIndex, sql[index] != 0 {
            let token: CompleteToken
            switch sql[index] {
            case UInt8(ascii: ";"):
                token = .semicolon
            case UInt8(ascii: " "), UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: "\n"), 0x0c:
                token = .whitespace
            case UInt8(ascii: "/") where at(index + 1) == UInt8(ascii: "*"):
                index += 2
                while at(index) != 0 && (at(index) != UInt8(ascii: "*") || at(index + 1) != UInt8(ascii: "/")) {
                    index += 1
                }
                if at(index) == 0 { return false }
                index += 1
                token = .whitespace
            case UInt8(ascii: "-") where at(index + 1) == UInt8(ascii: "-"):
                while at(index) != 0 && at(index) != UInt8(ascii: "\n") { index += 1 }
                if at(index) == 0 { return state == .start }
                token = .whitespace
            case UInt8(ascii: "["):
                index += 1
                while at(index) != 0 && at(index) != UInt8(ascii: "]") { index += 1 }
                if at(index) == 0 { return false }
                token = .other
            case UInt8(ascii: "`"), UInt8(ascii: "\""), UInt8(ascii: "'"):
                let quote = sql[index]
                index += 1
                while at(index) != 0 && at(index) != quote { index += 1 }
                if at(index) == 0 { return false }
                token = .other
            case let byte where isIdentifierByte(byte):
                var end = index + 1
                while isIdentifierByte(at(end)) { end += 1 }
                token = CompleteToken(keyword: sql[index..<end])
                index = end - 1
            default:
                token = .other
            }
            state = state.next(token)
            index += 1
        }
        return state == .start
    }

    /// SQLite's `IdChar`: letters, digits, `_`, `$` and every byte of a multi-byte character.
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }
}

/// The tokens `sqlite3_complete` tells apart.
private enum CompleteToken: Int {
    case semicolon, whitespace, other, explain, create, temp, trigger, end

    init(keyword: ArraySlice<UInt8>) {
        guard [3, 4, 6, 7, 9].contains(keyword.count) else {
            self = .other
            return
        }
        switch String(decoding: keyword, as: UTF8.self).lowercased() {
        case "create": self = .create
        case "trigger": self = .trigger
        case "temp", "temporary": self = .temp
        case "end": self = .end
        case "explain": self = .explain
        default: self = .other
        }
    }
}

/// The states of `sqlite3_complete`: `start` is "between statements", the only complete one;
/// `trigger`, `semicolon` and `end` follow a trigger body to its `; END;`.
private enum CompleteState: Int {
    case invalid, start, normal, explain, create, trigger, semicolon, end

    /// SQLite's `trans[state][token]` table.
    private static let transitions: [[CompleteState]] = [
        //             ;           ws          other    explain   create   temp     trigger   end
        /* invalid */ [.start, .invalid, .normal, .explain, .create, .normal, .normal, .normal],
        /* start */ [.start, .start, .normal, .explain, .create, .normal, .normal, .normal],
        /* normal */ [.start, .normal, .normal, .normal, .normal, .normal, .normal, .normal],
        /* explain */ [.start, .explain, .explain, .normal, .create, .normal, .normal, .normal],
        /* create */ [.start, .create, .normal, .normal, .normal, .create, .trigger, .normal],
        /* trigger */ [.semicolon, .trigger, .trigger, .trigger, .trigger, .trigger, .trigger, .trigger],
        /* semicolon */ [.semicolon, .semicolon, .trigger, .trigger, .trigger, .trigger, .trigger, .end],
        /* end */ [.start, .end, .trigger, .trigger, .trigger, .trigger, .trigger, .trigger],
    ]

    func next(_ token: CompleteToken) -> CompleteState {
        Self.transitions[rawValue][token.rawValue]
    }
}
