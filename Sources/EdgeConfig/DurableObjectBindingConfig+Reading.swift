extension DurableObjectBindingConfig {
    /// The fields of a Durable Object binding Edge reads; any other is reported as unexpected.
    static let knownFields: Set<String> = ["name", "class_name", "script_name"]

    /// Reads `[durable_objects] bindings` with wrangler's `validateBindingsProperty` and
    /// `validateDurableObjectBinding` messages, each prefixed by the binding's path as wrangler's
    /// diagnostics tree shows it.
    static func readAll(from root: TOMLNode.Table, reader: inout ConfigReader) throws(ConfigError) -> [DurableObjectBindingConfig] {
        let path = FieldPath("durable_objects")
        guard let node = root["durable_objects"] else { return [] }
        guard case .table(let table) = node else {
            throw reader.error("The field \"durable_objects\" should be an object but got \(node.jsonText).", at: path)
        }
        let bindingsPath = path.appending("bindings")
        guard let bindingsNode = table["bindings"] else {
            throw reader.error("The field \"durable_objects\" is missing the required \"bindings\" property.", at: bindingsPath)
        }
        guard case .array(let entries) = bindingsNode else {
            throw reader.error(
                "The field \"durable_objects.bindings\" should be an array but got \(bindingsNode.jsonText).",
                at: bindingsPath
            )
        }
        reader.warnAboutUnexpectedFields(in: table, at: path, known: ["bindings"])
        var bindings: [DurableObjectBindingConfig] = []
        for (index, entry) in entries.enumerated() {
            let entryPath = bindingsPath.appending(index: index)
            guard case .table(let binding) = entry else {
                throw reader.error("Expected \(entryPath.description.jsonQuoted) to be an object but got \(entry.jsonText)", at: entryPath)
            }
            bindings.append(try DurableObjectBindingConfig(reading: binding, at: entryPath, reader: &reader))
        }
        return bindings
    }

    private init(reading table: TOMLNode.Table, at path: FieldPath, reader: inout ConfigReader) throws(ConfigError) {
        let prefix = "\(path.description.jsonQuoted):"

        func requiredString(_ key: String) throws(ConfigError) -> String {
            guard case .string(let string)? = table[key] else {
                throw reader.error("\(prefix) binding should have a string \(key.jsonQuoted) field.", at: path.appending(key))
            }
            return string
        }

        let name = try requiredString("name")
        let className = try requiredString("class_name")
        var scriptName: String?
        if let node = table["script_name"] {
            guard case .string(let string) = node else {
                throw reader.error(
                    "\(prefix) the field \"script_name\", when present, should be a string.",
                    at: path.appending("script_name")
                )
            }
            scriptName = string
        }
        self.init(name: name, className: className, scriptName: scriptName)
        reader.warnAboutUnexpectedFields(in: table, at: path, known: Self.knownFields)
    }
}
