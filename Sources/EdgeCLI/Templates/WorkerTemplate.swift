extension InitProject {
    /// The worker: its `Env`, its routes, and the module the executable registers.
    var workerSource: String {
        #"""
        import EdgeD1
        import EdgeDurableObjects
        import EdgeRuntime

        /// The worker's bindings, the twin of
        /// `interface Env { DB: D1Database; ROOM: DurableObjectNamespace<Room> }`. Built once at
        /// start from wrangler-like.toml; a binding the config lacks is a start-up error naming it.
        public struct Env: WorkerEnv {
            /// The D1 database (`[[d1_databases]] binding = "DB"`).
            public let DB: D1Database
            /// One Room per chat room (`[durable_objects]`).
            public let ROOM: DurableObjectNamespace<Room>

            public init(bindings: Bindings) throws {
                DB = try bindings.get("DB")
                ROOM = try bindings.get("ROOM")
            }
        }

        /// The worker, the twin of `export default { fetch(request, env, ctx) }`. Files in public/
        /// are served before it runs.
        ///
        /// - `POST /api/visits`: counts a visit in D1, answers `{"visits": n}`.
        /// - `/api/rooms/<room>/...`: handed to that room's Durable Object (see ``Room``).
        public struct \#(workerType): Worker {
            public init() {}

            /// The worker and the Durable Object classes it exports, as the executable registers
            /// them: `await EdgeCommand.run(module: \#(workerType).module)`.
            public static var module: WorkerModule { WorkerModule(\#(workerType)(), durableObjects: [Room.self]) }

            public func fetch(_ request: Request, env: Env, ctx: ExecutionContext) async throws -> Response {
                let parts = request.path.split(separator: "/").map(String.init)
                if parts == ["api", "visits"], request.method == .post {
                    try await env.DB.prepare("INSERT INTO visits (path) VALUES (?)").bind(request.path).run()
                    let visits = try await env.DB.prepare("SELECT count(*) AS visits FROM visits").first("visits")
                    return Response.json(["visits": visits?.int64Value ?? 0])
                }
                if parts.count >= 3, parts[0] == "api", parts[1] == "rooms" {
                    return try await env.ROOM.getByName(parts[2]).fetch(request)
                }
                return Response.json(["error": "Not found"], status: .notFound)
            }
        }

        """#
    }
}
