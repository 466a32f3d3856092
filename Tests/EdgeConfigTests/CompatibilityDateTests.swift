import EdgeConfig
import Foundation
import Testing

@Suite("compatibility_date older than Edge's behaviour")
struct CompatibilityDateTests {
    @Test("an old date warns once, at its line, naming each behaviour that differs and its flag")
    func oldDateWarns() throws {
        try TemporaryDirectory.with { directory in
            let file = try directory.write(
                """
                name = "old"
                compatibility_date = "2026-03-01"
                """, to: "wrangler-like.toml")
            let result = try WranglerConfig.load(from: file)
            let warning = try #require(result.warnings.first)
            #expect(result.warnings.count == 1)
            #expect(warning.line == 2)
            #expect(warning.field == "compatibility_date")
            #expect(warning.message.contains("durable_object_io_tasks_prevent_eviction"))
            #expect(warning.message.contains("web_socket_auto_reply_to_close"))
            #expect(!warning.message.contains("delete_all_deletes_alarm"), "2026-02-24 is before the config's date")
            #expect(warning.message.contains(#"Set compatibility_date = "2026-10-01""#))
        }
    }

    @Test("a current date, or the flags that turn the behaviours on, give no warning")
    func currentDateOrFlagsAreQuiet() throws {
        try TemporaryDirectory.with { directory in
            let current = try directory.write(#"compatibility_date = "2026-10-01""#, to: "a.toml")
            #expect(try WranglerConfig.load(from: current).warnings.isEmpty)
            let flagged = try directory.write(
                """
                compatibility_date = "2026-03-01"
                compatibility_flags = ["durable_object_io_tasks_prevent_eviction", "web_socket_auto_reply_to_close"]
                """, to: "b.toml")
            #expect(try WranglerConfig.load(from: flagged).warnings.isEmpty)
        }
    }
}
