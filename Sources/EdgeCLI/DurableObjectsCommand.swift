import ArgumentParser
import EdgeConfig
import EdgeDurableObjects
import EdgeServer
import Foundation

/// `edge do`: Durable Objects of a running `edge dev` (list, evict, reset) and ids (`id`).
struct DurableObjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "do",
        abstract: "Inspect and drive the Durable Objects of a running `edge dev`.",
        discussion: """
            list, evict and reset talk to the dev server's control API (loopback only) at --url,
            by default http://<[dev] ip>:<[dev] port> of the configuration. id needs no server.
            """,
        subcommands: [List.self, Evict.self, Reset.self, Id.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List namespaces and their objects: id, name, state, sockets, constructions.")
        @OptionGroup var server: ControlServer
        @Flag(help: "Print the JSON the control API returns.")
        var json = false

        func run() async throws {
            let body = try await server.request("GET", "/cdn-cgi/edge/durable-objects")
            if json {
                Terminal.print(String(decoding: body, as: UTF8.self))
                return
            }
            let listing = try server.decode(ControlAPI.Listing.self, body)
            for namespace in listing.namespaces {
                Terminal.print("\(namespace.binding) (\(namespace.className)): \(namespace.objects.count) object(s)")
                for object in namespace.objects {
                    Terminal.print("  \(object.id)  \(object.name ?? "-")  \(object.state.rawValue)  sockets=\(object.sockets)  constructions=\(object.constructions)")
                }
            }
        }
    }

    struct Evict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Evict objects now, as an idle timeout would.")
        @OptionGroup var server: ControlServer
        @OptionGroup var selection: ObjectSelection
        @Option(help: "What happens to hibernatable WebSockets: hibernate (kept open) or close.")
        var websockets: WebSocketDisposition = .hibernate

        func run() async throws {
            let body = ControlAPI.Selection(target: selection.target, webSockets: websockets)
            let reply = try await server.request("POST", "/cdn-cgi/edge/durable-objects/\(selection.path)/evict", json: body)
            let ids = try server.decode(ControlAPI.Evicted.self, reply).evicted
            Terminal.print("\(selection.binding): evicted \(ids.count) object(s) that were in memory")
            ids.forEach { Terminal.print("  \($0)") }
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reset objects as a code update does: sockets closed, in-flight requests fail.")
        @OptionGroup var server: ControlServer
        @OptionGroup var selection: ObjectSelection

        func run() async throws {
            let body = ControlAPI.Selection(target: selection.target)
            let reply = try await server.request("POST", "/cdn-cgi/edge/durable-objects/\(selection.path)/reset", json: body)
            let ids = try server.decode(ControlAPI.Reset.self, reply).reset
            Terminal.print("\(selection.binding): reset \(ids.count) object(s)")
            ids.forEach { Terminal.print("  \($0)") }
        }
    }

    struct Id: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the id idFromName(<name>) gives for a binding (the same as wrangler dev's).")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "The Durable Object binding, e.g. ORDER_HUB.")
        var binding: String
        @Argument(help: "The name passed to idFromName.")
        var name: String

        func run() async throws {
            let config = try options.load()
            guard let entry = config.durableObjects.first(where: { $0.name == binding }) else {
                let known = config.durableObjects.map(\.name).joined(separator: ", ")
                Terminal.error("No Durable Object binding named \(binding) in \(options.config). Known: \(known.isEmpty ? "none" : known).")
                throw ExitCode.failure
            }
            Terminal.print(DurableObjectId.fromName(name, workerName: config.name, className: entry.className).hex)
        }
    }
}

/// Which objects `evict` and `reset` act on.
struct ObjectSelection: ParsableArguments {
    @Argument(help: "The Durable Object binding, e.g. ORDER_HUB.")
    var binding: String
    @Option(help: "The object's name (as given to idFromName).")
    var name: String?
    @Option(help: "The object's 64-hex id.")
    var id: String?
    @Flag(help: "Every running object of the binding.")
    var all = false

    func validate() throws {
        guard [name != nil, id != nil, all].filter({ $0 }).count == 1 else {
            throw ValidationError("Give exactly one of --name, --id or --all.")
        }
    }

    /// The objects named (``validate()`` made sure there is exactly one way).
    var target: ObjectTarget {
        if let name { return .name(name) }
        if let id { return .id(id) }
        return .all
    }

    /// The binding as one path segment of the control route.
    var path: String {
        binding.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? binding
    }
}

extension WebSocketDisposition: ExpressibleByArgument {}
