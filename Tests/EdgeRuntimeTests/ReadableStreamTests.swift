import NIOCore
import Testing

@testable import EdgeRuntime

@Suite struct ReadableStreamTests {
    @Test func fixedBodyReadsOnceThenFailsAsUsed() async throws {
        let body = ReadableStream("hello")
        #expect(try await body.text() == "hello")
        await #expect(throws: StreamError.alreadyUsed) { try await body.text() }
    }

    @Test func transformStreamDeliversChunksInOrder() async throws {
        let stream = TransformStream()
        Task {
            for i in 0..<5 { try await stream.writable.write("chunk\(i);") }
            stream.writable.close()
        }
        #expect(try await stream.readable.text() == "chunk0;chunk1;chunk2;chunk3;chunk4;")
    }

    @Test func writerWaitsAboveHighWaterMarkUntilReaderCatchesUp() async throws {
        let stream = TransformStream(highWaterMark: 4, maxBufferedBytes: 100)
        try stream.writable.enqueue(ByteBuffer(string: "12345"))
        let wrote = ManagedFlag()
        let writer = Task {
            try await stream.writable.write(ByteBuffer(string: "x"))
            wrote.set()
        }
        // Until the writer waits (or, broken, has written past the mark without waiting).
        while stream.writable.pipe.waitingWriters == 0, !wrote.isSet { await Task.yield() }
        #expect(!wrote.isSet)
        var iterator = stream.readable.makeAsyncIterator()
        _ = try await iterator.next()
        try await writer.value
        #expect(wrote.isSet)
    }

    @Test func enqueueFailsWhenTheReaderIsTooFarBehind() throws {
        let stream = TransformStream(highWaterMark: 4, maxBufferedBytes: 8)
        try stream.writable.enqueue(ByteBuffer(string: "12345678"))
        #expect(throws: StreamError.bufferFull(limit: 8)) {
            try stream.writable.enqueue(ByteBuffer(string: "9"))
        }
    }

    @Test func cancelByReaderFailsWritesAndRunsHandlers() async throws {
        let stream = TransformStream()
        let reason = ManagedFlag()
        stream.writable.onCancel { _ in reason.set() }
        stream.readable.cancel(reason: "client went away")
        #expect(reason.isSet)
        #expect(stream.writable.isCanceled)
        await #expect(throws: StreamError.canceled("client went away")) {
            try await stream.writable.write("late")
        }
    }

    /// Read to its end (or its failure), a stream can no longer be cancelled, so it lets go of
    /// its cancel handlers: one that holds an object which holds the stream (a hub's subscriber
    /// list) no longer keeps both alive once the stream is over.
    @Test func aStreamReadToItsEndLetsGoOfItsCancelHandlers() async throws {
        final class Owner: Sendable {}
        for fails in [false, true] {
            let stream = TransformStream()
            weak var released: Owner?
            do {
                let owner = Owner()
                released = owner
                stream.writable.onCancel { _ in _ = owner }
            }
            #expect(released != nil)
            try await stream.writable.write("last")
            if fails { stream.writable.abort(StreamError.canceled("gone")) } else { stream.writable.close() }
            _ = try? await stream.readable.collect(upTo: 100)
            #expect(released == nil, "failed: \(fails)")
            // Asked after the end, a handler is not kept either (nor run: nothing was cancelled).
            let late = ManagedFlag()
            stream.writable.onCancel { _ in late.set() }
            stream.readable.cancel(reason: "after the end")
            #expect(!late.isSet)
        }
    }

    @Test func collectStopsAtTheLimit() async throws {
        let stream = TransformStream()
        Task {
            for _ in 0..<10 { try? await stream.writable.write(ByteBuffer(repeating: 1, count: 100)) }
            stream.writable.close()
        }
        await #expect(throws: StreamError.tooLarge(limit: 500)) { try await stream.readable.collect(upTo: 500) }
    }

    @Test func terminationRunsWhenFullyRead() async throws {
        let stream = TransformStream()
        let ended = ManagedFlag()
        stream.readable.onTermination { ended.set() }
        try await stream.writable.write("a")
        stream.writable.close()
        #expect(!ended.isSet)
        _ = try await stream.readable.text()
        #expect(ended.isSet)
    }

    @Test func abortFailsTheReader() async throws {
        struct Boom: Error {}
        let stream = TransformStream()
        stream.writable.abort(Boom())
        await #expect(throws: Boom.self) { try await stream.readable.text() }
    }
}

/// A thread-safe flag for tests.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLockish()
    private var value = false
    func set() { lock.with { value = true } }
    var isSet: Bool { lock.with { value } }
}

import Synchronization
final class NSLockish: Sendable {
    private let mutex = Mutex(())
    func with<T>(_ body: () -> T) -> T { mutex.withLock { _ in body() } }
}
