import EdgeD1
import Foundation
import Testing

/// Any `database_name` is one file inside `<state>/d1/`; safe names keep their plain file.
@Suite struct D1DatabaseNameTests {
    static let names = [
        "../../x", "my/ Database", "..", ".", ".hidden", "", "a\\b", "c:d", "per%cent", "tab\there",
        String(repeating: "é/", count: 400), String(repeating: "x", count: 201),
        "counterfire", "données", "my Database", "fresh-db",
    ]

    @Test("every name stays one file inside <state>/d1/ and opens", arguments: names)
    func staysInside(name: String) async throws {
        try await withTemporaryDirectory { root in
            let path = D1Database.path(stateRoot: root, databaseName: name)
            #expect(path.deletingLastPathComponent().path == root.appendingPathComponent("d1").path)
            #expect(!path.lastPathComponent.contains("/") && path.lastPathComponent != ".." && path.lastPathComponent != ".")
            #expect(path.lastPathComponent.hasSuffix(".sqlite"))
            #expect(!path.lastPathComponent.hasPrefix("."))
            #expect(path.lastPathComponent.utf8.count <= 255 - "-shm".utf8.count)
            let database = try D1Database(path: path, name: name)
            defer { database.close() }
            #expect(database.name == name, "messages show the name as written")
            _ = try await database.prepare("CREATE TABLE t (a)").run()
            let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("d1").path)
            #expect(files.contains(path.lastPathComponent))
            let everything = FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []
            #expect(everything.allSatisfy { $0 == "d1" || $0.hasPrefix("d1/") && !$0.dropFirst(3).contains("/") }, "\(everything)")
        }
    }

    @Test("names that are already safe keep today's file, so existing state still opens")
    func safeNamesUnchanged() {
        let root = URL(fileURLWithPath: "/state")
        for name in ["counterfire", "données", "my Database", "fresh-db", "a.b"] {
            #expect(D1Database.path(stateRoot: root, databaseName: name).lastPathComponent == "\(name).sqlite")
        }
        #expect(D1Database.path(stateRoot: root, databaseName: "../../x").lastPathComponent == "%2E.%2F..%2Fx.sqlite")
        #expect(D1Database.path(stateRoot: root, databaseName: "my/ Database").lastPathComponent == "my%2F Database.sqlite")
    }

    @Test("different names never share a file")
    func distinct() {
        let root = URL(fileURLWithPath: "/state")
        let tricky = Self.names + ["my%2F Database", "%2E.%2F..%2Fx", "x", String(repeating: "x", count: 200),
                                   String(repeating: "é/", count: 399) + "é", String(repeating: "é/", count: 400) + "z"]
        let files = tricky.map { D1Database.path(stateRoot: root, databaseName: $0).lastPathComponent }
        #expect(Set(files).count == Set(tricky).count)
    }
}
