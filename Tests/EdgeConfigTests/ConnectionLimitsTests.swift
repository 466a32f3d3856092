import EdgeConfig
import Foundation
import Testing

/// `[dev] header_timeout`, `body_timeout`, `keep_alive_timeout`, `max_connections`.
@Suite struct ConnectionLimitsTests {
    private static let path = URL(fileURLWithPath: "/tmp/edge/wrangler-like.toml")

    @Test("without [dev] the limits are workerd's, nginx's and Node's, and the cap is decided at start")
    func defaults() throws {
        let limits = try WranglerConfig.parse("name = \"x\"\n", at: Self.path).config.dev.connections
        #expect(limits == ConnectionLimits())
        #expect(limits.headerTimeout == .seconds(15))
        #expect(limits.bodyTimeout == .seconds(60))
        #expect(limits.keepAliveTimeout == .seconds(65))
        #expect(limits.maxConnections == nil)
    }

    @Test("each field is read, seconds may be fractional, and 0 turns a timeout off")
    func fields() throws {
        let text = """
            [dev]
            header_timeout = 2.5
            body_timeout = 0
            keep_alive_timeout = 30
            max_connections = 512
            """
        let loaded = try WranglerConfig.parse(text, at: Self.path)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        #expect(
            loaded.config.dev.connections
                == ConnectionLimits(headerTimeout: .milliseconds(2500), bodyTimeout: nil, keepAliveTimeout: .seconds(30), maxConnections: 512))
    }

    @Test("a bad value is an error naming file, line and field", arguments: [
        ("max_connections = 1.5", "\"dev.max_connections\" should be a whole number of connections, 1 or more, but got 1.5."),
        ("max_connections = -3", "\"dev.max_connections\" should be a whole number of connections, 1 or more, but got -3."),
        ("body_timeout = -1", "\"dev.body_timeout\" should be a number of seconds, 0 or more, but got -1."),
        ("header_timeout = true", "Expected \"dev.header_timeout\" to be of type number but got true."),
    ])
    func badValues(line: String, message: String) throws {
        do {
            _ = try WranglerConfig.parse("[dev]\nport = 8787\n\(line)\n", at: Self.path)
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.line == 3)
            #expect(error.message == message)
            #expect(error.description == "/tmp/edge/wrangler-like.toml:3: \(message)")
        }
    }
}
