import EdgeServer
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How `edge dev` rebuilds the executable it runs when a source changes: the package it was
/// built from, and the build command (by default the `swift build` that rebuilt it: the same
/// scratch directory, configuration and product, so only what changed compiles).
struct PackageBuild: Sendable {
    /// The directory with `Package.swift`.
    let root: URL
    /// The running executable, which each build replaces (resolved at start: once rebuilt,
    /// `/proc/self/exe` names a deleted file).
    let executable: String
    /// The shell command that rebuilds ``executable``.
    let command: String

    /// The package holding `config` (or the working directory) and the command that rebuilds
    /// this executable; `nil` with the reason when there is none to watch.
    static func locate(config: URL, buildCommand: String?) -> (build: PackageBuild?, reason: String?) {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return (nil, "the running executable cannot be found (/proc/self/exe)")
        }
        let starts = [config.deletingLastPathComponent(), URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        guard let root = starts.lazy.compactMap(packageRoot(above:)).first else {
            return (nil, "no Package.swift in \(starts[0].path) or above")
        }
        if let buildCommand { return (PackageBuild(root: root, executable: executable, command: buildCommand), nil) }
        // SwiftPM's layout: <scratch>/<triple>/<configuration>/<product>.
        let binary = URL(fileURLWithPath: executable)
        let configurationDirectory = binary.deletingLastPathComponent()
        let scratch = configurationDirectory.deletingLastPathComponent().deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: scratch.appendingPathComponent("workspace-state.json").path) else {
            return (nil, "\(executable) was not built by SwiftPM here; name the build with --build-command")
        }
        let command = [
            "swift", "build", "--package-path", quoted(root.path), "--scratch-path", quoted(scratch.path),
            "--configuration", quoted(configurationDirectory.lastPathComponent), "--product", quoted(binary.lastPathComponent),
        ].joined(separator: " ")
        return (PackageBuild(root: root, executable: executable, command: command), nil)
    }

    /// A build's outcome: its output (stdout and stderr) and how long it took.
    struct Outcome: Sendable {
        let succeeded: Bool
        let output: String
        let duration: Duration
    }

    /// Runs the build command with `/bin/sh` in the package's directory, in a process group of
    /// its own; `started` receives it, so a shutdown can stop it and its compilers.
    func run(started: (ChildProcess) -> Void) async -> Outcome {
        let clock = ContinuousClock.now
        var ends: [CInt] = [0, 0]
        guard pipe(&ends) == 0 else {
            return Outcome(succeeded: false, output: "pipe failed: \(String(cString: strerror(errno)))", duration: .zero)
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(
                executable: "/bin/sh", arguments: ["-c", "cd \(Self.quoted(root.path)) && \(command)"],
                descriptors: [(ends[1], 1), (ends[1], 2)], newProcessGroup: true)
        } catch {
            close(ends[0])
            close(ends[1])
            return Outcome(succeeded: false, output: "\(error)", duration: .zero)
        }
        close(ends[1])
        started(process)
        let reader = ends[0]
        let output: String = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var data = [UInt8]()
                var chunk = [UInt8](repeating: 0, count: 16 * 1024)
                while true {
                    let count = chunk.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                    if count < 0, errno == EINTR { continue }
                    if count <= 0 { break }
                    data += chunk[0..<count]
                }
                close(reader)
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
        let status = await process.exitStatus()
        return Outcome(succeeded: status == 0, output: output, duration: ContinuousClock.now - clock)
    }

    /// The compiler's errors in `output`, `file:line:column: message` with paths relative to the
    /// package, each once (SwiftPM repeats them); empty when there are none to point at (a
    /// linker error, say).
    func errors(in output: String) -> [String] {
        var seen = Set<String>()
        let prefix = root.path + "/"
        return output.split(whereSeparator: \.isNewline).compactMap { line -> String? in
            guard let range = line.range(of: ": error: "), line.first != " " else { return nil }
            let location = line[..<range.lowerBound]
            let parts = location.split(separator: ":")
            guard parts.count >= 3, Int(parts[parts.count - 1]) != nil, Int(parts[parts.count - 2]) != nil else { return nil }
            var file = String(location)
            if file.hasPrefix(prefix) { file.removeFirst(prefix.count) }
            let text = "\(file): \(line[range.upperBound...])"
            return seen.insert(text).inserted ? text : nil
        }
    }

    private static func packageRoot(above directory: URL) -> URL? {
        var current = directory.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: current.appendingPathComponent("Package.swift").path) { return current }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
