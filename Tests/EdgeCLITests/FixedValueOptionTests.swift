import Foundation
import Testing

/// Options with fixed values are ArgumentParser enums: a bad value is refused before anything
/// runs, with the values there are, and `--help` lists them.
@Suite struct FixedValueOptionTests {
    @Test func aBadLogLevelIsRefusedWithTheLevels() async throws {
        let result = try await EdgeProcess.run(["dev", "--log-level", "loud"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("loud"), "\(result.stderr)")
        #expect(result.stderr.contains("'debug', 'info', 'warn', 'error'") && result.stderr.contains("'none'"), "\(result.stderr)")
        let help = try await EdgeProcess.run(["dev", "--help"])
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")  // help wraps lines
        #expect(words.contains("(values: debug, info, warn, error, none; default: info)"), "\(help.stdout)")
    }

    @Test func aBadWebSocketsDispositionIsRefusedBeforeAnyRequest() async throws {
        // Port 1 has no server: a value that got past the parser would fail on the connection.
        let result = try await EdgeProcess.run(["do", "evict", "ORDER_HUB", "--all", "--websockets", "keep", "--url", "http://127.0.0.1:1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("'hibernate'") && result.stderr.contains("'close'"), "\(result.stderr)")
        #expect(!result.stderr.contains("Is `edge dev` running?"), "\(result.stderr)")
    }
}
