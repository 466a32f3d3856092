import Foundation

/// The package `edge init` writes: a worker of one's own on Edge, with the names every template
/// shares. Each template is a Swift string literal in its own file (`Templates/*Template.swift`);
/// ``files`` lists them with the paths they are written to.
struct InitProject: Sendable, Equatable {
    /// Where the package finds Edge's library products.
    enum EdgeDependency: Sendable, Equatable {
        /// `--edge-path`: a local checkout of Edge (an absolute path).
        case path(String)
        /// Edge's git repository, at its `main` branch.
        case git(url: String)

        /// The package identity SwiftPM gives the dependency, which `.product(package:)` names:
        /// the last path component, without `.git` for a URL.
        var identity: String {
            switch self {
            case .path(let path): URL(fileURLWithPath: path).lastPathComponent
            case .git(let url): URL(string: url).map { $0.deletingPathExtension().lastPathComponent } ?? "edge"
            }
        }
    }

    /// Edge's git repository, used when `--edge-path` is not given. The project has no published
    /// remote yet: this one constant is the URL a generated package names (see the README's
    /// "Your own worker").
    static let edgeRepositoryURL = "https://github.com/counterfire/edge.git"

    /// The worker's name (`name` in wrangler-like.toml), also the package's and the executable's.
    let name: String
    /// The library module holding the worker and its Durable Object, e.g. `HelloEdge`.
    let moduleName: String
    /// Where Edge comes from.
    let edge: EdgeDependency
    /// `compatibility_date`, the day the package is made (`yyyy-MM-dd`, UTC).
    let compatibilityDate: String
    /// The first migration's header time (ISO 8601, as `edge d1 migrations create` writes it).
    let migrationTimestamp: String

    /// The worker type, e.g. `HelloEdgeWorker`.
    var workerType: String { "\(moduleName)Worker" }
    /// The executable target, e.g. `HelloEdgeServer`; its product is named ``name``.
    var executableTarget: String { "\(moduleName)Server" }

    /// A project named `name` made at `date`.
    init(name: String, edge: EdgeDependency, date: Date = Date()) {
        self.name = name
        self.moduleName = Self.moduleName(for: name)
        self.edge = edge
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        compatibilityDate = day.string(from: date)
        let stamp = ISO8601DateFormatter()
        stamp.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        migrationTimestamp = stamp.string(from: date)
    }

    /// The files of the package, by path relative to its directory, in the order they are written.
    var files: [(path: String, contents: String)] {
        [
            ("Package.swift", packageManifest),
            ("README.md", readme),
            (".gitignore", gitignore),
            ("wrangler-like.toml", config),
            ("migrations/0001_create_visits.sql", migration),
            ("public/index.html", indexPage),
            ("Sources/\(moduleName)/\(workerType).swift", workerSource),
            ("Sources/\(moduleName)/Room.swift", roomSource),
            ("Sources/\(executableTarget)/main.swift", mainSource),
            ("Tests/\(moduleName)Tests/\(workerType)Tests.swift", testsSource),
        ]
    }

    /// `hello-edge` → `HelloEdge`: each dash-separated word capitalised.
    static func moduleName(for name: String) -> String {
        name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
