import EdgeConfig
import Foundation
import Testing

/// `[[services]]` and the checks across the configs of one session (`edge dev -c A -c B`).
@Suite struct SessionConfigTests {
    @Test func servicesAreReadWithTheirLines() throws {
        try TemporaryDirectory.with { dir in
            let file = try dir.write(
                """
                name = "app"

                [[services]]
                binding = "API"
                service = "api"

                [[services]]
                binding = "ADMIN"
                service = "api"
                entrypoint = "Admin"
                """, to: "app/wrangler-like.toml")
            let config = try WranglerConfig.load(from: file).config
            #expect(config.services == [
                ServiceBindingConfig(binding: "API", service: "api"),
                ServiceBindingConfig(binding: "ADMIN", service: "api", entrypoint: "Admin"),
            ])
            #expect(config.fieldLocations.line(of: "services[1].entrypoint") == 10)
            #expect(config.fieldLocations.line(of: "services[0].service") == 5)
        }
    }

    @Test func anUnknownServiceNamesTheFileLineAndTheWorkersThereAre() throws {
        try TemporaryDirectory.with { dir in
            let app = try WranglerConfig.load(from: try dir.write(
                """
                name = "app"
                [[services]]
                binding = "API"
                service = "apii"
                """, to: "app/wrangler-like.toml")).config
            let api = try WranglerConfig.load(from: try dir.write("name = \"api\"\n", to: "api/wrangler-like.toml")).config
            let error = try #require(throws: ConfigError.self) { try WranglerConfig.checkSession([app, api]) }
            #expect(error.line == 4)
            #expect(error.field == "services[0].service")
            #expect(error.message.hasPrefix(#"Worker "app"'s binding "API" refers to a service "apii", but no such service is defined."#))
            #expect(error.message.contains("Workers in this session: app, api"))
            #expect(error.description.contains("app/wrangler-like.toml:4: "))
        }
    }

    @Test func aScriptNameNamingNoWorkerOfTheSessionFails() throws {
        try TemporaryDirectory.with { dir in
            let app = try WranglerConfig.load(from: try dir.write(
                """
                name = "app"
                [durable_objects]
                bindings = [
                  { name = "COUNTER", class_name = "Counter", script_name = "nope" },
                ]
                """, to: "app/wrangler-like.toml")).config
            let error = try #require(throws: ConfigError.self) { try WranglerConfig.checkSession([app]) }
            #expect(error.line == 4)
            #expect(error.message.hasPrefix(#"Worker "app"'s binding "COUNTER" refers to a service "nope", but no such service is defined."#))
        }
    }

    @Test func twoWorkersWithOneNameFailAtTheSecondName() throws {
        try TemporaryDirectory.with { dir in
            let first = try WranglerConfig.load(from: try dir.write("name = \"api\"\n", to: "a/wrangler-like.toml")).config
            let second = try WranglerConfig.load(from: try dir.write("\nname = \"api\"\n", to: "b/wrangler-like.toml")).config
            let error = try #require(throws: ConfigError.self) { try WranglerConfig.checkSession([first, second]) }
            #expect(error.file == second.path)
            #expect(error.line == 2)
            #expect(error.message.hasPrefix("Multiple workers defined with the same `name`: \"api\"."))
        }
    }

    @Test func servicesMayFormACycle() throws {
        try TemporaryDirectory.with { dir in
            let a = try WranglerConfig.load(from: try dir.write(
                "name = \"a\"\nservices = [{ binding = \"B\", service = \"b\" }]\n", to: "a/wrangler-like.toml")).config
            let b = try WranglerConfig.load(from: try dir.write(
                "name = \"b\"\nservices = [{ binding = \"A\", service = \"a\" }, { binding = \"SELF\", service = \"b\" }]\n",
                to: "b/wrangler-like.toml")).config
            try WranglerConfig.checkSession([a, b])
        }
    }
}
