import Foundation

extension WranglerConfig {
    /// The top-level fields Edge reads; any other is reported as unexpected.
    static let knownFields: Set<String> = [
        "name", "main", "compatibility_date", "compatibility_flags", "vars", "d1_databases",
        "durable_objects", "services", "migrations", "triggers", "dev", "assets",
    ]

    /// Reads and validates a whole config document, section by section, in wrangler's order of concerns:
    /// fields, then unexpected fields, then binding names, then the Durable Object migration history.
    init(reading root: TOMLNode.Table, reader: inout ConfigReader) throws(ConfigError) {
        let top = FieldPath()
        let configDirectory = reader.file.deletingLastPathComponent()
        self.init(path: reader.file)
        self.name = try Self.readName(from: root, reader: reader)
        self.main = try reader.string("main", in: root, at: top)
        self.compatibilityDate = try Self.readCompatibilityDate(from: root, reader: reader)
        self.compatibilityFlags = try reader.stringArray("compatibility_flags", in: root, at: top)
        self.vars = try VarValue.readVars(from: root, reader: reader)
        self.d1Databases = try D1DatabaseConfig.readAll(from: root, configDirectory: configDirectory, reader: &reader)
        self.durableObjects = try DurableObjectBindingConfig.readAll(from: root, reader: &reader)
        self.services = try ServiceBindingConfig.readAll(from: root, reader: &reader)
        self.migrations = try DurableObjectMigration.readAll(from: root, reader: &reader)
        self.triggers = try TriggersConfig(reading: root, reader: &reader)
        self.dev = try DevConfig(reading: root, reader: &reader)
        self.assets = try AssetsConfig(reading: root, configDirectory: configDirectory, reader: &reader)
        reader.warnAboutUnexpectedFields(in: root, at: top, known: Self.knownFields)
        if let date = compatibilityDate,
            let warning = CompatibilityDate.warning(date: date, flags: compatibilityFlags, reader: reader)
        {
            reader.warn(warning)
        }
        self.fieldLocations = reader.locations
        try checkBindingNamesAreUnique()
        _ = try durableObjectClassStorage
    }

    /// `name`: wrangler's rule, lowercase letters, digits, `_` and `-`, not starting with `-`.
    private static func readName(from root: TOMLNode.Table, reader: ConfigReader) throws(ConfigError) -> String {
        let path = FieldPath("name")
        guard let node = root["name"] else { return defaultName }
        guard case .string(let name) = node, isValidName(name) else {
            throw reader.error(
                "Expected \"name\" to be of type string, alphanumeric and lowercase with dashes only but got \(node.jsonText).",
                at: path
            )
        }
        return name
    }

    private static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "-") else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// `compatibility_date`: a string holding a real calendar date written `yyyy-mm-dd`.
    private static func readCompatibilityDate(from root: TOMLNode.Table, reader: ConfigReader) throws(ConfigError) -> String? {
        guard let date = try reader.string("compatibility_date", in: root, at: FieldPath()) else { return nil }
        guard isCalendarDate(date) else {
            throw reader.error(
                "\"compatibility_date\" field should be a valid ISO-8601 date (YYYY-MM-DD), but got \(date.jsonQuoted).",
                at: FieldPath("compatibility_date")
            )
        }
        return date
    }

    private static func isCalendarDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month)
        else { return false }
        let isLeapYear = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let daysInMonth = [31, isLeapYear ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...daysInMonth).contains(day)
    }
}
