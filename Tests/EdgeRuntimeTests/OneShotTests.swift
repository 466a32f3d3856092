@testable import EdgeRuntime
import Testing

@Suite struct OneShotTests {
    @Test func everyWaiterGetsTheFirstResultAndLaterOnesAreIgnored() async throws {
        let promise = OneShot<Int>()
        let waiters = (0..<3).map { _ in Task { try await promise.value } }
        // The waiters are suspended (or about to be): none can have a value yet.
        #expect(promise.resolve(.success(7)))
        #expect(!promise.resolve(.success(8)), "a second result is ignored")
        for waiter in waiters { #expect(try await waiter.value == 7) }
        #expect(try await promise.value == 7, "a waiter after the result gets it at once")
    }

    @Test func aFailureReachesEveryWaiter() async throws {
        struct Refused: Error, Equatable {}
        let promise = OneShot<String>()
        let early = Task { try await promise.value }
        promise.resolve(.failure(Refused()))
        await #expect(throws: Refused.self) { try await early.value }
        await #expect(throws: Refused.self) { try await promise.value }
    }
}
