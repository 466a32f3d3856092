@testable import EdgeCLI
import Foundation
import Testing

/// `edge init`, parsed and run as a new user would. scripts/init-check.sh builds and tests the
/// package it writes.
@Suite struct InitCommandTests {
    @Test func parsesTheDirectoryNameAndEdgePath() throws {
        let command = try InitCommand.parse(["chat", "--name", "my-chat", "--edge-path", "../edge"])
        #expect(command.directory == "chat")
        #expect(command.name == "my-chat")
        #expect(command.edgePath == "../edge")
        let bare = try InitCommand.parse(["chat"])
        #expect(bare.name == nil)
        #expect(bare.edgePath == nil)
        #expect(throws: (any Error).self) { try InitCommand.parse([]) }
        for bad in ["My-Chat", "2chat", "chat-", "a--b", "chat_room", "", String(repeating: "a", count: 64), "edge", "edge-runtime", "room"] {
            #expect(throws: (any Error).self, "--name \(bad)") { try InitCommand.parse(["chat", "--name", bad]) }
        }
    }

    @Test func theDefaultNameComesFromTheDirectory() {
        #expect(InitCommand.derivedName(from: "Hello Edge") == "hello-edge")
        #expect(InitCommand.derivedName(from: "my_worker.2") == "my-worker-2")
        #expect(InitCommand.derivedName(from: "--x--") == "x")
        #expect(InitProject.moduleName(for: "hello-edge-2") == "HelloEdge2")
    }

    @Test func helpListsInitAndItsOptions() async throws {
        #expect(try await EdgeProcess.run(["--help"]).stdout.contains("init"))
        let help = try await EdgeProcess.run(["init", "--help"])
        #expect(help.status == 0)
        for text in ["<directory>", "--name", "--edge-path", InitProject.edgeRepositoryURL] {
            #expect(help.stdout.contains(text), "edge init --help lacks \(text)")
        }
    }

    @Test func writesEveryFileOfThePackage() async throws {
        try await withTemporaryDirectory { parent in
            let result = try await EdgeProcess.run(["init", "Hello Edge", "--edge-path", EdgeProcess.repositoryRoot.path], in: parent)
            #expect(result.status == 0, "\(result.stderr)")
            let package = parent.appendingPathComponent("Hello Edge")
            let written = try Self.files(in: package)
            #expect(written == [
                ".gitignore", "Package.swift", "README.md", "Sources/HelloEdge/HelloEdgeWorker.swift", "Sources/HelloEdge/Room.swift",
                "Sources/HelloEdgeServer/main.swift", "Tests/HelloEdgeTests/HelloEdgeWorkerTests.swift",
                "migrations/0001_create_visits.sql", "public/index.html", "wrangler-like.toml",
            ])
            #expect(result.stdout.contains("swift run hello-edge dev"))
            let main = try String(contentsOf: package.appendingPathComponent("Sources/HelloEdgeServer/main.swift"), encoding: .utf8)
            #expect(main.contains("await EdgeCommand.run(module: HelloEdgeWorker.module)"))
            let config = try String(contentsOf: package.appendingPathComponent("wrangler-like.toml"), encoding: .utf8)
            #expect(config.contains(#"name = "hello-edge""#))
            #expect(config.contains(#"bindings = [{ name = "ROOM", class_name = "Room" }]"#))
            let readme = try String(contentsOf: package.appendingPathComponent("README.md"), encoding: .utf8)
            #expect(readme.contains("swift run hello-edge dev"))
            #expect(readme.contains("swift test"))
            let migration = try String(contentsOf: package.appendingPathComponent("migrations/0001_create_visits.sql"), encoding: .utf8)
            #expect(migration.hasPrefix("-- Migration number: 0001 \t "))
        }
    }

    @Test func refusesADirectoryThatIsNotEmpty() async throws {
        try await withTemporaryDirectory { parent in
            let target = parent.appendingPathComponent("taken")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            try "mine".write(to: target.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
            let result = try await EdgeProcess.run(["init", "taken"], in: parent)
            #expect(result.status != 0)
            #expect(result.stderr.contains("✘ [ERROR] "))
            #expect(result.stderr.contains("taken is not empty (it holds notes.txt): edge init writes a new package only into an empty or new directory."), "\(result.stderr)")
            #expect(try Self.files(in: target) == ["notes.txt"])
            #expect(try String(contentsOf: target.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")

            try "a file".write(to: parent.appendingPathComponent("plain"), atomically: true, encoding: .utf8)
            let file = try await EdgeProcess.run(["init", "plain"], in: parent)
            #expect(file.status != 0)
            #expect(file.stderr.contains("is a file"))

            let empty = parent.appendingPathComponent("empty")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            #expect(try await EdgeProcess.run(["init", "empty"], in: parent).status == 0)
        }
    }

    @Test func refusesAnEdgePathWithoutAPackage() async throws {
        try await withTemporaryDirectory { parent in
            let result = try await EdgeProcess.run(["init", "new", "--edge-path", parent.path], in: parent)
            #expect(result.status != 0)
            #expect(result.stderr.contains("--edge-path must be a checkout of Edge"))
            #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("new").path))
        }
    }

    @Test func theManifestDependsOnTheCheckoutOrOnTheGitURL() {
        let local = InitProject(name: "chat", edge: .path("/src/my-edge")).packageManifest
        #expect(local.contains(#".package(path: "/src/my-edge")"#))
        #expect(local.contains(#".product(name: "EdgeCLI", package: "my-edge")"#))
        #expect(!local.contains("url:"))

        let remote = InitProject(name: "chat", edge: .git(url: InitProject.edgeRepositoryURL)).packageManifest
        #expect(remote.contains(#".package(url: "\#(InitProject.edgeRepositoryURL)", branch: "main")"#))
        #expect(remote.contains(#".product(name: "EdgeCLI", package: "edge")"#))
        #expect(!remote.contains("path:"))
        for product in ["EdgeRuntime", "EdgeD1", "EdgeDurableObjects", "EdgeTesting"] {
            #expect(remote.contains(#".product(name: "\#(product)", package: "edge")"#))
        }
        #expect(remote.contains(#".executable(name: "chat", targets: ["ChatServer"])"#))
    }

    @Test func theCommandWritesTheManifestOfItsOptions() async throws {
        try await withTemporaryDirectory { parent in
            #expect(try await EdgeProcess.run(["init", "remote", "--name", "remote-worker"], in: parent).status == 0)
            let remote = try String(contentsOf: parent.appendingPathComponent("remote/Package.swift"), encoding: .utf8)
            #expect(remote.contains(#".package(url: "\#(InitProject.edgeRepositoryURL)", branch: "main")"#))
            #expect(remote.contains(#"name: "remote-worker""#))

            let checkout = EdgeProcess.repositoryRoot.standardizedFileURL
            #expect(try await EdgeProcess.run(["init", "local", "--edge-path", checkout.path], in: parent).status == 0)
            let local = try String(contentsOf: parent.appendingPathComponent("local/Package.swift"), encoding: .utf8)
            #expect(local.contains(#".package(path: "\#(checkout.path)")"#))
            #expect(local.contains(#"package: "\#(checkout.lastPathComponent)""#))
        }
    }

    @Test func devPointsToYourOwnWorkerForAClassTheBinaryDoesNotRegister() async throws {
        try await withTemporaryDirectory { project in
            try """
            name = "elsewhere"
            [durable_objects]
            bindings = [{ name = "ROOM", class_name = "Room" }]
            [[migrations]]
            tag = "v1"
            new_sqlite_classes = ["Room"]
            """.write(to: project.appendingPathComponent("wrangler-like.toml"), atomically: true, encoding: .utf8)
            let result = try await EdgeProcess.run(["dev", "--port", "0"], in: project)
            #expect(result.status != 0)
            #expect(result.stderr.contains(#"names the class "Room", which the worker does not register"#), "\(result.stderr)")
            #expect(result.stderr.contains(#"see "Your own worker" in Edge's README"#))
        }
    }

    /// Every regular file under `directory`, by relative path, sorted.
    static func files(in directory: URL) throws -> [String] {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath().path + "/"
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var paths: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            paths.append(String(url.standardizedFileURL.resolvingSymlinksInPath().path.dropFirst(root.count)))
        }
        return paths.sorted()
    }
}
