import ArgumentParser
import Foundation
import Testing

@testable import EdgeCLI

/// `edge dev --outbound-to URL`: every outbound `fetch` to a local stub (the forwarding itself is
/// tested end to end in EdgeServerTests' `OutboundFetchTests`).
@Suite struct OutboundToOptionTests {
    @Test func theOptionTakesAnHTTPOriginAndIsInTheHelp() throws {
        let command = try DevCommand.parse(["--outbound-to", "http://127.0.0.1:9999"])
        #expect(command.outboundTo == "http://127.0.0.1:9999")
        #expect(DevCommand.origin("http://127.0.0.1:9999")?.port == 9999)
        #expect(DevCommand.helpMessage().contains("--outbound-to <URL>"))
    }

    @Test func anythingButAnHTTPOriginIsRefusedAtParseTime() {
        for bad in ["ftp://127.0.0.1:21", "127.0.0.1:9999", "not a url"] {
            #expect(throws: (any Error).self, "\(bad)") { try DevCommand.parse(["--outbound-to", bad]) }
            #expect(DevCommand.origin(bad) == nil, "\(bad)")
        }
    }
}
