extension WranglerConfig {
    /// An error about `field` of this config (`services[0].entrypoint`), located at the line where
    /// it was written: for checks made after loading, such as those that need the registered
    /// worker modules.
    public func error(_ message: String, at field: String) -> ConfigError {
        .invalid(message, file: path, line: fieldLocations.line(of: field), field: field)
    }

    /// `Worker "<name>"'s binding "<binding>"`: how workerd's config errors start
    /// (`errorContext`, src/workerd/server/server.c++).
    public func bindingContext(_ binding: String) -> String {
        "Worker \(name.jsonQuoted)'s binding \(binding.jsonQuoted)"
    }

    /// Checks that the configs of one session (`edge dev -c A -c B`, the first one serving) fit
    /// together, before anything is opened:
    /// - each worker has its own `name` (Miniflare's `ERR_DUPLICATE_NAME` text);
    /// - each `[[services]] service` and Durable Object `script_name` names a worker of the session
    ///   (workerd's `refers to a service "x", but no such service is defined.`).
    ///
    /// Service bindings may form cycles (A calls B, B calls A), as in production. What the
    /// registered modules must export (entrypoints, classes) is checked where they are known.
    public static func checkSession(_ configs: [WranglerConfig]) throws(ConfigError) {
        var names: [String: WranglerConfig] = [:]
        for config in configs {
            if names[config.name] != nil {
                throw config.error(
                    "Multiple workers defined with the same `name`: \(config.name.jsonQuoted). Each --config of a session is one worker and needs its own name.",
                    at: "name")
            }
            names[config.name] = config
        }
        let known = configs.map(\.name).joined(separator: ", ")
        for config in configs {
            for (index, service) in config.services.enumerated() where names[service.service] == nil {
                throw config.error(
                    "\(config.bindingContext(service.binding)) refers to a service \(service.service.jsonQuoted), but no such service is defined. "
                        + "Workers in this session: \(known) (add the other worker's config with another --config).",
                    at: "services[\(index)].service")
            }
            for (index, binding) in config.durableObjects.enumerated() {
                guard let script = binding.scriptName, names[script] == nil else { continue }
                throw config.error(
                    "\(config.bindingContext(binding.name)) refers to a service \(script.jsonQuoted), but no such service is defined. "
                        + "Workers in this session: \(known) (add the other worker's config with another --config).",
                    at: "durable_objects.bindings[\(index)].script_name")
            }
        }
    }
}
