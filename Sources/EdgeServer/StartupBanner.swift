import Foundation
import EdgeConfig

/// What `edge dev` prints at start, as wrangler dev prints it:
///
/// ```
/// Your Worker has access to the following bindings:
/// Binding                     Resource              Mode
/// env.DB (counterfire)        D1 Database           local
/// env.ORDER_HUB (OrderHub)    Durable Object        local
/// env.GREETING ("hello")      Environment Variable  local
/// env.API_KEY ("(hidden)")    Environment Variable  local
/// Ready on http://127.0.0.1:8787
/// ```
///
/// D1 shows `preview_database_id ?? database_name ?? database_id` as wrangler does; secrets
/// (from `.dev.vars`) are hidden, and win over a var of the same name.
package enum StartupBanner {
    /// The bindings table followed by `Ready on <url>`.
    package static func lines(config: WranglerConfig, secretNames: some Collection<String>, url: String) -> [String] {
        bindingLines(config: config, secretNames: secretNames) + [readyLine(url: url)]
    }

    /// `Ready on <url>`.
    package static func readyLine(url: String) -> String {
        "Ready on \(url)"
    }

    /// The bindings table, or `No bindings found.` when there are none.
    package static func bindingLines(config: WranglerConfig, secretNames: some Collection<String>) -> [String] {
        var rows: [(binding: String, resource: String)] = []
        for database in config.d1Databases {
            let shown = database.previewDatabaseId ?? database.databaseName ?? database.databaseId
            rows.append((shown.map { "env.\(database.binding) (\($0))" } ?? "env.\(database.binding)", "D1 Database"))
        }
        for namespace in config.durableObjects {
            // wrangler's printBindings: "<Class>, defined in <script_name>" for another worker's class.
            let defined = namespace.scriptName.map { $0 == config.name ? "" : ", defined in \($0)" } ?? ""
            rows.append(("env.\(namespace.name) (\(namespace.className)\(defined))", "Durable Object"))
        }
        for service in config.services {
            rows.append(("env.\(service.binding) (\(service.service)\(service.entrypoint.map { "#\($0)" } ?? ""))", "Worker"))
        }
        if let binding = config.assets?.binding {
            rows.append(("env.\(binding)", "Assets"))
        }
        let secrets = Set(secretNames)
        for name in config.vars.keys.sorted() where !secrets.contains(name) {
            rows.append(("env.\(name) (\(config.vars[name]!.jsonText))", "Environment Variable"))
        }
        for name in secrets.sorted() {
            rows.append(("env.\(name) (\"(hidden)\")", "Environment Variable"))
        }
        guard !rows.isEmpty else { return ["No bindings found."] }
        let bindingWidth = max("Binding".count, rows.map(\.binding.count).max() ?? 0) + 4
        let resourceWidth = max("Resource".count, rows.map(\.resource.count).max() ?? 0) + 2
        func row(_ binding: String, _ resource: String, _ mode: String) -> String {
            binding.padding(toLength: bindingWidth, withPad: " ", startingAt: 0)
                + resource.padding(toLength: resourceWidth, withPad: " ", startingAt: 0) + mode
        }
        return ["Your Worker has access to the following bindings:", row("Binding", "Resource", "Mode")]
            + rows.map { row($0.binding, $0.resource, "local") }
    }
}
