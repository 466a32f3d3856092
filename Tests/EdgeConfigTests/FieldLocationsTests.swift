import EdgeConfig
import Foundation
import Testing

@Suite("Field locations found by scanning the TOML source")
struct FieldLocationsTests {
    private let file = URL(fileURLWithPath: "/tmp/edge/wrangler-like.toml")

    @Test("strings, comments, dotted and quoted keys, nested arrays, arrays of tables")
    func trickyDocument() throws {
        let text = """
            name = "scan" # comment with [brackets] and "quotes"
            description = \"\"\"
            [fake]
            name = "not a key"
            \"\"\"
            literal = '''
            [[also.fake]]
            '''
            [vars]
            "quoted.key" = 1
            plain = "a # not a comment ] }"
            dotted.inner.leaf = true
            array = [
              1,
              # comment inside array
              [2, 3],
              { x = 1, y = [4, 5] },
            ]

            [[vars.LIST]]
            x = 1

            [[vars.LIST]]
            x = 2
            [vars.LIST.sub]
            y = 3

            [vars.'literal key']
            z = 4
            """
        let result = try WranglerConfig.parse(text, at: file)
        let locations = result.config.fieldLocations
        let expected: [(String, Int?)] = [
            ("name", 1), ("description", 2), ("literal", 6), ("vars", 9), (#"vars."quoted.key""#, 10),
            ("vars.plain", 11), ("vars.dotted", 12), ("vars.dotted.inner.leaf", 12), ("vars.array", 13),
            ("vars.array[0]", 14), ("vars.array[1]", 16), ("vars.array[1][1]", 16), ("vars.array[2].y[1]", 17),
            ("vars.LIST", 20), ("vars.LIST[0].x", 21), ("vars.LIST[1]", 23), ("vars.LIST[1].x", 24),
            ("vars.LIST[1].sub", 25), ("vars.LIST[1].sub.y", 26), (#"vars."literal key".z"#, 29),
            ("fake", nil), ("also", nil),
        ]
        for (field, line) in expected {
            #expect(locations.line(of: field) == line, "\(field)")
        }
        #expect(result.warnings.map(\.line) == [2, 6])
        #expect(result.config.vars["array"]?.jsonText == #"[1,[2,3],{"x":1,"y":[4,5]}]"#)
        #expect(result.config.vars["LIST"]?.jsonText == #"[{"x":1},{"sub":{"y":3},"x":2}]"#)
        #expect(result.config.vars["dotted"] == .table(["inner": .table(["leaf": .bool(true)])]))
        #expect(result.config.vars["quoted.key"] == .int(1))
    }

    @Test("CRLF line endings and a byte order mark do not shift lines")
    func lineEndings() throws {
        let text = "\u{FEFF}name = \"crlf\"\r\n\r\n[dev]\r\nport = 70000\r\n"
        let error = try #require(throws: ConfigError.self) { try WranglerConfig.parse(text, at: file) }
        #expect(error.line == 4)
        #expect(error.field == "dev.port")
    }

    @Test("a wrong value inside an inline table in a multi-line array is located on its own line")
    func inlineTableInArray() throws {
        let text = """
            [durable_objects]
            bindings = [
              { name = "A", class_name = "A" },

              { name = "B", class_name = "B", script_name = 3 },
            ]
            """
        let error = try #require(throws: ConfigError.self) { try WranglerConfig.parse(text, at: file) }
        #expect(error.line == 5)
        #expect(error.field == "durable_objects.bindings[1].script_name")
        #expect(error.message == #""durable_objects.bindings[1]": the field "script_name", when present, should be a string."#)
    }
}
