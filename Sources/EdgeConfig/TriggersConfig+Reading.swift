extension TriggersConfig {
    /// Reads `[triggers]`; `crons` must be an array of strings.
    init(reading root: TOMLNode.Table, reader: inout ConfigReader) throws(ConfigError) {
        let path = FieldPath("triggers")
        guard let table = try reader.table("triggers", in: root, at: FieldPath()) else {
            self.init()
            return
        }
        switch table["crons"] {
        case nil, .array?:
            break
        default:
            throw reader.error(
                "Expected \"triggers.crons\" to be of type array, but got \(TOMLNode.table(table).jsonText).",
                at: path.appending("crons")
            )
        }
        self.init(crons: try reader.stringArray("crons", in: table, at: path))
        reader.warnAboutUnexpectedFields(in: table, at: path, known: ["crons"])
    }
}
