import Foundation

extension DevConfig {
    /// The `[dev]` fields Edge reads; any other is reported as unexpected.
    static let knownFields = Set(["ip", "port", "hibernate_after", "evict_after"]).union(ConnectionLimits.fieldNames)

    /// Reads `[dev]`: `ip` non-empty, `port` an integer in 1...65535, the lifecycle delays
    /// non-negative numbers of seconds; the connection limits in `ConnectionLimits+Reading.swift`.
    init(reading root: TOMLNode.Table, reader: inout ConfigReader) throws(ConfigError) {
        let path = FieldPath("dev")
        self.init()
        guard let table = try reader.table("dev", in: root, at: FieldPath()) else { return }
        if let ip = try reader.string("ip", in: table, at: path) {
            guard !ip.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw reader.error("\"dev.ip\" should be a non-empty string but got \(ip.jsonQuoted).", at: path.appending("ip"))
            }
            self.ip = ip
        }
        if let port = try reader.number("port", in: table, at: path) {
            guard port == port.rounded(), (1...65535).contains(port) else {
                throw reader.error(
                    "\"dev.port\" should be a port number between 1 and 65535 but got \(port.jsonText).",
                    at: path.appending("port")
                )
            }
            self.port = Int(port)
        }
        if let seconds = try Self.readSeconds("hibernate_after", in: table, at: path, reader: reader) {
            self.hibernateAfter = seconds
        }
        if let seconds = try Self.readSeconds("evict_after", in: table, at: path, reader: reader) {
            self.evictAfter = seconds
        }
        self.connections = try ConnectionLimits(reading: table, at: path, reader: reader)
        reader.warnAboutUnexpectedFields(in: table, at: path, known: Self.knownFields)
    }

    static func readSeconds(
        _ key: String,
        in table: TOMLNode.Table,
        at path: FieldPath,
        reader: ConfigReader
    ) throws(ConfigError) -> Duration? {
        guard let seconds = try reader.number(key, in: table, at: path) else { return nil }
        guard seconds.isFinite, seconds >= 0 else {
            let field = path.appending(key)
            throw reader.error(
                "\(field.description.jsonQuoted) should be a number of seconds, 0 or more, but got \(seconds.jsonText).",
                at: field
            )
        }
        return .seconds(seconds)
    }
}
