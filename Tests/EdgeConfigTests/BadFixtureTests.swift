import EdgeConfig
import Foundation
import Testing

/// One broken file under `fixtures/config/bad/`: a `*.toml` config, or the `.dev.vars` of a
/// folder holding a valid `wrangler-like.toml`. Its first line says what error to expect:
/// `# expect: <line>: <substring>`.
struct BadFixture: Sendable, CustomTestStringConvertible {
    let file: URL

    var testDescription: String {
        file.lastPathComponent == ".dev.vars"
            ? file.deletingLastPathComponent().lastPathComponent + "/.dev.vars" : file.lastPathComponent
    }

    var isDevVars: Bool { file.lastPathComponent == ".dev.vars" }

    /// Every bad fixture; adding a file adds a test case.
    static let all: [BadFixture] = {
        let entries = (try? FileManager.default.contentsOfDirectory(at: Fixtures.bad, includingPropertiesForKeys: nil)) ?? []
        var fixtures: [BadFixture] = []
        for entry in entries.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
            if entry.pathExtension == "toml" {
                fixtures.append(BadFixture(file: entry))
            } else if FileManager.default.fileExists(atPath: entry.appendingPathComponent(".dev.vars").path) {
                fixtures.append(BadFixture(file: entry.appendingPathComponent(".dev.vars")))
            }
        }
        return fixtures
    }()

    /// The line and message fragment from the fixture's `# expect: <line>: <substring>` first line.
    func expectation() throws -> (line: Int, substring: String) {
        let text = try String(contentsOf: file, encoding: .utf8)
        let first = text.prefix { $0 != "\n" }
        let prefix = "# expect: "
        guard first.hasPrefix(prefix) else { throw ExpectationMissing(file: testDescription) }
        let rest = first.dropFirst(prefix.count)
        guard let colon = rest.firstIndex(of: ":"), let line = Int(rest[..<colon]) else {
            throw ExpectationMissing(file: testDescription)
        }
        return (line, String(rest[rest.index(after: colon)...].dropFirst()))
    }

    struct ExpectationMissing: Error, CustomStringConvertible {
        let file: String
        var description: String { "\(file) does not begin with `# expect: <line>: <substring>`" }
    }
}

/// The last key of a field path: `binding` for `d1_databases[0].binding`, `new_classes` for
/// `migrations[1].new_classes[0]`.
private func lastKey(of field: String) -> String {
    var path = Substring(field)
    while path.hasSuffix("]"), let open = path.lastIndex(of: "[") {
        path = path[..<open]
    }
    let key = path.split(separator: ".").last.map(String.init) ?? String(path)
    return key.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
}

@Suite("Bad config fixtures")
struct BadFixtureTests {
    @Test("every bad fixture fails with an error naming file, line and field", arguments: BadFixture.all)
    func failsWithLocatedError(_ fixture: BadFixture) throws {
        let (line, substring) = try fixture.expectation()
        let error: ConfigError
        if fixture.isDevVars {
            let config = fixture.file.deletingLastPathComponent().appendingPathComponent("wrangler-like.toml")
            _ = try WranglerConfig.load(from: config)
            error = try #require(throws: ConfigError.self) { try DevVars.load(nextTo: config) }
        } else {
            error = try #require(throws: ConfigError.self) { try WranglerConfig.load(from: fixture.file) }
        }
        #expect(error.file.lastPathComponent == fixture.file.lastPathComponent)
        #expect(error.line == line, "\(error)")
        #expect(error.description.contains(fixture.file.lastPathComponent), "\(error)")
        #expect(error.description.contains(":\(line):"), "\(error)")
        #expect(error.description.contains(substring), "\(error)")
        if let field = error.field {
            #expect(error.description.contains(lastKey(of: field)), "\(error) should name \(field)")
        }
    }

    @Test("the bad fixtures cover the required cases")
    func coverage() {
        let names = Set(BadFixture.all.map(\.testDescription))
        for required in [
            "d1-binding-wrong-type.toml", "d1-binding-missing.toml", "do-class-name-missing.toml",
            "dev-port-wrong-type.toml", "dev-port-out-of-range.toml", "compatibility-date-invalid.toml",
            "toml-syntax-error.toml", "duplicate-binding-name.toml", "vars-date-value.toml",
            "migrations-new-class-twice.toml", "dev-vars-malformed/.dev.vars",
        ] {
            #expect(names.contains(required), "missing fixture \(required)")
        }
    }

    @Test("a TOML syntax error is reported at line and column")
    func syntaxErrorHasColumn() throws {
        let file = Fixtures.bad.appendingPathComponent("toml-syntax-error.toml")
        let error = try #require(throws: ConfigError.self) { try WranglerConfig.load(from: file) }
        #expect(error.field == nil)
        #expect(error.description.contains("toml-syntax-error.toml:5:8: "), "\(error)")
    }

    @Test("a missing config file is an error naming the file")
    func missingFile() throws {
        let file = Fixtures.bad.appendingPathComponent("does-not-exist.toml")
        let error = try #require(throws: ConfigError.self) { try WranglerConfig.load(from: file) }
        #expect(error.line == nil)
        #expect(error.description.hasSuffix("does-not-exist.toml: config file not found"))
    }
}
