import NIOCore
import Synchronization

/// Work for one event loop, woken from other threads and run there in batches.
///
/// A worker broadcasting to a thousand sockets wakes a thousand connection writers; an
/// `execute` each is a thousand hops (and as many wake-ups of a sleeping loop). Here the first
/// wake-up of a burst schedules one run, and the rest join it.
final class LoopWakeups: Sendable {
    let loop: any EventLoop
    private let pending = Mutex<(work: [@Sendable () -> Void], scheduled: Bool)>(([], false))

    init(loop: any EventLoop) {
        self.loop = loop
    }

    /// Runs `work` on the loop, with whatever else is scheduled before that run starts.
    func schedule(_ work: @escaping @Sendable () -> Void) {
        let first: Bool = pending.withLock { pending in
            pending.work.append(work)
            defer { pending.scheduled = true }
            return !pending.scheduled
        }
        if first { loop.execute { self.run() } }
    }

    private func run() {
        let batch = pending.withLock { pending in
            pending.scheduled = false
            defer { pending.work = [] }
            return pending.work
        }
        for work in batch { work() }
    }
}

/// The ``LoopWakeups`` of a server's event loops.
final class LoopWakeupsRegistry: Sendable {
    private let byLoop = Mutex<[ObjectIdentifier: LoopWakeups]>([:])

    func wakeups(for loop: any EventLoop) -> LoopWakeups {
        byLoop.withLock { byLoop in
            let key = ObjectIdentifier(loop)
            if let wakeups = byLoop[key] { return wakeups }
            let wakeups = LoopWakeups(loop: loop)
            byLoop[key] = wakeups
            return wakeups
        }
    }
}
