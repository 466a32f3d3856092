extension WranglerConfig {
    /// A name the Worker sees in `env`, the kind of binding behind it (in wrangler's friendly
    /// names), and the field that declares it.
    struct BindingDeclaration {
        var name: String
        var kind: String
        var field: FieldPath
    }

    /// Every binding the config declares: vars, D1 databases, Durable Object namespaces, services, assets.
    var bindingDeclarations: [BindingDeclaration] {
        var declarations: [BindingDeclaration] = vars.keys.map {
            BindingDeclaration(name: $0, kind: "Environment Variable", field: FieldPath("vars", $0))
        }
        for (index, database) in d1Databases.enumerated() {
            let field = FieldPath("d1_databases").appending(index: index).appending("binding")
            declarations.append(BindingDeclaration(name: database.binding, kind: "D1 Database", field: field))
        }
        for (index, binding) in durableObjects.enumerated() {
            let field = FieldPath("durable_objects", "bindings").appending(index: index).appending("name")
            declarations.append(BindingDeclaration(name: binding.name, kind: "Durable Object", field: field))
        }
        for (index, service) in services.enumerated() {
            let field = FieldPath("services").appending(index: index).appending("binding")
            declarations.append(BindingDeclaration(name: service.binding, kind: "Worker", field: field))
        }
        if let binding = assets?.binding {
            declarations.append(BindingDeclaration(name: binding, kind: "Assets", field: FieldPath("assets", "binding")))
        }
        return declarations
    }

    /// Throws when two bindings share a name, at the later of the two, naming every place the name
    /// is declared; the wording is wrangler's `validateBindingsHaveUniqueNames`.
    func checkBindingNamesAreUnique() throws(ConfigError) {
        let declarations = bindingDeclarations.sorted { lhs, rhs in
            let left = fieldLocations.line(of: lhs.field) ?? Int.max
            let right = fieldLocations.line(of: rhs.field) ?? Int.max
            return (left, lhs.field.description) < (right, rhs.field.description)
        }
        var seen: Set<String> = []
        for declaration in declarations {
            guard seen.insert(declaration.name).inserted else {
                throw duplicateBindingError(declaration, among: declarations.filter { $0.name == declaration.name })
            }
        }
    }

    private func duplicateBindingError(_ duplicate: BindingDeclaration, among all: [BindingDeclaration]) -> ConfigError {
        var kinds: [String] = []
        for declaration in all where !kinds.contains(declaration.kind) {
            kinds.append(declaration.kind)
        }
        let assigned =
            kinds.count == 1
            ? "\(duplicate.name) assigned to multiple \(kinds[0]) bindings"
            : "\(duplicate.name) assigned to \(Self.englishList(kinds)) bindings"
        let places = all.map { declaration in
            let place = declaration.field.description.jsonQuoted
            guard let line = fieldLocations.line(of: declaration.field) else { return place }
            return "\(place) (line \(line))"
        }
        return .invalid(
            "\(assigned): \(Self.englishList(places)). "
                + "Bindings must have unique names, so that they can all be referenced in the worker.",
            file: path,
            line: fieldLocations.line(of: duplicate.field),
            field: duplicate.field.description
        )
    }

    /// `A`, `A and B`, `A, B, and C`, as `Intl.ListFormat("en")` writes a conjunction.
    private static func englishList(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        case 2: return "\(items[0]) and \(items[1])"
        default: return items.dropLast().joined(separator: ", ") + ", and " + items[items.count - 1]
        }
    }
}
