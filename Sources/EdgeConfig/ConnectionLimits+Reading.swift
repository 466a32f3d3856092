extension ConnectionLimits {
    /// The `[dev]` fields read here.
    static let fieldNames: Set<String> = ["header_timeout", "body_timeout", "keep_alive_timeout", "max_connections"]

    /// Reads the connection fields of `[dev]` (`table`, at `path`): the timeouts are numbers of
    /// seconds, 0 or more (0 turns one off); `max_connections` a whole number, 1 or more.
    init(reading table: TOMLNode.Table, at path: FieldPath, reader: ConfigReader) throws(ConfigError) {
        self.init()
        if let seconds = try DevConfig.readSeconds("header_timeout", in: table, at: path, reader: reader) {
            headerTimeout = seconds == .zero ? nil : seconds
        }
        if let seconds = try DevConfig.readSeconds("body_timeout", in: table, at: path, reader: reader) {
            bodyTimeout = seconds == .zero ? nil : seconds
        }
        if let seconds = try DevConfig.readSeconds("keep_alive_timeout", in: table, at: path, reader: reader) {
            keepAliveTimeout = seconds == .zero ? nil : seconds
        }
        if let count = try reader.number("max_connections", in: table, at: path) {
            guard count == count.rounded(), count >= 1, count <= Double(Int32.max) else {
                let field = path.appending("max_connections")
                throw reader.error(
                    "\(field.description.jsonQuoted) should be a whole number of connections, 1 or more, but got \(count.jsonText).",
                    at: field
                )
            }
            maxConnections = Int(count)
        }
    }
}
