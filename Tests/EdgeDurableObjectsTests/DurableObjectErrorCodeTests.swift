import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Testing

/// The runtime's own errors carry a `Code`, so Swift code branches on it and never on the text.
@Suite struct DurableObjectErrorCodeTests {
    @Test func codesSurviveTheStubAndNameTheRuntimesErrors() async throws {
        try await Harness.run(lifecycle: LifecycleSettings(maxHibernatableWebSockets: 1)) { harness throws in
            let stub = harness.sockets("codes")
            // Through the stub (the error crosses it: remote, code kept).
            let tags = await expectError("Error: a Hibernatable WebSocket cannot have more than 10 tags") {
                _ = try await stub.fetch(Request("https://do/too-many-tags"))
            }
            #expect((tags as? DurableObjectError)?.code == .tooManyTags)
            #expect((tags as? DurableObjectError)?.remote == true)

            // Past the limit of hibernatable sockets.
            _ = try await stub.fetch(Request("https://do/connect?tag=kds"))
            let limit = await expectError(
                "Error: Too many WebSockets: a Durable Object can hold at most 1 hibernatable WebSocket connections. Close one before accepting another."
            ) {
                _ = try await stub.fetch(Request("https://do/connect?tag=kds"))
            }
            #expect((limit as? DurableObjectError)?.code == .tooManyWebSockets)

            // A bad id; and an error the object's own code threw, which has no code.
            do {
                _ = try harness.namespace("SOCKETS", SocketHub.self).idFromString("xyz")
                Issue.record("idFromString accepted xyz")
            } catch let error as DurableObjectError {
                #expect(error.code == .invalidIdFormat)
            }
            let own = await expectError("Error: fetch failed") {
                _ = try await harness.counter("codes").fetch(Request("https://do/throw"))
            }
            #expect((own as? DurableObjectError)?.code == nil)
        }
    }
}
