@testable import EdgeRuntime
import Foundation
import Synchronization
import Testing

/// The global `fetch` without sockets: an `IoContext` whose sender is a function, as the hosts
/// hand one in. What `fetch` does itself (checks, redirects, cancellation) is the same whoever
/// answers; EdgeServerTests' `OutboundFetchTests` runs it over real sockets.
@Suite struct FetchTests {
    /// A sender that records each hop and answers with `answer`.
    struct Sender: Fetcher {
        let hops = Hops()
        let answer: @Sendable (Request) async throws -> Response

        func fetch(_ request: Request) async throws -> Response {
            hops.add("\(request.method.rawValue) \(request.url.absoluteString)")
            return try await answer(request)
        }
    }

    final class Hops: Sendable {
        private let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    static func withSender<T>(_ sender: Sender, _ body: () async throws -> T) async rethrows -> T {
        let io = IoContext(
            IoContext.Services(clock: SystemClock(), console: ConsoleSink { _, _ in }, outbound: sender),
            label: "GET /", deliver: { callback in await callback() })
        return try await IoContext.$current.withValue(io) { try await body() }
    }

    @Test func outsideAHostFetchSaysSo() async {
        await #expect(throws: TypeError.self) { try await fetch("https://api.example.com/") }
    }

    @Test func onlyHTTPAndHTTPSLeaveAndRedirectErrorIsRefusedAsOnWorkers() async throws {
        let sender = Sender { _ in Response("never") }
        try await Self.withSender(sender) {
            await #expect(throws: TypeError("Fetch API cannot load: wss://chat.example.com/socket")) {
                try await fetch("wss://chat.example.com/socket")
            }
            await #expect(throws: TypeError.self) { try await fetch("https://api.example.com/", RequestInit(redirect: .error)) }
        }
        #expect(sender.hops.all.isEmpty)
    }

    @Test func relativeRedirectsResolveAgainstTheCurrentURLAndASchemeChangeIsChecked() async throws {
        let sender = Sender { request in
            switch request.url.path {
            case "/a": Response(status: .movedPermanently, headers: ["location": "b?x=1"])
            case "/b": Response(status: .seeOther, headers: ["location": "ftp://files.example.com/c"])
            default: Response("unexpected")
            }
        }
        try await Self.withSender(sender) {
            await #expect(throws: TypeError("Fetch API cannot load: ftp://files.example.com/c")) {
                try await fetch("https://api.example.com/a")
            }
        }
        #expect(sender.hops.all == ["GET https://api.example.com/a", "GET https://api.example.com/b?x=1"])
    }

    @Test func anAbortedSignalSendsNothingAndCancellingTheTaskEndsAPendingFetch() async throws {
        let sender = Sender { _ in
            try await Task.sleep(for: .seconds(60))
            return Response("late")
        }
        try await Self.withSender(sender) {
            await #expect(throws: DOMException("The operation was aborted", name: "AbortError")) {
                try await fetch("https://api.example.com/", RequestInit(signal: .abort()))
            }
            #expect(sender.hops.all.isEmpty)
            let pending = Task { try await fetch("https://api.example.com/slow") }
            while sender.hops.all.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            let start = ContinuousClock.now
            pending.cancel()
            await #expect(throws: CancellationError.self) { try await pending.value }
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }
}
