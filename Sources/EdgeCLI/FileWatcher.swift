import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Watches what `edge dev` rebuilds from, with the kernel's notifications (inotify), never by
/// polling files: a watch on each directory (recursively where asked, new subdirectories
/// included as they appear), events read on a thread of its own, and a batch of changed paths
/// yielded once no event has come for `debounce` (an editor's save is several events; a
/// `git checkout` is many).
///
/// Files are watched through their directory, so a save that writes a temporary file and
/// renames it over the original (most editors) is seen. Hidden files and editors' temporary
/// files (`.x.swp`, `x~`, vim's `4913`) are ignored.
final class FileWatcher: @unchecked Sendable {
    /// One directory to watch.
    struct Target: Sendable, Equatable {
        let directory: String
        /// Subdirectories too.
        let recursive: Bool
        /// Only these file names (`nil`: every file).
        let names: Set<String>?
    }

    /// Batches of changed paths, debounced; ends with ``stop()``.
    let changes: AsyncStream<[String]>

    private let continuation: AsyncStream<[String]>.Continuation
    private let inotify: CInt
    private let wake: (read: CInt, write: CInt)
    private let debounce: Duration
    private var watches: [CInt: (path: String, target: Target)] = [:]

    private static let mask = UInt32(
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF
            | IN_ONLYDIR)

    /// Starts watching `targets` (a directory that does not exist is skipped).
    init(targets: [Target], debounce: Duration = .milliseconds(100)) throws {
        inotify = inotify_init1(CInt(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw ReloadError("inotify_init1 failed: \(String(cString: strerror(errno)))") }
        var pipeEnds: [CInt] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            close(inotify)
            throw ReloadError("pipe failed: \(String(cString: strerror(errno)))")
        }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        wake = (pipeEnds[0], pipeEnds[1])
        self.debounce = debounce
        (changes, continuation) = AsyncStream.makeStream()
        for target in targets { add(target.directory, target) }
        Thread.detachNewThread { [self] in run() }
    }

    /// Stops watching; `changes` ends.
    func stop() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    /// Whether `name` is a file an edit is made of (not hidden, not an editor's temporary file).
    static func isRelevant(_ name: String) -> Bool {
        !(name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".swx") || name == "4913")
    }

    // MARK: the watching thread

    private func add(_ directory: String, _ target: Target) {
        let descriptor = inotify_add_watch(inotify, directory, Self.mask)
        guard descriptor >= 0 else { return }
        watches[descriptor] = (directory, target)
        guard target.recursive, let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where !entry.hasPrefix(".") {
            let path = directory + "/" + entry
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                add(path, target)
            }
        }
    }

    private func run() {
        var changed: [String] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
        let debounceMs = CInt(debounce.components.seconds * 1000 + debounce.components.attoseconds / 1_000_000_000_000_000)
        while true {
            let ready = poll(&fds, 2, changed.isEmpty ? -1 : debounceMs)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[1].revents != 0 { break }
            if ready == 0 {
                // Quiet for `debounce`: the batch is complete.
                var seen = Set<String>()
                continuation.yield(changed.filter { seen.insert($0).inserted })
                changed = []
                continue
            }
            let count = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            changed += parse(buffer, count: count)
        }
        continuation.finish()
        close(inotify)
        close(wake.read)
        close(wake.write)
    }

    /// The relevant paths in a buffer of `inotify_event`s; new directories get watches.
    private func parse(_ buffer: [UInt8], count: Int) -> [String] {
        var paths: [String] = []
        var offset = 0
        let header = MemoryLayout<inotify_event>.size
        buffer.withUnsafeBytes { bytes in
            while offset + header <= count {
                let event = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                let nameBytes = bytes[(offset + header)..<min(count, offset + header + Int(event.len))]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                offset += header + Int(event.len)
                if event.mask & UInt32(IN_IGNORED) != 0 {
                    watches[event.wd] = nil
                    continue
                }
                guard let (directory, target) = watches[event.wd] else { continue }
                if name.isEmpty {
                    // The watched directory itself was deleted or moved.
                    if event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 { paths.append(directory) }
                    continue
                }
                let path = directory + "/" + name
                let isDirectory = event.mask & UInt32(IN_ISDIR) != 0
                if isDirectory {
                    guard target.recursive, !name.hasPrefix(".") else { continue }
                    if event.mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { add(path, target) }
                    paths.append(path)
                    continue
                }
                guard Self.isRelevant(name), target.names.map({ $0.contains(name) }) ?? true else { continue }
                // A new file is counted when written (IN_CLOSE_WRITE), not when created empty.
                if event.mask == UInt32(IN_CREATE) { continue }
                paths.append(path)
            }
        }
        return paths
    }
}
