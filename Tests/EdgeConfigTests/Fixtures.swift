import Foundation

/// The config fixtures under `fixtures/config/` at the package root.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("fixtures/config")

    static func good(_ name: String) -> URL {
        root.appendingPathComponent("good").appendingPathComponent(name)
    }

    static let bad = root.appendingPathComponent("bad")
}

/// A fresh directory for one test, removed when the test's body returns.
struct TemporaryDirectory {
    let url: URL

    /// Runs `body` with a new empty directory and removes the directory afterwards.
    static func with<T>(_ body: (TemporaryDirectory) throws -> T) throws -> T {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("edge-config-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(TemporaryDirectory(url: url))
    }

    /// Writes `text` to `path` (relative, intermediate directories created) and returns its URL.
    @discardableResult
    func write(_ text: String, to path: String) throws -> URL {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
