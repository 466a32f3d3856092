import NIOCore

/// A Server-Sent Events writer over a streaming body. Workers has no dedicated API for this:
/// handlers return a `text/event-stream` response around a `TransformStream` and write
/// `event:` / `id:` / `data:` frames; this type writes those frames correctly.
///
/// ```swift
/// let events = EventStream()
/// ctx.waitUntil { try await events.send(event: "tick", data: "1"); events.close() }
/// return Response(eventStream: events)
/// ```
public struct EventStream: Sendable {
    let stream: TransformStream
    /// The fault plan of the code that made the stream, asked at each frame queued.
    let faults: FaultPlan?

    /// Creates a stream.
    /// - Parameter maxBufferedBytes: how far a slow client may fall behind before
    ///   ``enqueue(event:id:data:)`` fails with ``StreamError/bufferFull(limit:)``.
    public init(maxBufferedBytes: Int = 1024 * 1024) {
        stream = TransformStream(highWaterMark: 64 * 1024, maxBufferedBytes: maxBufferedBytes)
        faults = IoContext.current?.services.faults
    }

    /// The body to return.
    public var readable: ReadableStream { stream.readable }

    /// Sends one event, waiting while the client is behind.
    public func send(event: String? = nil, id: String? = nil, data: String, retry: Int? = nil) async throws {
        if let faults { try drop(faults) }
        try await stream.writable.write(ServerSentEvent(event: event, id: id, data: data, retry: retry).encoded())
    }

    /// Queues one event without waiting (for fan-out). Throws when the client is too far behind or gone.
    public func enqueue(event: String? = nil, id: String? = nil, data: String) throws {
        if let faults { try drop(faults) }
        try stream.writable.enqueue(ServerSentEvent(event: event, id: id, data: data).encoded())
    }

    /// Queues an event already encoded with ``ServerSentEvent/encoded()``, without waiting: a
    /// fan-out to many streams encodes each event once instead of once per stream.
    public func enqueue(encoded event: ByteBuffer) throws {
        if let faults { try drop(faults) }
        try stream.writable.enqueue(event)
    }

    /// Queues a comment line (`: text`), the usual keep-alive.
    public func comment(_ text: String = "") throws {
        try stream.writable.enqueue(ByteBuffer(string: ": \(text)\n\n"))
    }

    /// Ends the stream.
    public func close() { stream.writable.close() }

    /// An injected `drop-stream` fault: the body fails, so the server cuts the connection without
    /// the chunked body's end, and this write throws as a write to a lost client does.
    private func drop(_ faults: FaultPlan) throws {
        guard faults.dropsStream() else { return }
        stream.writable.abort(StreamDropped())
        throw StreamDropped()
    }
    /// Whether the client went away.
    public var isCanceled: Bool { stream.writable.isCanceled }
    /// Whether the stream ended for any reason.
    public var isClosed: Bool { stream.writable.isClosed }
    /// Bytes written and not yet sent to the client.
    public var bufferedBytes: Int { stream.writable.bufferedBytes }
    /// Runs `handler` once when the client goes away.
    public func onCancel(_ handler: @escaping @Sendable (String) -> Void) { stream.writable.onCancel(handler) }
}

extension Response {
    /// A `text/event-stream` response around `events`, with `cache-control: no-cache`.
    public init(eventStream events: EventStream, headers: Headers = [:]) {
        var headers = headers
        headers.set("content-type", "text/event-stream")
        if !headers.has("cache-control") { headers.set("cache-control", "no-cache") }
        self.init(events.readable, status: .ok, headers: headers)
    }
}

/// One Server-Sent Event, as written on the wire and as read back by ``ServerSentEventParser``.
public struct ServerSentEvent: Sendable, Equatable {
    /// `event:`; `nil` means the default type, "message".
    public var event: String?
    /// `id:`.
    public var id: String?
    /// `data:` lines joined with "\n".
    public var data: String
    /// `retry:` in milliseconds.
    public var retry: Int?

    /// Creates an event.
    public init(event: String? = nil, id: String? = nil, data: String, retry: Int? = nil) {
        self.event = event
        self.id = id
        self.data = data
        self.retry = retry
    }

    /// The wire form, ending with a blank line.
    public func encoded() -> ByteBuffer {
        var text = ""
        if let event { text += "event: \(event)\n" }
        if let id { text += "id: \(id)\n" }
        if let retry { text += "retry: \(retry)\n" }
        if !data.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            // One line (any JSON message): no need to split by Character, which is slow on the
            // tens of kilobytes of a snapshot.
            text += "data: \(data)\n"
        } else {
            for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
                text += "data: \(line)\n"
            }
        }
        text += "\n"
        return ByteBuffer(string: text)
    }
}

/// Parses a `text/event-stream` body incrementally, as EventSource does (LF, CRLF or CR line
/// ends; comments ignored; `data` lines joined).
public struct ServerSentEventParser: Sendable {
    private var pending: [UInt8] = []
    private var event: String?
    private var id: String?
    private var data: [String] = []
    private var retry: Int?
    private var sawField = false
    /// Comment lines seen (keep-alives), counted.
    public private(set) var comments = 0

    /// Creates a parser.
    public init() {}

    /// Feeds bytes; returns the events completed by them.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        pending.append(contentsOf: bytes)
        var events: [ServerSentEvent] = []
        var start = 0
        var index = 0
        while index < pending.count {
            let byte = pending[index]
            if byte == 0x0A || byte == 0x0D {
                if byte == 0x0D, index + 1 >= pending.count { break }  // wait: CR may be followed by LF
                let line = String(decoding: pending[start..<index], as: UTF8.self)
                if byte == 0x0D, pending[index + 1] == 0x0A { index += 1 }
                if let event = process(line) { events.append(event) }
                start = index + 1
            }
            index += 1
        }
        pending.removeFirst(start)
        return events
    }

    private mutating func process(_ line: String) -> ServerSentEvent? {
        if line.isEmpty {
            defer { event = nil; data = []; retry = nil; sawField = false }
            guard sawField, !data.isEmpty || event != nil else { return nil }
            return ServerSentEvent(event: event, id: id, data: data.joined(separator: "\n"), retry: retry)
        }
        if line.hasPrefix(":") {
            comments += 1
            return nil
        }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = Substring(line)
            value = ""
        }
        sawField = true
        switch field {
        case "event": event = String(value)
        case "data": data.append(String(value))
        case "id": id = String(value)
        case "retry": retry = Int(value)
        default: break
        }
        return nil
    }
}
