import NIOCore

/// Reading a streaming body without a task: for a host that writes it to a connection from the
/// connection's event loop. A task per response, woken per chunk, costs a task switch and then a
/// hop to the event loop for every chunk of every stream (an event fanned out to a thousand
/// Server-Sent Events streams is two thousand switches); a poller is woken once when chunks
/// arrive and takes all that are waiting.
extension ReadableStream {
    /// What ``Poller/poll()`` found.
    package enum Polled: Sendable {
        /// The next chunk, in order.
        case chunk(ByteBuffer)
        /// Nothing yet: the ready handler runs once when something comes.
        case empty
        /// The body ended normally.
        case finished
        /// The body failed (the writer aborted it, or the reader canceled it).
        case failed(any Error)
    }

    /// The reading end of a streaming body, polled.
    package struct Poller: Sendable {
        let pipe: Pipe

        /// Sets the handler that ``poll()`` arms when it finds nothing: it runs once, on the
        /// thread that wrote the next chunk (or ended the body), outside any lock.
        package func setReady(_ handler: @escaping @Sendable () -> Void) {
            pipe.setWake(handler)
        }

        /// The next chunk or the end, without waiting.
        package func poll() -> Polled {
            switch pipe.poll() {
            case .none: .empty
            case .success(let chunk?): .chunk(chunk)
            case .success(.none): .finished
            case .failure(let error): .failed(error)
            }
        }

        /// The poller is done: the ready handler is released.
        package func stop() {
            pipe.stopPolling()
        }
    }

    /// Reads the body by polling instead of iterating: only a body written through a
    /// ``TransformStream`` (or an ``EventStream``) can be, and only if it was not read yet. A
    /// body taken this way counts as read.
    package func poller() -> Poller? {
        guard case .pipe(let pipe) = source, markUsed() else { return nil }
        return Poller(pipe: pipe)
    }
}
