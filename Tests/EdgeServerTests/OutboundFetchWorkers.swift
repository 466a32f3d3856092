import EdgeDurableObjects
import EdgeRuntime
import Foundation
import HTTPTypes
import NIOCore
import Synchronization

/// The bindings of ``OutboundWorker``.
struct OutboundEnv: WorkerEnv {
    let RELAY: DurableObjectNamespace<Relay>

    init(bindings: Bindings) throws {
        RELAY = try bindings.get("RELAY")
    }
}

/// A worker that calls the global `fetch` as a ported handler does; `?url=` names the target.
/// Whatever `fetch` throws comes back as a 502 whose body is the error, so tests can read it.
struct OutboundWorker: Worker {
    typealias Env = OutboundEnv

    func fetch(_ request: Request, env: OutboundEnv, ctx: ExecutionContext) async throws -> Response {
        let url = request.searchParams.get("url") ?? ""
        do {
            switch request.path {
            case "/get":
                return try await Self.summary(EdgeRuntime.fetch(url))
            case "/post":
                let options = RequestInit(
                    method: .post, headers: ["authorization": "Bearer secret", "content-type": "text/plain"], text: "payload")
                return try await Self.summary(EdgeRuntime.fetch(url, options))
            case "/stream-post":
                let chunks = AsyncStream<ByteBuffer> { continuation in
                    for part in ["one-", "two-", "three"] { continuation.yield(ByteBuffer(string: part)) }
                    continuation.finish()
                }
                return try await Self.summary(EdgeRuntime.fetch(url, RequestInit(method: .put, body: ReadableStream(chunks))))
            case "/manual":
                let response = try await EdgeRuntime.fetch(url, RequestInit(redirect: .manual))
                return Response("\(response.status.code) \(response.headers.get("location") ?? "-")")
            case "/error-mode":
                return try await Self.summary(EdgeRuntime.fetch(url, RequestInit(redirect: .error)))
            case "/timeout":
                // A minute on the emulator's (virtual) clock: only the test's advance fires it.
                return try await Self.summary(EdgeRuntime.fetch(url, RequestInit(signal: .timeout(milliseconds: 60_000))))
            case "/in-time":
                return try await Self.summary(EdgeRuntime.fetch(url, RequestInit(signal: .timeout(milliseconds: 5_000))))
            case "/abort":
                let controller = AbortController()
                Task {
                    try await Task.sleep(for: .milliseconds(100))
                    controller.abort()
                }
                return try await Self.summary(EdgeRuntime.fetch(url, RequestInit(signal: controller.signal)))
            case "/websocket":
                let response = try await EdgeRuntime.fetch(url, RequestInit(headers: ["upgrade": "websocket"]))
                guard let socket = response.webSocket else { return Response("\(response.status.code) no socket") }
                socket.accept()
                try socket.send("hello from the worker")
                return Response("\(response.status.code) socket")
            case "/pass-through":
                return try await EdgeRuntime.fetch(url)
            case "/object":
                return try await env.RELAY.getByName("relay").fetch(request)
            default:
                return Response("not found", status: .notFound)
            }
        } catch {
            return Response("\(error)", status: .badGateway)
        }
    }

    /// `<status> <body>` of a subrequest's response.
    static func summary(_ response: Response) async throws -> Response {
        Response("\(response.status.code) \(try await response.text())")
    }
}

/// A Durable Object that relays `?url=` with its own `fetch`.
actor Relay: DurableObject {
    typealias Env = OutboundEnv

    init(state: DurableObjectState, env: OutboundEnv) {}

    func fetch(_ request: Request) async throws -> Response {
        let url = request.searchParams.get("url") ?? ""
        do {
            return try await OutboundWorker.summary(EdgeRuntime.fetch(url, RequestInit(headers: ["x-from": "relay"])))
        } catch {
            return Response("\(error)", status: .badGateway)
        }
    }
}

/// The other side of the subrequests: a real HTTP server on 127.0.0.1 (Edge's own, on Hummingbird).
struct UpstreamWorker: Worker {
    struct Env: WorkerEnv {
        init(bindings: Bindings) throws {}
    }

    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
        let query = request.searchParams
        switch request.path {
        case "/echo":
            let body = try await request.text()
            let headers = ["authorization", "content-type", "x-from", "x-forwarded-host"]
                .map { "\($0)=\(request.headers.get($0) ?? "-")" }.joined(separator: " ")
            return Response("\(request.method.rawValue) \(request.path) body=\(body) \(headers)")
        case "/redirect":
            let status = Int(query.get("status") ?? "302") ?? 302
            return Response(status: HTTPResponse.Status(code: status), headers: ["location": query.get("to") ?? "/echo"])
        case "/hops":
            // Redirects `limit` times (`/hops?n=0` to `n=1` ...), then answers.
            let n = Int(query.get("n") ?? "0") ?? 0
            let limit = Int(query.get("limit") ?? "0") ?? 0
            guard n < limit else { return Response("after \(n)") }
            return Response(status: .found, headers: ["location": "/hops?n=\(n + 1)&limit=\(limit)"])
        case "/slow":
            // Answers long after any signal in these tests fires: a fetch that was not aborted
            // reads "200 late", which the test's text checks catch (no wall-clock bound needed).
            Slow.arrived.append(query.get("id") ?? "-")
            try await Task.sleep(for: .seconds(30))
            return Response("late")
        case "/drip":
            // "first;" at once, "second" once the test has read "first;" (or after 10 s, so that
            // a body held back until its end still ends, and fails the test instead of hanging).
            let stream = TransformStream()
            Task {
                try await stream.writable.write("first;")
                await Drip.second.wait(atMost: .seconds(10))
                Drip.secondWritten.store(true, ordering: .sequentiallyConsistent)
                try await stream.writable.write("second")
                stream.writable.close()
            }
            return Response(stream.readable)
        case "/chunks":
            let chunks = AsyncStream<ByteBuffer> { continuation in
                for index in 0..<50 { continuation.yield(ByteBuffer(string: "chunk\(index);")) }
                continuation.finish()
            }
            return Response(ReadableStream(chunks), headers: ["x-upstream": "yes"])
        default:
            return Response("upstream has no \(request.path)", status: .notFound)
        }
    }
}

/// The `?id=` of each request `/slow` has received.
enum Slow {
    static let arrived = LockedLines()
}

/// What `/drip` holds back until the test has read its first chunk.
enum Drip {
    static let second = Release()
    static let secondWritten = Atomic(false)

    /// A one-way gate: `open()` lets every waiter (and later ones) through.
    final class Release: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            waiters.forEach { $0.resume() }
        }

        /// Waits until opened, or `limit` has passed.
        func wait(atMost limit: Duration) async {
            let timer = Task {
                try? await Task.sleep(for: limit)
                self.open()
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let open = state.withLock { state in
                    if !state.open { state.waiters.append(continuation) }
                    return state.open
                }
                if open { continuation.resume() }
            }
            timer.cancel()
        }
    }
}
