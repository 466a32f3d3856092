import ArgumentParser
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

    /// The app's worker and Durable Object classes, registered before parsing.
    static let registered = Mutex<WorkerModule?>(nil)

    /// Registers `module` and runs the command line.
    public static func run(module: WorkerModule) async {
        registered.withLock { $0 = module }
        await main()
    }

    static var module: WorkerModule {
        get throws {
            guard let module = registered.withLock({ $0 }) else {
                throw ValidationError("No worker is registered: call EdgeCommand.run(module:) from the executable.")
            }
            return module
        }
    }
}
