/// The path of a field inside a config file, in the spelling wrangler's messages use:
/// `d1_databases[0].binding`, `durable_objects.bindings[1].class_name`, `vars."MY.KEY"`.
///
/// Keys that are not TOML bare keys are written quoted, so a rendered path names one field only.
struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    /// One step of a path: a table key or an array index.
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    private(set) var components: [Component]

    /// The root of the document.
    init() {
        self.components = []
    }

    init(_ components: [Component]) {
        self.components = components
    }

    /// A path made of keys, e.g. `FieldPath("dev", "port")`.
    init(_ keys: String...) {
        self.components = keys.map(Component.key)
    }

    /// Parses a rendered path such as `d1_databases[0].binding`; `nil` when it is malformed.
    init?(parsing text: String) {
        var components: [Component] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close])
                else { return nil }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
            } else {
                if !components.isEmpty {
                    guard rest.first == "." else { return nil }
                    rest = rest.dropFirst()
                }
                if rest.first == "\"" {
                    guard let close = rest.dropFirst().firstIndex(of: "\"") else { return nil }
                    components.append(.key(String(rest[rest.index(after: rest.startIndex)..<close])))
                    rest = rest[rest.index(after: close)...]
                } else {
                    let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                    guard end > rest.startIndex else { return nil }
                    components.append(.key(String(rest[..<end])))
                    rest = rest[end...]
                }
            }
        }
        self.components = components
    }

    func appending(_ key: String) -> FieldPath {
        FieldPath(components + [.key(key)])
    }

    func appending(index: Int) -> FieldPath {
        FieldPath(components + [.index(index)])
    }

    /// The enclosing table or array, or `nil` at the root.
    var parent: FieldPath? {
        components.isEmpty ? nil : FieldPath(Array(components.dropLast()))
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += Self.isBareKey(key) ? key : "\"\(key)\""
            }
        }
        return text
    }

    /// Whether `key` can be written without quotes in TOML (`A-Za-z0-9_-`, at least one character).
    static func isBareKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy(isBareKeyByte)
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
