extension VarValue {
    /// Reads `[vars]`: any TOML value except dates and times, which wrangler refuses too.
    static func readVars(from root: TOMLNode.Table, reader: ConfigReader) throws(ConfigError) -> [String: VarValue] {
        let path = FieldPath("vars")
        guard let node = root["vars"] else { return [:] }
        guard case .table(let table) = node else {
            throw reader.error("The field \"vars\" should be an object but got \(node.jsonText).", at: path)
        }
        var vars: [String: VarValue] = [:]
        for (name, value) in table.entries {
            vars[name] = try VarValue(value, at: path.appending(name), name: name, reader: reader)
        }
        return vars
    }

    private init(_ node: TOMLNode, at path: FieldPath, name: String, reader: ConfigReader) throws(ConfigError) {
        switch node {
        case .string(let string): self = .string(string)
        case .int(let int): self = .int(int)
        case .double(let double): self = .double(double)
        case .bool(let bool): self = .bool(bool)
        case .dateTime:
            throw reader.error(
                "The field \(path.description.jsonQuoted) is a TOML date, which is not supported. "
                    + "Please use a string instead, e.g. \(name) = \"2025-12-19\".",
                at: path
            )
        case .array(let elements):
            var values: [VarValue] = []
            for (index, element) in elements.enumerated() {
                values.append(try VarValue(element, at: path.appending(index: index), name: name, reader: reader))
            }
            self = .array(values)
        case .table(let table):
            var values: [String: VarValue] = [:]
            for (key, element) in table.entries {
                values[key] = try VarValue(element, at: path.appending(key), name: name, reader: reader)
            }
            self = .table(values)
        }
    }
}
