import EdgeD1
import EdgeRuntime
import Foundation

/// `export class Guestbook extends WorkerEntrypoint`: the RPC interface other workers call.
public struct Guestbook: WorkerEntrypoint {
    let ctx: ExecutionContext
    let env: ApiEnv

    public init(ctx: ExecutionContext, env: ApiEnv) {
        self.ctx = ctx
        self.env = env
    }

    /// Signs the guestbook; returns how many signatures it holds.
    public func sign(_ name: String) async throws -> Int {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 100 else {
            throw TypeError("A name is 1 to 100 characters.")
        }
        _ = try await env.DB.prepare("INSERT INTO entries (name, signed_at) VALUES (?, strftime('%s', 'now'))").bind(trimmed).run()
        return Int(try await env.DB.prepare("SELECT count(*) AS n FROM entries").first("n")?.int64Value ?? 0)
    }

    /// The names, oldest first.
    public func entries() async throws -> [String] {
        try await env.DB.prepare("SELECT name FROM entries ORDER BY id").all().results.compactMap { $0["name"]?.stringValue }
    }
}
