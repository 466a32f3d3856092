import DequeModule

/// The KDS messages this hub instance fanned out last, kept so that a kitchen resuming over a
/// gap they cover is answered from memory: no D1 read and no fold of the orders' history (a
/// 10 000-event gap took about 110 ms of its 150 ms there).
///
/// It holds only what this instance sent live, so it is exactly what the kitchens saw; a new
/// instance (cold start, eviction, reset) starts it empty and resumes go to D1 until it fills.
/// Cursors of a restaurant are gapless, so the messages after ``coveredFrom`` are all here, in
/// order; the oldest are dropped past ``maxEvents`` messages or ``maxBytes`` of JSON.
struct RecentEvents {
    struct Message {
        let cursor: Int
        let json: String
    }

    static let maxEvents = 50_000
    static let maxBytes = 8 * 1024 * 1024

    /// Every message with a cursor above this one is held (up to ``last``).
    private(set) var coveredFrom: Int
    /// The held messages, oldest first: a ring buffer, so dropping the oldest moves nothing.
    private var messages: Deque<Message> = []
    private var bytes = 0

    /// Empty, covering the events after `cursor` (the board's cursor when it was loaded).
    init(after cursor: Int) {
        coveredFrom = cursor
    }

    /// The cursor of the newest message held, or ``coveredFrom`` when none is.
    var last: Int { messages.last?.cursor ?? coveredFrom }

    var count: Int { messages.count }

    /// Keeps the message just fanned out for `cursor`. A cursor that does not follow ``last``
    /// (which gapless cursors never give) starts over from it.
    mutating func append(cursor: Int, json: String) {
        if cursor != last + 1 {
            self = RecentEvents(after: cursor - 1)
        }
        messages.append(Message(cursor: cursor, json: json))
        bytes += json.utf8.count
        while messages.count > Self.maxEvents || (bytes > Self.maxBytes && messages.count > 1) {
            let dropped = messages.removeFirst()
            bytes -= dropped.json.utf8.count
            coveredFrom = dropped.cursor
        }
    }

    /// The messages of `(after, upTo]`, or `nil` when some of them are not held.
    func messages(after: Int, upTo: Int) -> Slice<Deque<Message>>? {
        guard after >= coveredFrom, after <= upTo, upTo <= last else { return nil }
        return messages[(after - coveredFrom)..<(upTo - coveredFrom)]
    }
}
