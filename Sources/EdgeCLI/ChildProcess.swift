import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, so chosen descriptors reach it at chosen numbers
/// (Foundation's `Process` closes every descriptor past stderr in the child).
struct ChildProcess: Sendable {
    let pid: pid_t

    /// Starts `executable` with `arguments`; each `(parent, child)` pair makes the parent's
    /// descriptor `parent` the child's `child`. SIGINT, SIGTERM and SIGPIPE start at their
    /// defaults and no signal is blocked, whatever this process set for itself.
    /// With `newProcessGroup` the child leads a process group of its own, so ``signalGroup(_:)``
    /// reaches what it starts too (a build's compilers).
    static func spawn(
        executable: String, arguments: [String], descriptors: [(parent: CInt, child: CInt)], newProcessGroup: Bool = false
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (parent, child) in descriptors {
            posix_spawn_file_actions_adddup2(&actions, parent, child)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        if newProcessGroup {
            flags |= POSIX_SPAWN_SETPGROUP
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw ReloadError("Could not start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Sends `signal` to the child.
    func signal(_ signal: CInt) {
        kill(pid, signal)
    }

    /// Sends `signal` to the child's process group (see `newProcessGroup`).
    func signalGroup(_ signal: CInt) {
        kill(-pid, signal)
    }

    /// Waits for the child to exit (on a thread of its own) and returns its exit status, or
    /// 128 + the signal that ended it, as a shell reports it.
    func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: CInt = 0
                while waitpid(pid, &status, 0) < 0 {
                    if errno != EINTR {
                        continuation.resume(returning: -1)
                        return
                    }
                }
                let signal = status & 0x7f
                continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            }
        }
    }
}
