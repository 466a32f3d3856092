import EdgeConfig
import EdgeServer
import EdgeTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TwoWorkersAPI
import TwoWorkersWeb

/// The example's two workers as `two-workers dev -c web/... -c api/...` runs them.
@Suite struct TwoWorkersTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func members() throws -> [WorkerGroup.Member] {
        [
            .init(config: try WranglerConfig.load(from: example.appendingPathComponent("web/wrangler-like.toml")).config, module: WebWorker.module),
            .init(config: try WranglerConfig.load(from: example.appendingPathComponent("api/wrangler-like.toml")).config, module: ApiWorker.module),
        ]
    }

    @Test(arguments: TestMode.allCases)
    func webCallsApiByFetchByRPCAndThroughItsDurableObject(mode: TestMode) async throws {
        try await Emulator.test(mode, workers: try Self.members()) { client in
            #expect(try await client.execute(.get, "/").text.contains("Two workers, one process"))

            #expect(try await client.execute(.post, "/sign?name=Ann").status == .created)
            let signed = try await client.execute(.post, "/sign?name=Bob")
            #expect(signed.text == #"{"signed":"Bob","count":2}"#)
            let refused = try await client.execute(.post, "/sign?name=%20")
            #expect(refused.status == .badRequest)
            #expect(refused.text == #"{"error":"A name is 1 to 100 characters."}"#)

            let entries = try await client.execute(.get, "/api/entries")
            #expect(try entries.json(as: [String: [String]].self) == ["entries": ["Ann", "Bob"], "served_by": ["api"]])

            #expect(try await client.execute(.get, "/visit/lobby").text == "Visit 1 to lobby\n")
            #expect(try await client.execute(.get, "/visit/lobby").text == "Visit 2 to lobby\n")
            let api = try client.worker("api")
            #expect(try api.inspect("ROOM", .name("lobby")).count == 1)
            _ = try await api.evict("ROOM", .name("lobby"))
            #expect(try await client.execute(.get, "/visit/lobby").text == "Visit 3 to lobby\n")
        }
    }

    /// The README's command, as a user runs it: `two-workers dev -c web/... -c api/...`.
    @Test func theReadmeCommandServesBothWorkersOnOnePort() async throws {
        let binary = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
            .deletingLastPathComponent().appendingPathComponent("two-workers")
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("two-workers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["dev", "-c", "web/wrangler-like.toml", "-c", "api/wrangler-like.toml", "--port", "0", "--persist-to", state.path]
        process.currentDirectoryURL = Self.example
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { process.interrupt(); process.waitUntilExit() } }
        let log = try await Self.readUntilReady(output)
        let url = try #require(log.ready)
        #expect(log.text.contains("Applied migration 0001_create_entries.sql to DB (guestbook)"))
        #expect(try await Self.get("\(url)/visit/hall") == "Visit 1 to hall\n")
        #expect(try await Self.get("\(url)/visit/hall") == "Visit 2 to hall\n")
        #expect(try await Self.get("\(url)/api/entries") == #"{"entries":[],"served_by":["api"]}"#)
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// Reads the dev server's output until its `Ready on <url>` line.
    static func readUntilReady(_ pipe: Pipe) async throws -> (text: String, ready: String?) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var text = ""
                while true {
                    let data = pipe.fileHandleForReading.availableData
                    if data.isEmpty { break }
                    text += String(decoding: data, as: UTF8.self)
                    if let line = text.split(separator: "\n").first(where: { $0.contains("Ready on ") }),
                        let range = line.range(of: "Ready on ")
                    {
                        continuation.resume(returning: (text, String(line[range.upperBound...])))
                        return
                    }
                }
                continuation.resume(returning: (text, nil))
            }
        }
    }

    static func get(_ url: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: try #require(URL(string: url)))
        return String(decoding: data, as: UTF8.self)
    }
}
