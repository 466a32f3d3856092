import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The line protocol between `edge dev`'s supervisor and one build of the worker (a child
/// process), over a Unix socket pair the child inherits as `--control-fd`:
///
/// | from       | line       | meaning                                                             |
/// |------------|------------|---------------------------------------------------------------------|
/// | child      | `prepared` | config read, databases open, new migrations applied, `Env` built; no Durable Object runs and nothing is accepted yet |
/// | supervisor | `serve`    | start the alarms and accept on the inherited socket                 |
/// | child      | `serving`  | accepting                                                           |
/// | supervisor | `handover` | a newer build is prepared: stop accepting, drain, let every Durable Object go (`Emulator.handOver`) |
/// | child      | `released` | no object of this build runs any more; the child exits              |
///
/// The end of the stream means the other side is gone: a child whose supervisor disappeared
/// (killed with SIGKILL, say) exits at once, so no build outlives its session.
final class ReloadLink: @unchecked Sendable {
    enum Message: String, Sendable {
        case prepared, serve, serving, handover, released
    }

    private let descriptor: CInt
    private let lock = NSLock()
    private var buffered: [Message] = []
    private var waiting: CheckedContinuation<Message?, Never>?
    private var ended = false

    /// Reads `descriptor` on a thread of its own (blocking reads stay off Swift's pool).
    init(descriptor: CInt) {
        self.descriptor = descriptor
        Thread.detachNewThread { [self] in readLoop() }
    }

    /// A connected pair: the supervisor's end (close-on-exec) and the one a child inherits.
    static func pair() throws -> (supervisor: CInt, child: CInt) {
        var fds: [CInt] = [0, 0]
        #if canImport(Glibc)
        let type = CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else {
            throw ReloadError("Could not create a socket pair: \(String(cString: strerror(errno)))")
        }
        return (fds[0], fds[1])
    }

    /// Sends one message; a peer that has gone is noticed by the reader.
    func send(_ message: Message) {
        lock.lock()
        let gone = ended
        lock.unlock()
        if gone { return }
        let line = Array("\(message.rawValue)\n".utf8)
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, CInt(MSG_NOSIGNAL))
                if written < 0, errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// The next message, or `nil` once the peer has gone.
    func next() async -> Message? {
        await withCheckedContinuation { continuation in
            lock.lock()
            if !buffered.isEmpty {
                let message = buffered.removeFirst()
                lock.unlock()
                continuation.resume(returning: message)
            } else if ended {
                lock.unlock()
                continuation.resume(returning: nil)
            } else {
                waiting = continuation
                lock.unlock()
            }
        }
    }

    /// Waits for `expected`, skipping nothing: any other message, or the end, is `false`.
    func expect(_ expected: Message) async -> Bool {
        await next() == expected
    }

    /// Closes this end: the peer's reader sees the end of the stream.
    func close() {
        shutdown(descriptor, CInt(SHUT_RDWR))
    }

    private func readLoop() {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            pending += chunk[0..<count]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if let message = Message(rawValue: line) { deliver(message) }
            }
        }
        lock.lock()
        ended = true
        let continuation = waiting
        waiting = nil
        Glibc.close(descriptor)
        lock.unlock()
        continuation?.resume(returning: nil)
    }

    private func deliver(_ message: Message) {
        lock.lock()
        if let continuation = waiting {
            waiting = nil
            lock.unlock()
            continuation.resume(returning: message)
        } else {
            buffered.append(message)
            lock.unlock()
        }
    }
}

/// A reload that could not go ahead, with a message for the terminal.
struct ReloadError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
