import ArgumentParser
import Foundation

/// `edge init`: writes a new SwiftPM package with a worker of one's own on Edge, as
/// `npm create cloudflare` does for JavaScript. The templates are in `Templates/`.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new package with a worker of your own.",
        discussion: """
            Writes Package.swift (on Edge's library products), an executable that registers the worker
            with Edge's command line, wrangler-like.toml, a worker with a Durable Object (hibernatable
            WebSockets, SQL storage, an alarm), a D1 migration, a static page, tests on Emulator.test and
            a README. Then: cd <directory> && swift run <name> dev, or swift test.
            Without --edge-path the package depends on \(InitProject.edgeRepositoryURL) (branch main), a
            placeholder until Edge is published: pass --edge-path to build against a local checkout.
            """
    )

    @Argument(help: "The directory to create the package in; it must be empty or not exist yet.")
    var directory: String

    @Option(help: "The worker's name, also the package's and its executable's: lowercase letters, digits and dashes (default: from the directory's name).")
    var name: String?

    @Option(name: .customLong("edge-path"), help: "A local checkout of Edge to depend on, instead of its git URL.")
    var edgePath: String?

    /// Edge's own target and product names, and the template's types: a module or executable of
    /// the new package named like one of them would not build.
    static let reservedNames: Set<String> = [
        "csqlite", "edgesqlite", "edgeruntime", "edged1", "edgedurableobjects", "edgeconfig", "edgeserver",
        "edgetesting", "edgecli", "counterfire", "edge", "edge-bench", "room", "env",
    ]

    func validate() throws {
        if let name, let problem = Self.problem(with: name) {
            throw ValidationError("--name \(problem)")
        }
    }

    func run() throws {
        let target = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        let workerName = name ?? Self.derivedName(from: target.lastPathComponent)
        if let problem = Self.problem(with: workerName) {
            Terminal.error("The worker's name is derived from the directory's: '\(workerName)' \(problem) Pass --name.")
            throw ExitCode.failure
        }
        let edge: InitProject.EdgeDependency
        if let edgePath {
            let checkout = URL(fileURLWithPath: edgePath, isDirectory: true).standardizedFileURL
            guard FileManager.default.fileExists(atPath: checkout.appendingPathComponent("Package.swift").path) else {
                Terminal.error("--edge-path must be a checkout of Edge: \(checkout.path)/Package.swift does not exist.")
                throw ExitCode.failure
            }
            edge = .path(checkout.path)
        } else {
            edge = .git(url: InitProject.edgeRepositoryURL)
        }
        if let problem = Self.problem(withTarget: target) {
            Terminal.error("\(target.path) \(problem): edge init writes a new package only into an empty or new directory.")
            throw ExitCode.failure
        }

        let project = InitProject(name: workerName, edge: edge)
        do {
            for file in project.files {
                let url = target.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
            }
        } catch {
            Terminal.error("Could not write the package in \(target.path): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        Terminal.print("✨ Created the worker \(workerName) in \(target.path)")
        for file in project.files { Terminal.print("  \(file.path)") }
        Terminal.print("""

            Next:
              cd \(directory)
              swift run \(workerName) dev    # serves http://127.0.0.1:8787
              swift test
            """)
    }

    /// What is wrong with `name` as a worker name, or `nil`.
    static func problem(with name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), allowed,
              !name.hasSuffix("-"), !name.contains("--"), name.count <= 63
        else {
            return "must be 1 to 63 lowercase letters, digits and single dashes, starting with a letter and not ending with a dash; got '\(name)'."
        }
        let module = InitProject.moduleName(for: name).lowercased()
        if reservedNames.contains(name) || reservedNames.contains(module) {
            return "'\(name)' would name a module like one of Edge's own (or the template's Room and Env): pick another."
        }
        return nil
    }

    /// `My Worker_2` → `my-worker-2`: lowercased, every run of other characters one dash.
    static func derivedName(from directoryName: String) -> String {
        let words = directoryName.lowercased().unicodeScalars
            .split { !(("a"..."z").contains($0) || ("0"..."9").contains($0)) }
        return words.map { String(String.UnicodeScalarView($0)) }.joined(separator: "-")
    }

    /// Why `target` cannot take the new package (it holds files, or is not a directory), or `nil`.
    static func problem(withTarget target: URL) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return "is a file" }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: target.path) else { return "cannot be read" }
        guard entries.isEmpty else {
            let shown = entries.sorted().prefix(3).joined(separator: ", ")
            return "is not empty (it holds \(shown)\(entries.count > 3 ? ", ..." : ""))"
        }
        return nil
    }
}
