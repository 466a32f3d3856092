import EdgeServer
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the real `edge` executable (built next to the test bundle), as in EdgeCLITests.
enum EdgeBinary {
    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        return testBinary.deletingLastPathComponent().appendingPathComponent("edge")
    }()

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `edge <arguments>` in the repository root and waits for it, on a thread of its own
    /// (a blocking wait on one of Swift's few pool threads stalls the suites beside it).
    static func run(_ arguments: [String]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try runBlocking(arguments) }) }
        }
    }

    private static func runBlocking(_ arguments: [String]) throws -> Output {
        let out = Pipe(), err = Pipe()
        let process = try ChildProcess.spawn(
            executable: executable.path, arguments: arguments, directory: repositoryRoot.path, output: .pipe(out), error: .pipe(err))
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        let status = process.waitUntilExit()
        return Output(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A running `edge dev` whose output is read continuously (so a busy request log never fills
/// the pipe and blocks the server) and kept for inspection.
final class EdgeDev: Sendable {
    private let process: ChildProcess
    private final class Output: Sendable {
        let text = Mutex("")
        let done = Atomic(false)
    }
    private let output = Output()
    private let pipe: Pipe

    /// Starts `edge dev --port 0 <arguments>` in the repository root.
    init(_ arguments: [String]) throws {
        let pipe = Pipe()
        process = try ChildProcess.spawn(
            executable: EdgeBinary.executable.path, arguments: ["dev", "--port", "0"] + arguments, directory: repositoryRoot.path,
            output: .pipe(pipe), error: .pipe(pipe))
        self.pipe = pipe
        let handle = pipe.fileHandleForReading
        let output = self.output
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
            output.done.store(true, ordering: .relaxed)
        }
    }

    /// Everything the process printed so far.
    var text: String { output.text.withLock { $0 } }

    var pid: Int32 { process.pid }

    /// Waits for `Ready on http://127.0.0.1:<port>` and returns the port.
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = self.text
            if let line = text.split(separator: "\n").first(where: { $0.contains("Ready on ") }),
               let colon = line.lastIndex(of: ":"), let port = Int(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)) {
                return port
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("edge dev did not get ready:\n\(text)")
    }

    /// `kill -9`: no shutdown code runs, nothing is flushed by the process.
    func kill9() {
        process.signal(SIGKILL)
        _ = process.waitUntilExit()
    }

    /// SIGINT, the graceful stop; waits for the exit status.
    func stop() async -> Int32 {
        process.signal(SIGINT)
        let status = await process.exitStatus()
        for _ in 0..<100 where !output.done.load(ordering: .relaxed) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return status
    }

    deinit {
        if process.isRunning {
            process.signal(SIGKILL)
            _ = process.waitUntilExit()
        }
    }
}

/// A fresh temporary directory, removed when `body` ends.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-reliability-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}
