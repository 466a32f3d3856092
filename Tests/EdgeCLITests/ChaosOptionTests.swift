import ArgumentParser
import EdgeRuntime
import Foundation
import Testing

@testable import EdgeCLI

/// `edge dev --chaos[=SPEC]`: production's failures injected into the real server, seeded,
/// logged, and read and changed at `/cdn-cgi/edge/chaos`.
@Suite struct ChaosOptionTests {
    @Test func aBareChaosIsTheDefaultProfileAndASpecIsCheckedAtParseTime() throws {
        #expect(DevCommand.expandingChaos(["dev", "--chaos", "--port", "0"]) == ["dev", "--chaos=default", "--port", "0"])
        #expect(DevCommand.expandingChaos(["d1", "execute", "--chaos"]) == ["d1", "execute", "--chaos"], "only edge dev has it")
        #expect(try DevCommand.parse(["--chaos=seed=7,reset=0.5"]).chaos == "seed=7,reset=0.5")
        #expect(throws: (any Error).self) { try DevCommand.parse(["--chaos=reset=2"]) }
        #expect(DevCommand.helpMessage().contains("--chaos <SPEC>"))
    }

    @Test func devInjectsLogsAndServesThePlan() async throws {
        try await withTemporaryDirectory { state in
            let dev = try EdgeProcess.Dev(["--persist-to", state.path, "--port", "0", "--chaos=seed=7,d1-after-commit=every:1"])
            let url = try await dev.waitUntilReady()
            let order = #"{"items":[{"name":"Tea","quantity":1}]}"#
            let failed = try await fetch(url + "/v1/restaurants/demo/orders", method: "POST", body: order)
            #expect(failed.0 == 500 && failed.1.hasPrefix("D1_ERROR: "), "\(failed)")
            let (status, body) = try await fetch(url + "/cdn-cgi/edge/chaos")
            #expect(status == 200)
            struct State: Decodable { let seed: UInt64; let injected: [String: Int] }
            let plan = try JSONDecoder().decode(State.self, from: Data(body.utf8))
            #expect(plan.seed == 7 && plan.injected["d1-after-commit"] == 1 && plan.injected.count == FaultKind.allCases.count)
            #expect(try await fetch(url + "/cdn-cgi/edge/chaos", method: "POST", body: #"{"stop":true}"#).0 == 200)
            #expect(try await fetch(url + "/v1/restaurants/demo/orders", method: "POST", body: order).0 == 201)
            #expect(await dev.stop() == 0)
            #expect(dev.text.contains("Injecting faults: seed 7: d1-after-commit=every 1"), "\(dev.text)")
            #expect(dev.text.contains("fault injected: d1-after-commit at D1 query #1: D1 counterfire: D1_ERROR: "), "\(dev.text)")
        }
    }

    @Test func devWithoutChaosRefusesTheRoute() async throws {
        try await withTemporaryDirectory { state in
            let dev = try EdgeProcess.Dev(["--persist-to", state.path, "--port", "0"])
            let url = try await dev.waitUntilReady()
            let (status, body) = try await fetch(url + "/cdn-cgi/edge/chaos")
            #expect(status == 409 && body.contains("chaos_off"))
            #expect(await dev.stop() == 0)
        }
    }
}
