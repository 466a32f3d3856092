import EdgeServer
import EdgeTesting
import Testing

@Suite("ScheduledController.noRetry()")
struct ScheduledNoRetryTests {
    @Test("noRetry() shows in the outcome, failing or not", arguments: TestMode.allCases)
    func noRetry(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            let failed = try await client.execute(.get, "/cdn-cgi/local/scheduled?cron=no-retry%20fail&format=json")
            #expect(failed.status == .internalServerError)
            let outcome = try failed.json(as: [String: AnyCodableValue].self)
            #expect(outcome["outcome"] == .string("exception"))
            #expect(outcome["noRetry"] == .bool(true))
            let ok = await client.scheduled(cron: "no-retry")
            #expect(ok.ok && ok.noRetry && ok.error == nil)
            #expect(await client.scheduled(cron: "plain").noRetry == false)
        }
    }
}
