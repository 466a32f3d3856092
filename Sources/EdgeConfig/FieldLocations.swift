/// Where each field of a loaded config file was written, so that errors found after loading
/// (a missing migrations directory, a binding the app needs) can still name `file:line`.
///
/// TOMLKit reports positions for syntax errors only, so Edge finds field positions itself by
/// scanning the source text (see `FieldLocations+Scanner.swift`). Fields are named the way
/// wrangler's messages name them: `dev.port`, `d1_databases[0].migrations_dir`,
/// `durable_objects.bindings[1].class_name`.
public struct FieldLocations: Sendable, Equatable {
    /// A position in the source text, 1-based.
    struct Position: Sendable, Equatable, Comparable {
        var line: Int
        var column: Int

        static func < (lhs: Position, rhs: Position) -> Bool {
            (lhs.line, lhs.column) < (rhs.line, rhs.column)
        }
    }

    private var positions: [FieldPath: Position]

    /// No known locations, as for a config built in code.
    public init() {
        self.positions = [:]
    }

    /// Finds the positions of the fields of a TOML document that TOMLKit has already accepted.
    init(scanning text: String) {
        self.positions = Scanner.positions(in: text)
    }

    /// The line where `field` was written, or where its nearest enclosing table or array was
    /// written when the field itself is absent (`d1_databases[0]` for a missing
    /// `d1_databases[0].binding`); `nil` when nothing along the path is known.
    public func line(of field: String) -> Int? {
        guard let path = FieldPath(parsing: field) else { return nil }
        return line(of: path)
    }

    func line(of path: FieldPath) -> Int? {
        var candidate: FieldPath? = path
        while let current = candidate {
            if let position = positions[current] { return position.line }
            candidate = current.parent
        }
        return nil
    }

    /// The exact position of `path`, without falling back to enclosing tables.
    func position(of path: FieldPath) -> Position? {
        positions[path]
    }
}
