import EdgeConfig
import EdgeDurableObjects
import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Logging
import Synchronization
import Testing

/// `[dev] header_timeout`, `body_timeout` and `keep_alive_timeout`, one at a time, over raw
/// sockets: what the client gets, what the handler sees, and what is not cut.
@Suite struct ConnectionTimeoutTests {
    // MARK: header_timeout

    @Test("a head not complete in time gets 408 and the connection closes; a connection that sent nothing is closed without a response")
    func incompleteHead() async throws {
        try await withTimeoutWorker(ConnectionLimits(headerTimeout: .seconds(1), bodyTimeout: nil, keepAliveTimeout: nil)) { port, _ in
            let partial = try await WireProbe.connect(port: port)
            try await partial.send("GET /hello HTTP/1.1\r\nHost: x\r\n")
            let silent = try await WireProbe.connect(port: port)
            let response = try await partial.waitForResponse()
            #expect(response.status == 408)
            #expect(response.header("connection") == "close")
            #expect(response.text.contains("request head was not complete within 1 s"), "\(response.text)")
            try await waitUntil { partial.isClosed && silent.isClosed }
            #expect(try #require(partial.closedAt) - partial.opened >= .seconds(1))
            #expect(silent.received.isEmpty, "\(String(decoding: silent.received, as: UTF8.self))")
            #expect(try #require(silent.closedAt) - silent.opened >= .seconds(1))
        }
    }

    @Test("a client that sends its head a byte at a time is held to the deadline, not to inactivity")
    func slowHeadIsHeldToTheDeadline() async throws {
        try await withTimeoutWorker(ConnectionLimits(headerTimeout: .seconds(1), bodyTimeout: nil, keepAliveTimeout: nil)) { port, _ in
            let probe = try await WireProbe.connect(port: port)
            try await probe.send("GET /hello HTTP/1.1\r\n")
            var sent = 0
            while !probe.isClosed {
                try? await probe.send("x-\(sent): y\r\n")  // never the blank line
                sent += 1
                guard sent < 1_000 else { throw TestFailure("still open after \(sent) header lines") }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(probe.responses.map(\.status) == [408])
        }
    }

    @Test("on a keep-alive connection the next head counts from its first byte, and a whole request in time is answered")
    func laterHeadsCountFromTheirFirstByte() async throws {
        try await withTimeoutWorker(ConnectionLimits(headerTimeout: .seconds(1), bodyTimeout: nil, keepAliveTimeout: nil)) { port, _ in
            let probe = try await WireProbe.connect(port: port)
            try await probe.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await probe.waitForResponse().status == 200)
            // Quiet for longer than header_timeout: not a head in progress, so not timed (and
            // keep_alive_timeout is off here).
            try await Task.sleep(for: .seconds(2))
            #expect(!probe.isClosed)
            try await probe.send("GET /hello HTTP/1.1\r\n")
            let second = try await probe.waitForResponse(after: 1)
            #expect(second.status == 408)
            try await waitUntil { probe.isClosed }
        }
    }

    // MARK: body_timeout

    @Test("a body that stalls gets 408, the connection closes, and the handler reading it gets an error it can catch")
    func stalledBody() async throws {
        try await withTimeoutWorker(ConnectionLimits(headerTimeout: nil, bodyTimeout: .seconds(1), keepAliveTimeout: nil)) { port, outcomes in
            let probe = try await WireProbe.connect(port: port)
            try await probe.send("POST /upload?id=stalled HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
            let response = try await probe.waitForResponse()
            #expect(response.status == 408)
            #expect(response.header("connection") == "close")
            try await waitUntil { probe.isClosed }
            try await waitUntil { outcomes.value(for: "stalled") != nil }
            let outcome = try #require(outcomes.value(for: "stalled"))
            #expect(outcome.hasPrefix("error: The request body stalled: no bytes arrived for 1 s ([dev] body_timeout)"), "\(outcome)")
            // Only the 408 reached the client: the handler's own answer to the error was not sent.
            #expect(probe.responses.count == 1)
        }
    }

    @Test("a body that is slow but never stalls for body_timeout is read to its end")
    func slowBodyIsNotAStall() async throws {
        try await withTimeoutWorker(ConnectionLimits(headerTimeout: nil, bodyTimeout: .seconds(1), keepAliveTimeout: nil)) { port, outcomes in
            let probe = try await WireProbe.connect(port: port)
            try await probe.send("POST /upload?id=slow HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n")
            for digit in 0..<10 {
                try await Task.sleep(for: .milliseconds(250))  // 2.5 s in all, more than body_timeout
                try await probe.send(String(digit))
            }
            #expect(try await probe.waitForResponse().status == 200)
            #expect(outcomes.value(for: "slow") == "read 10 bytes")
            probe.close()
        }
    }

    @Test("an event stream answering a request whose body stalls is not cut by body_timeout")
    func eventStreamBodiesAreNotTimed() async throws {
        try await withTimeoutWorker(ConnectionLimits(headerTimeout: nil, bodyTimeout: .seconds(1), keepAliveTimeout: nil)) { port, _ in
            let probe = try await WireProbe.connect(port: port)
            // The worker answers at once without reading the body, which never comes.
            try await probe.send("POST /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nContent-Length: 100\r\n\r\n0123456789")
            try await waitUntil { String(decoding: probe.received, as: UTF8.self).contains("data: 1") }
            try await waitUntil(timeout: .seconds(20)) { String(decoding: probe.received, as: UTF8.self).contains("data: 4") }
            #expect(!probe.isClosed)
            #expect(String(decoding: probe.received, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\n"))
            probe.close()
        }
    }

    // MARK: keep_alive_timeout

    @Test("an idle keep-alive connection is closed without a response; one in use, or waiting for a slow answer, is not")
    func idleKeepAlive() async throws {
        try await withTimeoutWorker(ConnectionLimits(headerTimeout: nil, bodyTimeout: nil, keepAliveTimeout: .seconds(1))) { port, _ in
            let idle = try await WireProbe.connect(port: port)
            let sentAt = ContinuousClock.now
            try await idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await idle.waitForResponse().status == 200)

            // Requests every 300 ms for 3 s: never idle for 1 s.
            let busy = try await WireProbe.connect(port: port)
            for index in 0..<10 {
                try await busy.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await busy.waitForResponse(after: index).status == 200)
                try await Task.sleep(for: .milliseconds(300))
            }
            // An answer that takes twice keep_alive_timeout is waited for.
            try await busy.send("GET /slow?ms=2000 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await busy.waitForResponse(after: 10).status == 200)

            try await waitUntil { idle.isClosed }
            #expect(idle.responses.count == 1 && idle.received.count > 0)
            #expect(try #require(idle.closedAt) - sentAt >= .seconds(1))
            try await waitUntil { busy.isClosed }  // idle now, so it goes too
            #expect(busy.responses.count == 11)
        }
    }

    @Test("an event stream whose request is quiet for longer than every timeout is not cut")
    func eventStreamsAreNotTimed() async throws {
        try await withTimeoutWorker(ConnectionLimits(headerTimeout: .seconds(1), bodyTimeout: .seconds(1), keepAliveTimeout: .seconds(1))) { port, _ in
            let probe = try await WireProbe.connect(port: port)
            try await probe.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            try await waitUntil { String(decoding: probe.received, as: UTF8.self).contains("data: 1") }
            try await waitUntil(timeout: .seconds(20)) { String(decoding: probe.received, as: UTF8.self).contains("data: 4") }
            #expect(!probe.isClosed)
            probe.close()
        }
    }
}

// MARK: shutdown

/// What the connection state handler does when the server shuts down (HummingbirdCore's, which
/// `HTTPConnectionState` copies): an idle keep-alive connection closes at once, one with a request
/// in flight right after its answer, both long before the grace period ends.
@Suite struct ShutdownConnectionTests {
    @Test("at shutdown an idle keep-alive connection is closed, and one waiting for an answer is closed after the answer")
    func shutdownClosesKeepAlives() async throws {
        // Timeouts off, so that only shutdown closes these connections.
        let limits = ConnectionLimits(headerTimeout: nil, bodyTimeout: nil, keepAliveTimeout: nil)
        let config = WranglerConfig(
            path: FileManager.default.temporaryDirectory.appendingPathComponent("wrangler-like.toml"),
            name: "timeouts", dev: DevConfig(connections: limits))
        let module = WorkerModule(TimeoutWorker(outcomes: BodyOutcomes()), durableObjects: [])
        try await Emulator.test(.live, config: config, module: module, logger: quietLogger) { client in
            let port = try #require(client.server?.port)
            let idle = try await WireProbe.connect(port: port)
            try await idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await idle.waitForResponse().status == 200)
            let busy = try await WireProbe.connect(port: port)
            try await busy.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: x\r\n\r\n")
            try await Task.sleep(for: .milliseconds(200))  // the request reaches the worker

            // A grace period far longer than the waits below: closing by the end of it would not pass.
            let shutdown = Task { await client.emulator.shutdown(gracePeriod: .seconds(120)) }
            try await waitUntil(timeout: .seconds(20)) { idle.isClosed }
            #expect(idle.responses.count == 1)
            try await waitUntil(timeout: .seconds(20)) { busy.isClosed }
            #expect(busy.responses.map(\.status) == [200])
            await shutdown.value
        }
    }
}

// MARK: the worker

/// What each `/upload?id=` request's handler saw when reading its body.
final class BodyOutcomes: Sendable {
    private let outcomes = Mutex<[String: String]>([:])

    func record(_ id: String, _ outcome: String) {
        outcomes.withLock { $0[id] = outcome }
    }

    func value(for id: String) -> String? {
        outcomes.withLock { $0[id] }
    }
}

struct NoBindings: WorkerEnv {
    init(bindings: Bindings) throws {}
}

/// `/upload` reads its body and records what happened; `/slow?ms=` answers late; `/events`
/// streams an event a second; anything else says hello.
struct TimeoutWorker: Worker {
    typealias Env = NoBindings
    let outcomes: BodyOutcomes

    func fetch(_ request: Request, env: NoBindings, ctx: ExecutionContext) async throws -> Response {
        switch request.path {
        case "/upload":
            let id = request.searchParams.get("id") ?? ""
            do {
                let text = try await request.text()
                outcomes.record(id, "read \(text.utf8.count) bytes")
                return Response("got \(text.utf8.count) bytes")
            } catch {
                outcomes.record(id, "error: \(error)")
                return Response("the body failed: \(error)", status: .badRequest)
            }
        case "/slow":
            try await Task.sleep(for: .milliseconds(Int(request.searchParams.get("ms") ?? "0") ?? 0))
            return Response("slow")
        case "/events":
            let stream = TransformStream()
            ctx.waitUntil {
                for index in 1...5 {
                    try await stream.writable.write("data: \(index)\n\n")
                    try await Task.sleep(for: .milliseconds(1_000))
                }
                stream.writable.close()
            }
            return Response(stream.readable, headers: ["content-type": "text/event-stream"])
        default:
            return Response("hello")
        }
    }
}

/// Serves ``TimeoutWorker`` live with `limits`; `body` gets the port and the body outcomes.
func withTimeoutWorker(
    _ limits: ConnectionLimits, logger: Logger = quietLogger, _ body: (Int, BodyOutcomes) async throws -> Void
) async throws {
    let outcomes = BodyOutcomes()
    let config = WranglerConfig(
        path: FileManager.default.temporaryDirectory.appendingPathComponent("wrangler-like.toml"),
        name: "timeouts", dev: DevConfig(connections: limits))
    try await Emulator.test(.live, config: config, module: WorkerModule(TimeoutWorker(outcomes: outcomes), durableObjects: []), logger: logger) { client in
        try await body(try #require(client.server?.port), outcomes)
    }
}
