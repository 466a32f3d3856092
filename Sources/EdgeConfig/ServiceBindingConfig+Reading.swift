extension ServiceBindingConfig {
    /// The `[[services]]` fields Edge reads; any other is reported as unexpected.
    static let knownFields: Set<String> = ["binding", "service", "entrypoint", "environment"]

    /// Reads `[[services]]` with wrangler's `validateServiceBinding` messages
    /// (workers-sdk `packages/workers-utils/src/config/validation.ts`).
    static func readAll(from root: TOMLNode.Table, reader: inout ConfigReader) throws(ConfigError) -> [ServiceBindingConfig] {
        let path = FieldPath("services")
        guard let node = root["services"] else { return [] }
        guard case .array(let entries) = node else {
            throw reader.error("The field \"services\" should be an array but got \(node.jsonText).", at: path)
        }
        var services: [ServiceBindingConfig] = []
        for (index, entry) in entries.enumerated() {
            let entryPath = path.appending(index: index)
            guard case .table(let table) = entry else {
                throw reader.error("\"services\" bindings should be objects, but got \(entry.jsonText)", at: entryPath)
            }
            services.append(try ServiceBindingConfig(reading: table, at: entryPath, reader: &reader))
        }
        return services
    }

    private init(reading table: TOMLNode.Table, at path: FieldPath, reader: inout ConfigReader) throws(ConfigError) {
        let got = TOMLNode.table(table).jsonText
        let name = path.description.jsonQuoted

        func string(_ key: String, required: Bool) throws(ConfigError) -> String? {
            guard let node = table[key] else {
                guard !required else {
                    throw reader.error("\(name) bindings should have a string \(key.jsonQuoted) field but got \(got).", at: path.appending(key))
                }
                return nil
            }
            guard case .string(let string) = node else {
                throw reader.error("\(name) bindings should have a string \(key.jsonQuoted) field but got \(got).", at: path.appending(key))
            }
            return string
        }

        self.init(
            binding: try string("binding", required: true) ?? "",
            service: try string("service", required: true) ?? "",
            entrypoint: try string("entrypoint", required: false),
            environment: try string("environment", required: false)
        )
        reader.warnAboutUnexpectedFields(in: table, at: path, known: Self.knownFields)
    }
}
