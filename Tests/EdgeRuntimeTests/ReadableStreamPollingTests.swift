import NIOCore
import Synchronization
import Testing

@testable import EdgeRuntime

@Suite struct ReadableStreamPollingTests {
    private func text(_ polled: ReadableStream.Polled) -> String? {
        if case .chunk(let chunk) = polled { return String(buffer: chunk) }
        return nil
    }

    @Test func pollingTakesWhatWaitsAndWakesOnceWhenEmpty() throws {
        let stream = TransformStream()
        let wakes = Mutex(0)
        let poller = try #require(stream.readable.poller())
        poller.setReady { wakes.withLock { $0 += 1 } }
        try stream.writable.enqueue(ByteBuffer(string: "a"))
        #expect(wakes.withLock { $0 } == 0, "not armed before the first poll")
        #expect(text(poller.poll()) == "a")
        guard case .empty = poller.poll() else { Issue.record("expected empty"); return }
        try stream.writable.enqueue(ByteBuffer(string: "b"))
        try stream.writable.enqueue(ByteBuffer(string: "c"))
        #expect(wakes.withLock { $0 } == 1, "one wake for a burst")
        #expect(stream.writable.bufferedBytes == 2)
        #expect(text(poller.poll()) == "b")
        #expect(text(poller.poll()) == "c")
        #expect(stream.writable.bufferedBytes == 0)
        guard case .empty = poller.poll() else { Issue.record("expected empty"); return }
        stream.writable.close()
        #expect(wakes.withLock { $0 } == 2, "the end wakes an armed poller")
        guard case .finished = poller.poll() else { Issue.record("expected the end"); return }
    }

    @Test func aFailureAndACancelReachThePoller() throws {
        let failing = TransformStream()
        let failed = try #require(failing.readable.poller())
        let woken = Mutex(false)
        failed.setReady { woken.withLock { $0 = true } }
        guard case .empty = failed.poll() else { Issue.record("expected empty"); return }
        failing.writable.abort(StreamError.aborted("boom"))
        #expect(woken.withLock { $0 })
        guard case .failed(let error) = failed.poll() else { Issue.record("expected the failure"); return }
        #expect(error as? StreamError == StreamError.aborted("boom"))

        let canceled = TransformStream()
        let poller = try #require(canceled.readable.poller())
        let cancelWake = Mutex(false)
        poller.setReady { cancelWake.withLock { $0 = true } }
        guard case .empty = poller.poll() else { Issue.record("expected empty"); return }
        canceled.readable.cancel(reason: "gone")
        #expect(cancelWake.withLock { $0 })
        guard case .failed(let reason) = poller.poll() else { Issue.record("expected the cancel"); return }
        #expect((reason as? StreamError)?.isCanceled == true)
        #expect(throws: StreamError.self) { try canceled.writable.enqueue(ByteBuffer(string: "late")) }
    }

    @Test func onlyAnUnreadStreamingBodyCanBePolled() async throws {
        #expect(ReadableStream("fixed").poller() == nil)
        let stream = TransformStream()
        _ = stream.readable.makeAsyncIterator()
        #expect(stream.readable.poller() == nil, "already read")
        let fresh = TransformStream()
        #expect(fresh.readable.poller() != nil)
        #expect(fresh.readable.poller() == nil, "taken once")
        fresh.writable.close()
        await #expect(throws: StreamError.alreadyUsed) { try await fresh.readable.text() }
    }

    @Test func aReaderGetsQueuedChunksWithoutWaiting() async throws {
        let stream = TransformStream(highWaterMark: 1_000_000, maxBufferedBytes: 10_000_000)
        for index in 0..<1_000 { try stream.writable.enqueue(ByteBuffer(string: "\(index),")) }
        stream.writable.close()
        var text = ""
        for try await chunk in stream.readable { text += String(buffer: chunk) }
        #expect(text == (0..<1_000).map { "\($0)," }.joined())
    }
}
