import ArgumentParser
import EdgeConfig
import EdgeDurableObjects
import Synchronization

/// `edge`: the command line of the runtime. An app's executable registers its worker module
/// and hands over: `await EdgeCommand.run(module: CounterFireWorker.module)`.
public struct EdgeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "edge",
        abstract: "A local runtime for Cloudflare-style Workers, D1 and Durable Objects.",
        subcommands: [DevCommand.self, D1Command.self, DurableObjectsCommand.self, InitCommand.self]
    )

    public init() {}

    /// The app's worker modules, registered before parsing: one for whatever config is given,
    /// or one per worker name.
    static let registered = Mutex<Registration?>(nil)

    enum Registration {
        case any(WorkerModule)
        case byName([String: WorkerModule])
    }

    /// Registers `module` and runs the command line.
    public static func run(module: WorkerModule) async {
        registered.withLock { $0 = .any(module) }
        await main(DevCommand.expandingChaos(Array(CommandLine.arguments.dropFirst())))
    }

    /// Registers several workers, each under its config's `name`, and runs the command line:
    /// `edge dev -c web/wrangler-like.toml -c api/wrangler-like.toml` runs them in one process.
    ///
    /// ```swift
    /// await EdgeCommand.run(modules: ["web": WebWorker.module, "api": ApiWorker.module])
    /// ```
    public static func run(modules: [String: WorkerModule]) async {
        registered.withLock { $0 = .byName(modules) }
        await main(DevCommand.expandingChaos(Array(CommandLine.arguments.dropFirst())))
    }

    static var module: WorkerModule {
        get throws {
            switch registered.withLock({ $0 }) {
            case .any(let module)?: return module
            case .byName(let modules)?:
                if modules.count == 1, let only = modules.values.first { return only }
                throw ValidationError("This executable registers several workers (\(modules.keys.sorted().joined(separator: ", "))): give each its config with -c.")
            case nil:
                throw ValidationError("No worker is registered: call EdgeCommand.run(module:) from the executable.")
            }
        }
    }

    /// The module registered for each worker of `configs`, in order.
    static func modules(for configs: [WranglerConfig]) throws -> [WorkerModule] {
        switch registered.withLock({ $0 }) {
        case .any(let module)?:
            guard configs.count == 1 else {
                throw ValidationError(
                    "This executable registers one worker, so it runs one config; \(configs.count) were given. "
                        + "An executable runs several with EdgeCommand.run(modules: [\"<name>\": module, ...]).")
            }
            return [module]
        case .byName(let modules)?:
            return try configs.map { config in
                guard let module = modules[config.name] else {
                    throw ValidationError(
                        "\(config.path.path): this executable registers no worker named \"\(config.name)\". "
                            + "Registered: \(modules.keys.sorted().joined(separator: ", ")) (EdgeCommand.run(modules:) names each by its config's name).")
                }
                return module
            }
        case nil:
            throw ValidationError("No worker is registered: call EdgeCommand.run(module:) from the executable.")
        }
    }
}
