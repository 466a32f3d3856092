import ArgumentParser
import EdgeConfig
import EdgeDurableObjects
import EdgeServer
import Foundation

// `edge dev -c web/wrangler-like.toml -c api/wrangler-like.toml`: one worker per config in one
// process, as wrangler dev runs them (Cloudflare's "Developing with multiple Workers"): the first
// config's worker serves the port, the others are reached through service bindings and
// `script_name` Durable Object bindings. Each worker reads the `.dev.vars` beside its config;
// `--var` applies to every worker.

extension DevCommand {
    /// The session's members: each config with the module the executable registered for it and
    /// its secrets (its `.dev.vars`, then `--var`).
    func members(of configs: [WranglerConfig]) throws -> [WorkerGroup.Member] {
        let modules: [WorkerModule]
        do {
            modules = try EdgeCommand.modules(for: configs)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
        return try zip(configs, modules).map { config, module in
            var secrets: [String: String] = [:]
            do {
                let devVars = try DevVars.load(nextTo: config.path)
                if devVars.fileExists {
                    Terminal.print(configs.count == 1 ? "Using secrets defined in \(DevVars.fileName)" : "Using secrets defined in \(DevVars.fileName) (\(config.name))")
                }
                secrets = devVars.values
            } catch {
                Terminal.error("\(error)")
                throw ExitCode.failure
            }
            for entry in vars {
                if let (key, value) = Self.split(entry) { secrets[key] = value }
            }
            return WorkerGroup.Member(config: config, module: module, secrets: secrets)
        }
    }
}
