import NIOCore

/// The write loop of a handler that polls what a worker produced from the connection's event
/// loop instead of running a task per connection: ``WebSocketSender`` (an end of a
/// `WebSocketPair`) and ``StreamingBodySender`` (a streaming body) share it.
///
/// One drain writes everything waiting while the channel is writable and flushes once. It
/// writes at most ``maxBytesPerTurn`` before handing the rest to a later turn of the loop, so one
/// busy connection does not hold up the loop's others. A drain entered again from inside one (a
/// flush makes the channel writable again, and the handler is told) runs once more after it.
/// Not `Sendable`: it lives on its handler's event loop.
final class PolledDrain {
    /// What one step of a drain did.
    enum Step {
        /// Wrote this many bytes, not flushed yet.
        case wrote(bytes: Int)
        /// Nothing is waiting; the poll armed the source's ready handler.
        case empty
        /// The source is done: what was written is flushed, then `finish` runs (it may close the
        /// connection), and the drain stops.
        case finish(() -> Void)
    }

    /// How much one turn on the event loop writes before yielding to other connections.
    static let maxBytesPerTurn = 256 * 1024

    private var draining = false
    private var again = false

    /// Writes what is waiting: `step` writes the source's next item, while `isActive()` and the
    /// channel is writable; `later` schedules the next drain when this turn's budget is spent.
    func drain(
        _ context: ChannelHandlerContext?, isActive: () -> Bool, later: () -> Void,
        _ step: (ChannelHandlerContext) -> Step
    ) {
        guard isActive() else { return }
        guard !draining else {
            again = true
            return
        }
        draining = true
        defer { draining = false }
        repeat {
            again = false
            guard let context else { return }
            turn(context, later, step)
        } while again && isActive()
    }

    private func turn(_ context: ChannelHandlerContext, _ later: () -> Void, _ step: (ChannelHandlerContext) -> Step) {
        var written = 0
        defer { if written > 0 { context.flush() } }
        while context.channel.isWritable {
            guard written < Self.maxBytesPerTurn else {
                later()
                return
            }
            switch step(context) {
            case .empty:
                return
            case .wrote(let bytes):
                written += bytes
            case .finish(let finish):
                if written > 0 { context.flush() }
                written = 0
                finish()
                return
            }
        }
    }
}
