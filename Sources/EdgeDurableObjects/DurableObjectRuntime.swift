import EdgeRuntime
import Foundation
import Logging
import Synchronization

/// Every Durable Object namespace of one worker, and the host that runs their objects: what the
/// server puts into `env` (``namespaces()``), and the control surface tests and CI use
/// (``list()``, ``evict(binding:target:webSockets:)``, ``reset(binding:target:)``,
/// ``inspect(binding:target:)``, ``runInDurableObject(_:_:)``).
///
/// ```swift
/// let runtime = try DurableObjectRuntime(
///     workerName: "counterfire", stateRoot: stateDirectory, classes: module.durableObjects,
///     bindings: [("ORDER_HUB", "OrderHub")], sqliteClasses: ["OrderHub"])
/// var bindings = Bindings(vars: vars, resources: runtime.namespaces())
/// bindings.resources["DB"] = database
/// runtime.attach(bindings: bindings)   // builds each class's Env from these; starts alarms
/// ```
package final class DurableObjectRuntime: Sendable {
    /// The worker's name (the first half of each class's id key and directory).
    package let workerName: String
    /// The state directory (`.edge/state`); objects live under `do/`.
    package let stateRoot: URL
    /// The clock the runtime runs on.
    package let clock: any EdgeClock
    /// The bindings, in configuration order.
    package let bindings: [(binding: String, className: String)]
    let host: HostContext
    let namespacesByClass: [String: ActorNamespace]
    private let source: BindingsSource
    private let typedNamespaces: [String: any Sendable]

    /// Creates the namespaces of `bindings` (binding name → class name) over `classes`.
    ///
    /// - Parameters:
    ///   - sqliteClasses: the classes that are SQLite-backed (`new_sqlite_classes`); the others
    ///     store data the same way but refuse `storage.sql`, as in production.
    ///   - lifecycle: idle timings; ``LifecycleSettings`` defaults to production's.
    ///   - outbound: where the objects' global `fetch` sends subrequests; `nil`: `fetch` throws.
    ///   - faults: the fault plan to inject (events, stub calls, awaits, alarms, sockets); `nil`: none.
    /// - Throws: when a binding names a class that is not registered (the message names the
    ///   binding, the class, and the registered classes), or when the state directory cannot be
    ///   created.
    package init(
        workerName: String, stateRoot: URL, classes: [DurableObjectClass],
        bindings: [(binding: String, className: String)], sqliteClasses: Set<String>,
        clock: any EdgeClock = SystemClock(), lifecycle: LifecycleSettings = LifecycleSettings(),
        logger: Logger = Logger(label: "edge"), outbound: (any Fetcher)? = nil, faults: FaultPlan? = nil
    ) throws {
        self.workerName = workerName
        self.stateRoot = stateRoot
        self.clock = clock
        self.bindings = bindings
        let source = BindingsSource()
        let registered = Dictionary(classes.map { ($0.className, $0) }, uniquingKeysWith: { first, _ in first })
        var namespaces: [String: ActorNamespace] = [:]
        var typed: [String: any Sendable] = [:]
        let host = HostContext(
            clock: clock, settings: lifecycle, logger: logger, activity: ActivityTracker(), bindings: source.current,
            outbound: outbound, faults: faults)
        for (binding, className) in bindings {
            guard let objectType = registered[className] else {
                let known = registered.keys.sorted()
                throw DurableObjectError(
                    "Error", code: .unknownClass,
                    "The Durable Object binding \"\(binding)\" names the class \"\(className)\", which the worker does "
                        + "not register. Registered classes: \(known.isEmpty ? "none" : known.joined(separator: ", ")). "
                        + "The executable registers them: WorkerModule(worker, durableObjects: [...]) (see \"Your own worker\" in Edge's README).")
            }
            let namespace = try namespaces[className] ?? ActorNamespace(
                workerName: workerName, objectType: objectType, stateRoot: stateRoot,
                sqlEnabled: sqliteClasses.contains(className), host: host)
            namespaces[className] = namespace
            typed[binding] = Self.typedNamespace(objectType, namespace)
        }
        source.fallback = Bindings(resources: typed)
        self.host = host
        self.namespacesByClass = namespaces
        self.source = source
        self.typedNamespaces = typed
    }

    private static func typedNamespace<Object: DurableObject>(_ type: Object.Type, _ namespace: ActorNamespace) -> any Sendable {
        DurableObjectNamespace<Object>(namespace)
    }

    /// The namespaces by binding name (each a `DurableObjectNamespace<Class>`), to put into
    /// `Bindings.resources`.
    package func namespaces() -> [String: any Sendable] {
        typedNamespaces
    }

    /// Sets the bindings each class's `Env` is built from (on its first construction) and starts
    /// firing stored alarms. Until it is called, an `Env` sees only the namespaces.
    package func attach(bindings: Bindings) {
        source.attached = bindings
        for namespace in namespacesByClass.values {
            namespace.context.environment.reset()
            namespace.startAlarms()
        }
    }

    /// Waits until no event, alarm run or `waitUntil` work is in progress anywhere in the
    /// runtime (for tests, typically after advancing a ``VirtualClock``).
    package func settled() async {
        await host.activity.settled()
    }

    /// Closes every WebSocket with 1001 Going Away, fails events still in flight, stops every
    /// timer and closes every SQLite file. Events sent afterwards fail.
    package func shutdown() async {
        for namespace in namespacesByClass.values { namespace.shutdown() }
    }

    /// The namespace bound as `binding`, or an error naming the bindings there are.
    func namespace(binding: String) throws -> ActorNamespace {
        guard let className = bindings.first(where: { $0.binding == binding })?.className,
            let namespace = namespacesByClass[className]
        else {
            let known = bindings.map(\.binding)
            throw DurableObjectError(
                "Error", code: .unknownBinding,
                "There is no Durable Object binding \"\(binding)\". Bindings: \(known.isEmpty ? "none" : known.joined(separator: ", ")).")
        }
        return namespace
    }
}

/// The bindings `Env`s are built from: the attached ones, or only the namespaces until then.
private final class BindingsSource: Sendable {
    private let state = Mutex<(attached: Bindings?, fallback: Bindings)>((nil, Bindings()))

    var attached: Bindings? {
        get { state.withLock { $0.attached } }
        set { state.withLock { $0.attached = newValue } }
    }

    var fallback: Bindings {
        get { state.withLock { $0.fallback } }
        set { state.withLock { $0.fallback = newValue } }
    }

    @Sendable func current() -> Bindings {
        state.withLock { $0.attached ?? $0.fallback }
    }
}
