import EdgeConfig
import EdgeD1
import EdgeDurableObjects
import EdgeRuntime

// How a session's workers are put together, in two passes so that they may bind each other in any
// direction (A's Durable Object binding with `script_name = "b"` while B calls A through a service):
// 1. every worker's databases and Durable Object runtime: its own classes, plus the classes that
//    other workers bind by `script_name`, which it hosts (workerd's "Durable Object namespace
//    defined by that service");
// 2. every worker's links: namespaces (its own and the hosts'), service bindings resolved at call
//    time through the session's `WorkerDirectory`. Then each `Emulator` builds its `Env`.
// A single `Emulator` goes through the same passes as a session of one.

/// One worker between the two passes: what its `Emulator` is built from.
package struct WorkerParts: Sendable {
    let config: WranglerConfig
    let module: WorkerModule
    let options: Emulator.Options
    let databases: [String: D1Database]
    let runtime: DurableObjectRuntime
    /// Durable Object namespaces and service bindings by binding name.
    let links: [String: any Sendable]

    /// Closes what was opened, for a session that failed before this worker was built.
    func close() async {
        await runtime.shutdown()
        databases.values.forEach { $0.close() }
    }
}

extension WorkerGroup {
    /// The workers of `members`, each an `Emulator` registered in `directory`.
    static func assemble(_ members: [Member], options: Emulator.Options, directory: WorkerDirectory) async throws -> [Emulator] {
        var parts = try await prepare(members, options: options, directory: directory)
        var built: [Emulator] = []
        do {
            while !parts.isEmpty {
                let next = parts.removeFirst()
                built.append(try await Emulator(parts: next, session: directory))
            }
        } catch {
            for emulator in built { await emulator.shutdown(gracePeriod: .zero) }
            for part in parts { await part.close() }
            directory.removeAll()
            throw error
        }
        return built
    }

    /// The first pass, and the links of the second; on a failure, nothing is left open.
    package static func prepare(_ members: [Member], options: Emulator.Options, directory: WorkerDirectory) async throws -> [WorkerParts] {
        // Miniflare's ERR_NO_WORKERS.
        guard !members.isEmpty else { throw ServerError.startup("No workers defined") }
        do {
            try WranglerConfig.checkSession(members.map(\.config))
            try checkExports(members)
        } catch {
            throw ServerError.startup(error.description)
        }
        var hosted: [String: [String]] = [:]
        for member in members {
            for binding in member.config.durableObjects where binding.isForeign(to: member.config) {
                hosted[binding.scriptName ?? "", default: []].append(binding.className)
            }
        }
        var opened: [(databases: [String: D1Database], runtime: DurableObjectRuntime, hostBindings: [(binding: String, className: String)])] = []
        do {
            for member in members {
                var memberOptions = options
                memberOptions.secrets = member.secrets
                let databases = try await Emulator.openDatabases(config: member.config, options: memberOptions)
                do {
                    let hostBindings = Self.hostBindings(of: member.config, hosting: hosted[member.config.name] ?? [])
                    let runtime = try makeRuntime(member, bindings: hostBindings, options: memberOptions)
                    opened.append((databases, runtime, hostBindings))
                } catch {
                    databases.values.forEach { $0.close() }
                    throw error
                }
            }
        } catch {
            for (databases, runtime, _) in opened {
                await runtime.shutdown()
                databases.values.forEach { $0.close() }
            }
            throw error
        }
        let index = Dictionary(members.enumerated().map { ($1.config.name, $0) }, uniquingKeysWith: { first, _ in first })
        return members.enumerated().map { position, member in
            var memberOptions = options
            memberOptions.secrets = member.secrets
            let (databases, runtime, _) = opened[position]
            var links: [String: any Sendable] = [:]
            let namespaces = runtime.namespaces()
            for binding in member.config.durableObjects {
                if binding.isForeign(to: member.config), let script = binding.scriptName, let host = index[script] {
                    let hostBinding = Self.hostBinding(for: binding.className, in: opened[host].hostBindings)
                    links[binding.name] = hostBinding.flatMap { opened[host].runtime.namespaces()[$0] }
                } else {
                    links[binding.name] = namespaces[binding.name]
                }
            }
            for service in member.config.services {
                let target = WorkerService(directory: directory, worker: service.service)
                if let name = service.entrypoint, let host = index[service.service],
                    let type = members[host].module.entrypoints.first(where: { $0.entrypointName == name })
                {
                    links[service.binding] = type.service(target, entrypoint: name)
                } else {
                    links[service.binding] = ServiceFetcher(target: target)
                }
            }
            return WorkerParts(
                config: member.config, module: member.module, options: memberOptions, databases: databases,
                runtime: runtime, links: links)
        }
    }

    /// What the modules must export for the bindings between them: each named entrypoint a
    /// service binding asks for, each class a `script_name` binding names (workerd's texts,
    /// src/workerd/server/server.c++, with what the module does register).
    static func checkExports(_ members: [Member]) throws(ConfigError) {
        let modules = Dictionary(members.map { ($0.config.name, $0.module) }, uniquingKeysWith: { first, _ in first })
        for member in members {
            let config = member.config
            for (index, service) in config.services.enumerated() {
                guard let entrypoint = service.entrypoint, let module = modules[service.service] else { continue }
                let names = module.entrypoints.map { $0.entrypointName }
                guard !names.contains(entrypoint) else { continue }
                throw config.error(
                    "\(config.bindingContext(service.binding)) refers to service \(service.service.jsonQuoted) with a named entrypoint "
                        + "\(entrypoint.jsonQuoted), but \(service.service.jsonQuoted) has no such named entrypoint. "
                        + "Entrypoints \(service.service.jsonQuoted) registers: \(names.isEmpty ? "none" : names.sorted().joined(separator: ", ")) "
                        + "(WorkerModule(worker, entrypoints: [...])).",
                    at: "services[\(index)].entrypoint")
            }
            for (index, binding) in config.durableObjects.enumerated() where binding.isForeign(to: config) {
                guard let script = binding.scriptName, let module = modules[script], module.classes[binding.className] == nil else { continue }
                let names = module.classes.keys.sorted()
                throw config.error(
                    "\(config.bindingContext(binding.name)) refers to a Durable Object namespace named \(binding.className.jsonQuoted) "
                        + "in service \(script.jsonQuoted), but no such Durable Object namespace is defined by that service. "
                        + "Classes \(script.jsonQuoted) registers: \(names.isEmpty ? "none" : names.joined(separator: ", ")) "
                        + "(WorkerModule(worker, durableObjects: [...])).",
                    at: "durable_objects.bindings[\(index)].class_name")
            }
        }
    }

    /// The bindings a worker's runtime holds: its own (not `script_name` of another worker), then
    /// one per class it hosts for others and does not bind itself, under the class's name (how
    /// `edge do` and the control routes name it).
    static func hostBindings(of config: WranglerConfig, hosting classes: [String]) -> [(binding: String, className: String)] {
        var bindings = config.durableObjects.filter { !$0.isForeign(to: config) }.map { (binding: $0.name, className: $0.className) }
        for className in classes where !bindings.contains(where: { $0.className == className }) {
            var name = className
            while bindings.contains(where: { $0.binding == name }) { name += "_" }
            bindings.append((name, className))
        }
        return bindings
    }

    static func hostBinding(for className: String, in bindings: [(binding: String, className: String)]) -> String? {
        bindings.first { $0.className == className }?.binding
    }

    /// The Durable Object runtime of one worker.
    static func makeRuntime(_ member: Member, bindings: [(binding: String, className: String)], options: Emulator.Options) throws -> DurableObjectRuntime {
        let config = member.config
        let lifecycle = options.lifecycle ?? LifecycleSettings(hibernateAfter: config.dev.hibernateAfter, evictAfter: config.dev.evictAfter)
        do {
            return try DurableObjectRuntime(
                workerName: config.name,
                stateRoot: options.stateRoot,
                classes: member.module.durableObjects,
                bindings: bindings,
                sqliteClasses: config.sqliteClasses,
                clock: options.clock,
                lifecycle: lifecycle,
                logger: options.logger,
                outbound: OutboundFetcher(service: options.outbound, logger: options.logger, faults: options.faults),
                faults: options.faults
            )
        } catch {
            throw ServerError.startup("\(config.path.path): \(error)")
        }
    }
}

extension DurableObjectBindingConfig {
    /// Whether the binding names a class of another worker (`script_name` other than its own name).
    func isForeign(to config: WranglerConfig) -> Bool {
        scriptName.map { $0 != config.name } ?? false
    }
}
