import EdgeConfig
import Foundation
import Testing

@Suite(".dev.vars")
struct DevVarsTests {
    @Test("dotenv syntax: comments, blank lines, export, quotes, inline comments, CRLF")
    func parsesDotenv() throws {
        try TemporaryDirectory.with { directory in
            let config = try directory.write("name = \"secrets\"\n", to: "wrangler-like.toml")
            try directory.write(
                """
                # a comment
                API_TOKEN=abc123

                export EXPORTED=yes
                  SPACED   =   padded value   \r
                EMPTY=
                UNQUOTED=value # trailing comment
                DOUBLE="line one\\nline two # not a comment"
                SINGLE='kept \\n as $written'
                BACKTICK=`has "double" and 'single'`
                ESCAPED="say \\"hi\\""
                MULTI="first
                second"
                URL=https://example.com/?a=b
                DOTTED.KEY-1=ok
                API_TOKEN=later wins
                """,
                to: ".dev.vars"
            )
            let devVars = try DevVars.load(nextTo: config)
            #expect(devVars.fileExists)
            #expect(devVars.file.lastPathComponent == ".dev.vars")
            #expect(
                devVars.values == [
                    "API_TOKEN": "later wins",
                    "EXPORTED": "yes",
                    "SPACED": "padded value",
                    "EMPTY": "",
                    "UNQUOTED": "value",
                    "DOUBLE": "line one\nline two # not a comment",
                    "SINGLE": "kept \\n as $written",
                    "BACKTICK": "has \"double\" and 'single'",
                    "ESCAPED": "say \\\"hi\\\"",
                    "MULTI": "first\nsecond",
                    "URL": "https://example.com/?a=b",
                    "DOTTED.KEY-1": "ok",
                ]
            )
        }
    }

    @Test("no .dev.vars next to the config: no secrets, and the caller can tell")
    func missingFile() throws {
        try TemporaryDirectory.with { directory in
            let config = try directory.write("", to: "wrangler-like.toml")
            let devVars = try DevVars.load(nextTo: config)
            #expect(!devVars.fileExists)
            #expect(devVars.values.isEmpty)
            #expect(devVars.file == directory.url.appendingPathComponent(".dev.vars").standardizedFileURL)
        }
    }

    @Test(
        "malformed lines are errors naming .dev.vars and the line",
        arguments: [
            ("OK=1\nnot a pair\n", 2, #"expected KEY=VALUE but got "not a pair""#),
            ("OK=1\nBAD KEY=2\n", 2, #""BAD KEY" is not a valid variable name"#),
            ("=novalue\n", 1, #""" is not a valid variable name"#),
            ("A=\"quoted\" trailing\n", 1, #"unexpected text after the closing quote of A: "trailing""#),
            ("A=1\nB='never closed\nC=3\n", 2, "the value of B starts with ' but never ends"),
        ]
    )
    func malformed(text: String, line: Int, message: String) throws {
        try TemporaryDirectory.with { directory in
            let config = try directory.write("", to: "wrangler-like.toml")
            try directory.write(text, to: ".dev.vars")
            let error = try #require(throws: ConfigError.self) { try DevVars.load(nextTo: config) }
            #expect(error.line == line)
            #expect(error.file.lastPathComponent == ".dev.vars")
            #expect(error.description.contains(".dev.vars:\(line): \(message)"), "\(error)")
        }
    }
}
