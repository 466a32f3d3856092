import Foundation

extension URL {
    /// The file's path as messages show it: relative to the current directory when the file is
    /// inside it (`wrangler-like.toml`, `fixtures/config/bad/port.toml`), absolute otherwise.
    var displayPath: String {
        let path = standardizedFileURL.path
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let prefix = current.hasSuffix("/") ? current : current + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
