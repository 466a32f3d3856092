import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`: chosen descriptors reach it at chosen numbers and
/// every other descriptor of this process is closed in it.
///
/// Edge's own spawner rather than Foundation's `Process`: that one's `run()` lists
/// `/proc/self/fd` by copying each entry's whole 256-byte name field, which reads past the end of
/// glibc's `readdir` buffer and crashes (SIGSEGV in `memmove`) once a process holds about a
/// thousand descriptors, as a server or a test with many sockets does (fixed upstream in
/// swift-corelibs-foundation after Swift 6.3.1's release; the comment in its
/// `findMaximumOpenFromProcSelfFD` tells it). glibc's `closefrom` action closes the rest here.
package final class ChildProcess: Sendable {
    package let pid: pid_t
    private let reaped = Mutex<Int32?>(nil)

    private init(pid: pid_t) { self.pid = pid }

    /// Starts `executable` with `arguments`; each `(parent, child)` pair makes the parent's
    /// descriptor `parent` the child's `child`, and no other descriptor past stderr reaches it.
    /// SIGINT, SIGTERM and SIGPIPE start at their defaults and no signal is blocked, whatever
    /// this process set for itself. `directory` is the child's working directory.
    /// With `newProcessGroup` the child leads a process group of its own, so ``signalGroup(_:)``
    /// reaches what it starts too (a build's compilers).
    package static func spawn(
        executable: String, arguments: [String], directory: String? = nil,
        descriptors: [(parent: CInt, child: CInt)], newProcessGroup: Bool = false
    ) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (parent, child) in descriptors {
            posix_spawn_file_actions_adddup2(&actions, parent, child)
        }
        let firstUnused = max(3, (descriptors.map(\.child).max() ?? 2) + 1)
        guard SpawnActions.closeFrom(&actions, firstUnused) == 0 else {
            throw ChildProcessError("Could not start \(executable): posix_spawn_file_actions_addclosefrom_np failed")
        }
        if let directory {
            guard SpawnActions.changeDirectory(&actions, directory) == 0 else {
                throw ChildProcessError("Could not start \(executable): posix_spawn_file_actions_addchdir_np failed")
            }
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
            throw ChildProcessError("Could not start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Where a child's standard stream goes: this process's own, `/dev/null`, or a pipe (whose
    /// child end is closed here once the child has it, as Foundation's `Process` does).
    package enum Stream {
        case inherit
        case discard
        case pipe(Pipe)
    }

    /// Starts `executable` with its standard input, output and error as asked.
    package static func spawn(
        executable: String, arguments: [String], directory: String? = nil,
        input: Stream = .inherit, output: Stream = .inherit, error: Stream = .inherit
    ) throws -> ChildProcess {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        var descriptors: [(parent: CInt, child: CInt)] = []
        var childEnds: [FileHandle] = []
        for (stream, number) in [(input, CInt(0)), (output, 1), (error, 2)] {
            switch stream {
            case .inherit: descriptors.append((number, number))
            case .discard: descriptors.append((null, number))
            case .pipe(let pipe):
                let end = number == 0 ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                descriptors.append((end.fileDescriptor, number))
                if !childEnds.contains(where: { $0 === end }) { childEnds.append(end) }
            }
        }
        let process = try spawn(executable: executable, arguments: arguments, directory: directory, descriptors: descriptors)
        for end in childEnds { try? end.close() }
        return process
    }

    /// Sends `signal` to the child.
    package func signal(_ signal: CInt) {
        if isRunning { kill(pid, signal) }
    }

    /// Sends `signal` to the child's process group (see `newProcessGroup`).
    package func signalGroup(_ signal: CInt) {
        if isRunning { kill(-pid, signal) }
    }

    /// Whether the child has not exited yet (an exited child is reaped here).
    package var isRunning: Bool {
        reaped.withLock { status in
            if status != nil { return false }
            var raw: CInt = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return true }
            status = Self.shellStatus(raw)
            return false
        }
    }

    /// Blocks until the child exits and returns its exit status, or 128 + the signal that ended
    /// it, as a shell reports it.
    package func waitUntilExit() -> Int32 {
        var info = siginfo_t()
        // Waits without reaping, so `isRunning` on another thread never races a second reaper.
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        return reaped.withLock { status in
            if let status { return status }
            var raw: CInt = 0
            while waitpid(pid, &raw, 0) < 0 {
                if errno != EINTR { status = -1; return -1 }
            }
            status = Self.shellStatus(raw)
            return status!
        }
    }

    /// ``waitUntilExit()`` on a thread of its own.
    package func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.waitUntilExit()) }
        }
    }

    private static func shellStatus(_ raw: CInt) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

package struct ChildProcessError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34) and `_addchdir_np` (2.29): Swift's
/// Glibc module does not declare them (they sit behind `_GNU_SOURCE`), so they are looked up.
private enum SpawnActions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, CInt) -> CInt
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> CInt

    nonisolated(unsafe) static let closeFromFunction: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    nonisolated(unsafe) static let changeDirectoryFunction: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    static func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ first: CInt) -> CInt {
        closeFromFunction.map { $0(actions, first) } ?? ENOSYS
    }

    static func changeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> CInt {
        guard let changeDirectoryFunction else { return ENOSYS }
        return path.withCString { changeDirectoryFunction(actions, $0) }
    }

    private static func symbol<T>(_ name: String) -> T? {
        guard let address = dlsym(nil, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }
}
