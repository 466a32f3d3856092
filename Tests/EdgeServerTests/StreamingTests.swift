import EdgeRuntime
import EdgeTesting
import Foundation
import NIOCore
import Testing

@Suite("Streaming bodies")
struct StreamingTests {
    // The worker writes "first", waits 1 s, writes "second". A buffering server would deliver
    // both together; the 250 ms threshold leaves room for a loaded machine's scheduling delays.
    @Test("chunks reach the client as the worker writes them", arguments: TestMode.allCases)
    func chunksArriveBeforeTheHandlerFinishes(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            let response = try await client.stream(.get, "/stream?delay=100&gap=1000")
            #expect(response.status == .ok)
            var chunks: [BodyChunk] = []
            for try await chunk in response.chunks { chunks.append(chunk) }
            let text = chunks.map(\.text).joined()
            #expect(text == "first\nsecond\n")
            let first = try #require(chunks.first { $0.text.contains("first") })
            let second = try #require(chunks.first { $0.text.contains("second") })
            #expect(second.arrival - first.arrival >= .milliseconds(250), "the first chunk was held back until the second")
            if client.isLive {
                #expect(response.headers.get("transfer-encoding") == "chunked")
                #expect(response.headers.get("content-length") == nil)
                #expect(response.headers.get("content-encoding") == nil)
            }
        }
    }

    @Test("a body of known length gets Content-Length", arguments: TestMode.allCases)
    func knownLengthGetsContentLength(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            let response = try await client.execute(.get, "/hello")
            #expect(response.text == "hello edge")
            if client.isLive {
                #expect(response.headers.get("content-length") == "10")
                #expect(response.headers.get("transfer-encoding") == nil)
            }
        }
    }

    @Test("server-sent events are read one by one, with ids, names and multi-line data", arguments: TestMode.allCases)
    func serverSentEvents(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            let stream = try await client.events("/sse")
            #expect(stream.status == .ok)
            #expect(stream.headers.get("content-type") == "text/event-stream")
            #expect(stream.headers.get("cache-control") == "no-cache")
            var events: [ServerSentEvent] = []
            for try await event in stream { events.append(event) }
            #expect(events == [
                ServerSentEvent(event: "greeting", id: "1", data: "hello\nworld"),
                ServerSentEvent(event: nil, id: "2", data: "plain"),
                ServerSentEvent(event: "bye", id: "3", data: "{\"done\":true}"),
            ])
        }
    }

    @Test("Last-Event-ID resumes an event stream", arguments: TestMode.allCases)
    func lastEventIDResumes(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            var ids: [String?] = []
            for try await event in try await client.events("/sse", lastEventID: "1") { ids.append(event.id) }
            #expect(ids == ["2", "3"])
        }
    }

    @Test("a request body over 1 MiB streams to the worker", arguments: TestMode.allCases)
    func largeRequestBody(mode: TestMode) async throws {
        let bytes = (0..<(1_572_864 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let digest = crypto.subtle.digest(.sha256, bytes).map { String(format: "%02x", $0) }.joined()
        try await withEmulator(mode) { client in
            let response = try await client.execute(.post, "/upload", body: ByteBuffer(bytes: bytes))
            #expect(response.status == .ok)
            let upload = try response.json(as: Upload.self)
            #expect(upload.bytes == bytes.count)
            #expect(upload.sha256 == digest)
            if client.isLive {
                #expect(upload.chunks > 1, "the body arrived in one piece: it was buffered, not streamed")
            }
            let expecting = try await client.execute(.put, "/upload", headers: ["expect": "100-continue"], body: ByteBuffer(bytes: bytes))
            #expect(try expecting.json(as: Upload.self).sha256 == digest, "curl's Expect: 100-continue")
        }
    }

    /// The cancellation is driven by the connection closing, not by the next write failing (the
    /// worker writes nothing more); the bound only tells "promptly" from "never" on a busy machine.
    @Test("a client that goes away mid-stream cancels the stream promptly", arguments: TestMode.allCases)
    func disconnectCancelsTheStream(mode: TestMode) async throws {
        let (name, probe) = Probe.fresh()
        try await withEmulator(mode) { client in
            let response = try await client.stream(.get, "/hang?probe=\(name)")
            var chunks = response.chunks.makeAsyncIterator()
            let first = try await chunks.next()
            #expect(first?.text == "tick\n")
            let left = ContinuousClock.now
            response.cancel()
            let canceled = await probe.wait(timeout: .seconds(5)) { $0.hasPrefix("canceled") }
            #expect(canceled != nil, "the worker's onCancel did not run")
            #expect(ContinuousClock.now - left < .seconds(5))
        }
    }

    @Test("a body that fails cuts the connection")
    func failingBodyCutsTheConnection() async throws {
        let recorder = LogRecorder()
        try await withEmulator(.live, logger: recorder.logger()) { client in
            let response = try await client.stream(.get, "/broken")
            #expect(response.status == .ok)
            await #expect(throws: (any Error).self) {
                _ = try await response.collect()
            }
        }
        #expect(recorder.lines.contains { $0.hasPrefix("[edge:error] GET /broken: the response body failed") })
    }
}
