import EdgeServer
import Foundation

/// This executable run again as a child process with a line protocol on its standard input and
/// output: the memory figure's server (`edge-bench serve`) and the 10 000-socket clients
/// (`edge-bench clients`) live in their own processes, for a clean RSS and for the open-file
/// limit of one process.
final class BenchChild: @unchecked Sendable {
    private let process: ChildProcess
    private let name: String
    private let input = Pipe()
    private let output = Pipe()
    private let lines: AsyncStream<String>
    private var iterator: AsyncStream<String>.Iterator

    init(_ arguments: [String]) throws {
        name = arguments.first ?? ""
        process = try ChildProcess.spawn(
            executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path, arguments: arguments,
            input: .pipe(input), output: .pipe(output))
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        self.lines = lines
        iterator = lines.makeAsyncIterator()
        let reader = output.fileHandleForReading
        DispatchQueue.global().async {
            var pending = Data()
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                pending.append(data)
                while let newline = pending.firstIndex(of: 0x0A) {
                    continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending = Data(pending[(newline + 1)...])
                }
            }
            continuation.finish()
        }
    }

    /// The next line the child printed, or nil once it has exited.
    func readLine() async -> String? {
        await iterator.next()
    }

    /// The next line, which must start with `prefix`; returns what follows it.
    func expect(_ prefix: String) async throws -> String {
        guard let line = await readLine() else { throw BenchError("the child process \(name) ended") }
        guard line.hasPrefix(prefix) else { throw BenchError("the child process said: \(line)") }
        return String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
    }

    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    /// Closes its input (the child's cue to finish) and waits for it to exit.
    func finish() async {
        try? input.fileHandleForWriting.close()
        while process.isRunning { try? await Task.sleep(for: .milliseconds(5)) }
    }
}
