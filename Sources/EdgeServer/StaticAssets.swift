import EdgeRuntime
import Foundation
import NIOCore

/// The files of `[assets] directory`, served before the worker as Workers Static Assets are.
///
/// A GET or HEAD whose path names a file is answered from the directory (a directory's
/// `index.html` for a directory path), with a `Content-Type` by extension, a strong `ETag` from the
/// content, and 304 for a matching `If-None-Match`. Anything else falls through to the worker.
/// Paths are resolved segment by segment after percent-decoding; `..`, encoded slashes and symbolic
/// links leading outside the directory never match.
///
/// Also the `ASSETS` binding (`[assets] binding`): `env.ASSETS.fetch(request)` serves the same
/// files and answers 404 where nothing matches.
package struct StaticAssets: Fetcher {
    /// The directory served.
    package let directory: URL
    private let root: String

    /// Serves the files under `directory`.
    package init(directory: URL) {
        self.directory = directory.standardizedFileURL
        self.root = directory.standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The response for `request` when it is a GET or HEAD naming a file, else `nil`.
    package func response(for request: Request) -> Response? {
        guard request.method == .get || request.method == .head, let file = file(for: request.url) else { return nil }
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let etag = "\"" + crypto.subtle.digest(.sha256, data).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
        var headers: Headers = [
            "content-type": ContentType.forFile(file.lastPathComponent),
            "etag": etag,
            "cache-control": "public, max-age=0, must-revalidate",
        ]
        if let tags = request.headers.get("if-none-match"), Self.matches(tags, etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers.set("content-length", String(data.count))
        return Response(ReadableStream(ByteBuffer(bytes: data)), status: .ok, headers: headers)
    }

    /// `env.ASSETS.fetch(request)`: the file, or 404.
    package func fetch(_ request: Request) async throws -> Response {
        response(for: request) ?? Response("Not Found", status: .notFound)
    }

    /// The regular file a URL names inside the directory, if any.
    ///
    /// Runs before the worker on every GET, so it works on strings: Foundation's URL appending
    /// and CF's percent-decoding made this lookup cost more than the rest of a small request.
    func file(for url: URL) -> URL? {
        let encodedPath = url.path(percentEncoded: true)
        var candidate = root
        for encoded in encodedPath.split(separator: "/", omittingEmptySubsequences: true) {
            let segment: String
            if encoded.utf8.contains(UInt8(ascii: "%")) {
                guard let decoded = String(encoded).removingPercentEncoding else { return nil }
                segment = decoded
            } else {
                segment = String(encoded)
            }
            guard segment != "..", !segment.utf8.contains(UInt8(ascii: "/")), !segment.utf8.contains(0) else { return nil }
            if segment == "." { continue }
            candidate += candidate.hasSuffix("/") ? segment : "/" + segment
        }
        guard let kind = Self.kind(of: candidate) else { return nil }
        if kind == .directory {
            candidate += candidate.hasSuffix("/") ? "index.html" : "/index.html"
            guard Self.kind(of: candidate) == .file else { return nil }
        }
        let file = URL(fileURLWithPath: candidate, isDirectory: false)
        let resolved = file.resolvingSymlinksInPath().path
        guard resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { return nil }
        return file
    }

    private enum Kind { case file, directory }

    /// What is at `path` (symbolic links followed), or `nil` for nothing: one `stat`, without
    /// FileManager's path handling (this runs on every GET that is not an asset).
    private static func kind(of path: String) -> Kind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT == S_IFDIR ? .directory : .file
    }

    /// Whether an `If-None-Match` value matches `etag` (`*`, or any listed tag, weak or strong).
    static func matches(_ ifNoneMatch: String, _ etag: String) -> Bool {
        ifNoneMatch.split(separator: ",").contains { tag in
            let tag = tag.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}
