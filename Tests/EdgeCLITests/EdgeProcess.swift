import EdgeServer
import Foundation
import Testing

/// Runs the real `edge` executable (built next to the test bundle) as a user would.
struct EdgeProcess {
    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        return testBinary.deletingLastPathComponent().appendingPathComponent("edge")
    }()

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `edge <arguments>` in `directory` and waits for it, on a thread of its own.
    static func run(_ arguments: [String], in directory: URL = repositoryRoot) async throws -> Output {
        try await offThePool { try runBlocking(arguments, in: directory) }
    }

    /// Runs a blocking wait (a pipe read, a process exit) on a thread of its own: blocking one of
    /// the few threads of Swift's pool would stall every test running beside it.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    private static func runBlocking(_ arguments: [String], in directory: URL) throws -> Output {
        let out = Pipe(), err = Pipe()
        let process = try ChildProcess.spawn(
            executable: executable.path, arguments: arguments, directory: directory.path, output: .pipe(out), error: .pipe(err))
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        let status = process.waitUntilExit()
        return Output(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A running `edge dev`, stopped with SIGINT by `stop()`.
    final class Dev: @unchecked Sendable {
        let process: ChildProcess
        let output = Pipe()
        private(set) var text = ""
        private(set) var url = ""

        init(_ arguments: [String], in directory: URL = repositoryRoot) throws {
            process = try ChildProcess.spawn(
                executable: EdgeProcess.executable.path, arguments: ["dev"] + arguments, directory: directory.path,
                output: .pipe(output), error: .pipe(output))
        }

        /// Reads output until the ready line, returning its URL; fails after `timeout`.
        func waitUntilReady(timeout: Duration = .seconds(60)) async throws -> String {
            try await EdgeProcess.offThePool { try self.waitUntilReadyBlocking(timeout: timeout) }
        }

        private func waitUntilReadyBlocking(timeout: Duration) throws -> String {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.contains("Ready on ") }),
                   let range = line.range(of: "Ready on ") {
                    url = String(line[range.upperBound...])
                    return url
                }
            }
            throw EdgeTestError("edge dev did not get ready:\n\(text)")
        }

        /// Sends SIGINT and waits for the exit status.
        func stop() async -> Int32 {
            (try? await EdgeProcess.offThePool { self.stopBlocking() }) ?? -1
        }

        private func stopBlocking() -> Int32 {
            process.signal(SIGINT)
            let status = process.waitUntilExit()
            text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return status
        }
    }
}

struct EdgeTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh temporary directory, removed when the test ends.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-cli-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// GET `url` and return status and body.
func fetch(_ url: String, method: String = "GET", body: String? = nil) async throws -> (Int, String) {
    #if canImport(FoundationNetworking)
    return try await FoundationFetch.fetch(url, method: method, body: body)
    #else
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    if let body { request.httpBody = Data(body.utf8); request.setValue("application/json", forHTTPHeaderField: "content-type") }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    #endif
}

#if canImport(FoundationNetworking)
import FoundationNetworking
enum FoundationFetch {
    static func fetch(_ url: String, method: String, body: String?) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8); request.setValue("application/json", forHTTPHeaderField: "content-type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }
}
#endif
