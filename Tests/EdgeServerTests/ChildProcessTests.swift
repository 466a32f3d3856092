import EdgeServer
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Edge's spawner (dev's supervisor, the build, the tests that run `edge`) in a process that holds
/// many descriptors, where Foundation's `Process.run()` of Swift 6.3.1 can crash (it reads past
/// glibc's `readdir` buffer while listing `/proc/self/fd`) and, where it does not, passes one of
/// them on to the child (checked by hand: the listing then holds a descriptor past 1 500).
@Suite struct ChildProcessTests {
    @Test("A child starts while this process holds 1 500 more descriptors, and gets none of them")
    func spawnsWithManyDescriptorsOpen() throws {
        var held: [CInt] = []
        defer { held.forEach { close($0) } }
        for _ in 0..<750 {
            var ends: [CInt] = [0, 0]
            try #require(pipe(&ends) == 0, "pipe: \(String(cString: strerror(errno)))")
            held += ends  // not close-on-exec: only the spawner keeps them from the child
        }
        let output = Pipe()
        let child = try ChildProcess.spawn(
            executable: "/bin/sh", arguments: ["-c", "ls /proc/$$/fd"], input: .discard, output: .pipe(output))
        let listing = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(child.waitUntilExit() == 0)
        // The shell's own: stdin, stdout, stderr, and none of the 1 500.
        #expect(listing.split(separator: "\n").sorted() == ["0", "1", "2"], "\(listing)")
    }

    @Test("The exit status is the child's, or 128 + the signal that ended it; isRunning reaps")
    func exitStatuses() async throws {
        let exits = try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", "exit 7"], output: .discard)
        #expect(await exits.exitStatus() == 7)
        #expect(!exits.isRunning)

        let sleeper = try ChildProcess.spawn(executable: "/bin/sleep", arguments: ["30"])
        #expect(sleeper.isRunning)
        sleeper.signal(SIGTERM)
        #expect(sleeper.waitUntilExit() == 128 + SIGTERM)
        #expect(!sleeper.isRunning)
    }

    @Test("A child's working directory is the one asked for; a missing executable is an error")
    func directoryAndMissingExecutable() throws {
        let output = Pipe()
        let child = try ChildProcess.spawn(executable: "/bin/pwd", arguments: [], directory: "/tmp", output: .pipe(output))
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(child.waitUntilExit() == 0)
        #expect(text == "/tmp\n")
        #expect(throws: ChildProcessError.self) {
            try ChildProcess.spawn(executable: "/nonexistent/edge", arguments: [])
        }
    }
}
