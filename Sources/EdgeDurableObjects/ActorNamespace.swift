import EdgeRuntime
import Foundation
import Logging
import Synchronization

/// What every object of the runtime shares: the clock, timings, log, and the bindings to build
/// each class's `Env` from.
struct HostContext: Sendable {
    let clock: any EdgeClock
    let settings: LifecycleSettings
    let logger: Logger
    let activity: ActivityTracker
    /// The bindings attached to the runtime (``DurableObjectRuntime/attach(bindings:)``).
    let bindings: @Sendable () -> Bindings
    /// Where the objects' global `fetch` sends subrequests (the server's outbound service).
    let outbound: (any Fetcher)?
    /// The emulator's fault plan (`ActorContainer+Faults.swift`); `nil`: no faults, no cost.
    let faults: FaultPlan?
}

/// What the objects of one class share (handed to each container, workerd style, rather than a
/// reference back to the namespace).
struct ClassContext: Sendable {
    let className: String
    let objectType: DurableObjectClass
    let directory: URL
    let sqlEnabled: Bool
    let host: HostContext
    let metadata: MetadataStore
    let alarms: AlarmScheduler
    let environment: EnvironmentCache

    func databasePath(_ hex: String) -> String {
        directory.appendingPathComponent("\(hex).sqlite").path
    }
}

/// The `Env` of one class, built once from the attached bindings on the first construction.
final class EnvironmentCache: Sendable {
    private let cached = Mutex<(any Sendable)?>(nil)
    private let bindings: @Sendable () -> Bindings

    init(bindings: @escaping @Sendable () -> Bindings) {
        self.bindings = bindings
    }

    /// Constructs an object of `type`: `type.init(state:env:)`.
    func construct(_ type: DurableObjectClass, state: DurableObjectState) throws -> any DurableObject {
        try make(type, state: state)
    }

    /// Forgets the `Env` (new bindings were attached).
    func reset() {
        cached.withLock { $0 = nil }
    }

    private func make<Object: DurableObject>(_ type: Object.Type, state: DurableObjectState) throws -> any DurableObject {
        Object(state: state, env: try environment(Object.Env.self))
    }

    private func environment<Env: WorkerEnv>(_ type: Env.Type) throws -> Env {
        if let env = cached.withLock({ $0 }) as? Env { return env }
        let env = try Env(bindings: bindings())
        cached.withLock { $0 = env }
        return env
    }
}

/// Every object of one class (workerd's `ActorNamespace`): their containers, ids, files and
/// alarms.
final class ActorNamespace: Sendable {
    let context: ClassContext
    let ids: ActorIdFactory
    private let containers = Mutex<(byID: [String: ActorContainer], shutDown: Bool)>(([:], false))

    var className: String { context.className }

    init(workerName: String, objectType: DurableObjectClass, stateRoot: URL, sqlEnabled: Bool, host: HostContext) throws {
        let uniqueKey = "\(workerName)-\(objectType.className)"
        // The worker's name is the user's: escaped so that any name stays one folder in `do/`.
        let directory = stateRoot.appendingPathComponent("do").appendingPathComponent(StateFileName.component(for: uniqueKey))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let metadata = try MetadataStore(directory: directory)
        let alarms = AlarmScheduler(
            metadata: metadata, clock: host.clock, logger: host.logger, className: objectType.className, faults: host.faults)
        context = ClassContext(
            className: objectType.className, objectType: objectType, directory: directory, sqlEnabled: sqlEnabled,
            host: host, metadata: metadata, alarms: alarms, environment: EnvironmentCache(bindings: host.bindings))
        ids = ActorIdFactory(uniqueKey: uniqueKey)
    }

    /// The container of `id`, created on first use (creating it does not construct the object).
    func container(for id: DurableObjectId) -> ActorContainer {
        let (container, isNew, shutDown) = containers.withLock { containers in
            if let existing = containers.byID[id.hex] { return (existing, false, containers.shutDown) }
            let container = ActorContainer(id: id, context: context)
            containers.byID[id.hex] = container
            return (container, true, containers.shutDown)
        }
        if isNew, shutDown { container.shutdown() }
        if !isNew, let name = id.name { container.adopt(name: name) }
        return container
    }

    /// The container of `hex`, if the object was used since the runtime started.
    func existingContainer(_ hex: String) -> ActorContainer? {
        containers.withLock { $0.byID[hex] }
    }

    /// Every container, in no particular order.
    var allContainers: [ActorContainer] {
        containers.withLock { Array($0.byID.values) }
    }

    /// The hex ids of the objects with a database on disk.
    func idsOnDisk() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: context.directory.path)) ?? []
        return files.compactMap { file in
            guard file.hasSuffix(".sqlite") else { return nil }
            let hex = String(file.dropLast(".sqlite".count))
            return ActorIdFactory.bytes(ofHex: hex) == nil ? nil : hex.lowercased()
        }
    }

    /// Starts firing stored alarms (each constructs its object if needed).
    func startAlarms() {
        do {
            try context.alarms.start { [weak self] id, info in
                guard let self else { return .failed(countsAgainstLimit: false) }
                return await self.container(for: id).runAlarm(info)
            }
        } catch {
            context.host.logger.error("\(className): could not load the stored alarms: \(error)")
        }
    }

    /// Shuts every object down and closes the class's files.
    func shutdown() {
        context.alarms.stop()
        let containers = containers.withLock { containers in
            containers.shutDown = true
            return Array(containers.byID.values)
        }
        containers.forEach { $0.shutdown() }
        context.metadata.close()
    }
}
