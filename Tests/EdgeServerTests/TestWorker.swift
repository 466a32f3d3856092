import EdgeD1
import EdgeDurableObjects
import EdgeRuntime
import Foundation
import HTTPTypes
import NIOCore

/// The bindings of the test worker.
struct TestEnv: WorkerEnv {
    let GREETING: String
    let DB: D1Database
    let COUNTER: DurableObjectNamespace<Counter>

    init(bindings: Bindings) throws {
        GREETING = try bindings.text("GREETING")
        DB = try bindings.get("DB")
        COUNTER = try bindings.get("COUNTER")
    }
}

struct TestError: Error, CustomStringConvertible {
    let description: String
}

/// A small worker exercising what the server bridges: streams, SSE, WebSockets, bodies.
/// Handlers that report what they saw do it on a ``Probe`` named by the `probe` query parameter.
struct TestWorker: Worker {
    typealias Env = TestEnv

    func fetch(_ request: Request, env: TestEnv, ctx: ExecutionContext) async throws -> Response {
        let probe = request.searchParams.get("probe").map(Probe.named)
        switch request.path {
        case "/hello":
            return Response("hello \(env.GREETING)")
        case "/request":
            return Response.json([
                "method": request.method.rawValue,
                "url": request.url.absoluteString,
                "host": request.headers.get("host") ?? "",
                "cfConnectingIP": request.headers.get("cf-connecting-ip") ?? "",
            ])
        case "/stream":
            let gap = Int(request.searchParams.get("gap") ?? "300") ?? 300
            let delay = Int(request.searchParams.get("delay") ?? "0") ?? 0
            let stream = TransformStream()
            ctx.waitUntil {
                try await Task.sleep(for: .milliseconds(delay))
                try await stream.writable.write("first\n")
                try await Task.sleep(for: .milliseconds(gap))
                try await stream.writable.write("second\n")
                stream.writable.close()
            }
            return Response(stream.readable, headers: ["content-type": "text/plain"])
        case "/sse":
            return serverSentEvents(after: request.headers.get("last-event-id").flatMap(Int.init) ?? 0, ctx: ctx)
        case "/hang":
            let stream = TransformStream()
            stream.writable.onCancel { reason in probe?.record("canceled: \(reason)") }
            ctx.waitUntil { try await stream.writable.write("tick\n") }
            return Response(stream.readable, headers: ["content-type": "text/plain"])
        case "/broken":
            let stream = TransformStream()
            ctx.waitUntil {
                try await stream.writable.write("partial")
                try await Task.sleep(for: .milliseconds(50))
                stream.writable.abort(TestError(description: "the source failed"))
            }
            return Response(stream.readable)
        case "/ws":
            return webSocket(request, probe: probe)
        case "/ws-refuse":
            return Response.json(["error": "upgrade required"], status: .init(code: 426))
        case "/upload":
            var count = 0
            var chunks = 0
            var bytes: [UInt8] = []
            for try await chunk in request.body {
                count += chunk.readableBytes
                chunks += 1
                bytes.append(contentsOf: chunk.readableBytesView)
            }
            let digest = crypto.subtle.digest(.sha256, bytes).map { String(format: "%02x", $0) }.joined()
            return Response.json(Upload(bytes: count, chunks: chunks, sha256: digest))
        case "/throw":
            throw TestError(description: "boom")
        case "/invalid":
            return Response("nope", status: .init(code: 600))
        case "/slow":
            probe?.record("started")
            try await Task.sleep(for: .milliseconds(400))
            return Response("slow done")
        case "/db":
            let value = try await env.DB.prepare("SELECT value FROM items WHERE id = 1").first("value")
            return Response(value?.stringValue ?? "none")
        case let path where path.hasPrefix("/counter/"):
            let name = String(path.dropFirst("/counter/".count))
            return try await env.COUNTER.getByName(name).fetch(request)
        default:
            return Response("worker: not found \(request.path)", status: .notFound)
        }
    }

    func scheduled(_ controller: ScheduledController, env: TestEnv, ctx: ExecutionContext) async throws {
        Probe.named("scheduled").record(controller.cron)
        if controller.cron == "fail" { throw TestError(description: "cron failed") }
        if controller.cron.hasPrefix("no-retry") { controller.noRetry() }
        if controller.cron == "no-retry fail" { throw TestError(description: "cron failed") }
    }

    private func serverSentEvents(after: Int, ctx: ExecutionContext) -> Response {
        let events = EventStream()
        let all: [(event: String?, data: String)] = [("greeting", "hello\nworld"), (nil, "plain"), ("bye", "{\"done\":true}")]
        ctx.waitUntil {
            for (index, item) in all.enumerated() where index + 1 > after {
                try await events.send(event: item.event, id: String(index + 1), data: item.data)
                try await Task.sleep(for: .milliseconds(20))
            }
            events.close()
        }
        return Response(eventStream: events)
    }

    private func webSocket(_ request: Request, probe: Probe?) -> Response {
        guard request.isWebSocketUpgrade else {
            return Response("Expected Upgrade: websocket", status: .init(code: 426))
        }
        let (client, server) = WebSocketPair()
        server.accept()
        if let greeting = request.searchParams.get("greet") {
            try? server.send(greeting)
        }
        Task {
            for await event in server.events {
                switch event {
                case .message(.text("close-me")):
                    server.close(code: 4001, reason: "bye")
                case .message(let message):
                    try? server.send(message)
                case .close(let code, let reason, let wasClean):
                    probe?.record("close \(code) \(reason) \(wasClean)")
                case .error(let message):
                    probe?.record("error \(message)")
                }
            }
        }
        var headers: Headers = [:]
        if request.headers.get("sec-websocket-protocol")?.contains("chat") == true {
            headers.set("sec-websocket-protocol", "chat")
        }
        return Response(webSocket: client, headers: headers)
    }
}

struct Upload: Codable {
    let bytes: Int
    let chunks: Int
    let sha256: String
}

/// A Durable Object counting its requests in storage.
actor Counter: DurableObject {
    typealias Env = TestEnv
    let state: DurableObjectState

    init(state: DurableObjectState, env: TestEnv) {
        self.state = state
    }

    func fetch(_ request: Request) async throws -> Response {
        let count = (try state.storage.get("count", as: Int.self) ?? 0) + 1
        try state.storage.put("count", count)
        return Response("\(count)")
    }
}

/// A worker whose `Env` needs a binding the fixture config does not declare.
struct NeedyWorker: Worker {
    struct Env: WorkerEnv {
        let MISSING: D1Database
        init(bindings: Bindings) throws { MISSING = try bindings.get("MISSING") }
    }

    func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response { Response("unreachable") }
}
