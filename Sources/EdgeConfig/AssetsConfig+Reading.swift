import Foundation

extension AssetsConfig {
    /// The `[assets]` fields Edge reads; any other is reported as unexpected.
    static let knownFields: Set<String> = ["directory", "binding"]

    /// Reads `[assets]`: `directory` is required and resolved against the config's directory.
    init?(reading root: TOMLNode.Table, configDirectory: URL, reader: inout ConfigReader) throws(ConfigError) {
        let path = FieldPath("assets")
        guard let table = try reader.table("assets", in: root, at: FieldPath()) else { return nil }
        let directory = try reader.requiredString("directory", in: table, at: path)
        let binding = try reader.string("binding", in: table, at: path)
        self.init(directory: configDirectory.resolving(directory), binding: binding)
        reader.warnAboutUnexpectedFields(in: table, at: path, known: Self.knownFields)
    }
}
