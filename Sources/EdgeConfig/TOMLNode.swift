import TOMLKit

/// A parsed TOML value, copied out of TOMLKit's tree so that the rest of the module reads plain
/// Swift values. Table entries keep the order they were written in (TOMLKit sorts keys), which is
/// the order wrangler shows when it prints a value in a message.
enum TOMLNode {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    /// A TOML local date, local time or date-time, as TOML text (`2024-09-23`).
    case dateTime(String)
    case array([TOMLNode])
    case table(Table)

    /// A TOML table with its entries in source order.
    ///
    /// A class, not a struct: with a struct holding `TOMLNode`s inside `TOMLNode`, Swift 6.3.1
    /// reported "circular reference" when it compiled other files of the module incrementally.
    final class Table {
        let entries: [(key: String, value: TOMLNode)]

        init(entries: [(key: String, value: TOMLNode)]) {
            self.entries = entries
        }

        subscript(key: String) -> TOMLNode? {
            entries.first { $0.key == key }?.value
        }

        var keys: [String] {
            entries.map(\.key)
        }
    }

    /// Copies a TOMLKit table, ordering entries by where `locations` says they were written.
    init(_ table: TOMLTable, at path: FieldPath, locations: FieldLocations) {
        self = .table(Table(table, at: path, locations: locations))
    }

    private init(_ value: TOMLValueConvertible, at path: FieldPath, locations: FieldLocations) {
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = .int(value.int ?? 0)
        case .double: self = .double(value.double ?? 0)
        case .bool: self = .bool(value.bool ?? false)
        case .date, .time, .dateTime: self = .dateTime(value.tomlValue.debugDescription)
        case .table:
            self = .table(value.table.map { Table($0, at: path, locations: locations) } ?? Table(entries: []))
        case .array:
            var elements: [TOMLNode] = []
            if let array = value.array {
                for offset in array.indices {
                    elements.append(TOMLNode(array[offset], at: path.appending(index: offset), locations: locations))
                }
            }
            self = .array(elements)
        }
    }

    /// The value as JSON text, as `JSON.stringify` prints it in wrangler's messages.
    var jsonText: String {
        switch self {
        case .string(let string): return string.jsonQuoted
        case .int(let int): return String(int)
        case .double(let double): return double.jsonText
        case .bool(let bool): return String(bool)
        case .dateTime(let text): return text.jsonQuoted
        case .array(let elements): return "[" + elements.map(\.jsonText).joined(separator: ",") + "]"
        case .table(let table):
            return "{" + table.entries.map { "\($0.key.jsonQuoted):\($0.value.jsonText)" }.joined(separator: ",") + "}"
        }
    }
}

extension TOMLNode.Table {
    fileprivate convenience init(_ table: TOMLTable, at path: FieldPath, locations: FieldLocations) {
        let keyed = table.keys.map { key in
            (key: key, position: locations.position(of: path.appending(key)))
        }
        let ordered = keyed.sorted { lhs, rhs in
            switch (lhs.position, rhs.position) {
            case (let left?, let right?): return left < right
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return lhs.key < rhs.key
            }
        }
        self.init(
            entries: ordered.compactMap { entry in
                table[entry.key].map { (entry.key, TOMLNode($0, at: path.appending(entry.key), locations: locations)) }
            }
        )
    }
}
