import EdgeRuntime
import EdgeServer
import EdgeTesting
import Foundation
import Testing

@Suite("Static assets")
struct AssetTests {
    @Test("files are served before the worker with their content types", arguments: TestMode.allCases)
    func contentTypes(mode: TestMode) async throws {
        let expected: [(path: String, type: String, body: String)] = [
            ("/", "text/html; charset=utf-8", "<!doctype html><title>home</title>"),
            ("/index.html", "text/html; charset=utf-8", "<!doctype html><title>home</title>"),
            ("/sub", "text/html; charset=utf-8", "<p>sub</p>"),
            ("/sub/", "text/html; charset=utf-8", "<p>sub</p>"),
            ("/style.css", "text/css; charset=utf-8", "body { color: red }"),
            ("/app.js", "text/javascript; charset=utf-8", "console.log('app')"),
            ("/data.json", "application/json; charset=utf-8", "{\"ok\":true}"),
            ("/logo.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            ("/img.png", "image/png", "\u{89}PNG"),
            ("/favicon.ico", "image/x-icon", "ico"),
            ("/notes.txt", "text/plain; charset=utf-8", "notes"),
            ("/site.webmanifest", "application/manifest+json; charset=utf-8", "{\"name\":\"edge\"}"),
        ]
        try await withEmulator(mode) { client in
            for item in expected {
                let response = try await client.execute(.get, item.path)
                #expect(response.status == .ok, "\(item.path)")
                #expect(response.headers.get("content-type") == item.type, "\(item.path)")
                #expect(response.text == item.body, "\(item.path)")
                #expect(response.headers.get("content-length") == String(item.body.utf8.count), "\(item.path)")
            }
        }
    }

    @Test("a missing file falls through to the worker", arguments: TestMode.allCases)
    func missingFallsThrough(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            let response = try await client.execute(.get, "/missing.css")
            #expect(response.status == .notFound)
            #expect(response.text == "worker: not found /missing.css")
            let post = try await client.execute(.post, "/style.css", text: "x")
            #expect(post.text == "worker: not found /style.css", "only GET and HEAD are served from assets")
        }
    }

    @Test("paths never leave the assets directory", arguments: TestMode.allCases)
    func traversal(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt", "/sub/../../secret.txt", "/..%5csecret.txt"] {
                let response = try await client.execute(.get, path)
                #expect(!response.text.contains("top secret"), "\(path)")
                #expect(response.status == .notFound, "\(path)")
            }
        }
    }

    @Test("ETag and If-None-Match give 304; HEAD has headers and no body", arguments: TestMode.allCases)
    func conditionalAndHead(mode: TestMode) async throws {
        try await withEmulator(mode) { client in
            let first = try await client.execute(.get, "/style.css")
            let etag = try #require(first.headers.get("etag"))
            let again = try await client.execute(.get, "/style.css", headers: ["if-none-match": etag])
            #expect(again.status == .notModified)
            #expect(again.body.isEmpty)
            #expect(again.headers.get("etag") == etag)
            let changed = try await client.execute(.get, "/style.css", headers: ["if-none-match": "\"other\""])
            #expect(changed.status == .ok)
            let head = try await client.execute(.head, "/style.css")
            #expect(head.status == .ok)
            #expect(head.headers.get("content-length") == "19")
            if client.isLive { #expect(head.body.isEmpty) }
        }
    }
}
