/// The behaviours that production gates on `compatibility_date` and that Edge always follows
/// (it implements one version of the runtime, the current one). A config dated before any of
/// them gets one warning naming those that would differ in production.
///
/// Sources: workerd `src/workerd/io/compatibility-date.capnp` (each flag's
/// `$compatEnableDate`) and Cloudflare's compatibility-flags page; see
/// `shared/reference/durable-objects.md` and `workers-d1.md`.
enum CompatibilityDate {
    struct Behaviour {
        /// The first compatibility date on which production behaves as Edge does.
        let date: String
        /// The compatibility flag that turns it on before that date.
        let flag: String
        /// What differs, in a few words.
        let summary: String
    }

    /// Newest first.
    static let behaviours: [Behaviour] = [
        Behaviour(
            date: "2026-10-01", flag: "durable_object_io_tasks_prevent_eviction",
            summary: "pending waitUntil work and timers keep a Durable Object in memory"),
        Behaviour(
            date: "2026-04-07", flag: "web_socket_auto_reply_to_close",
            summary: "a peer's WebSocket Close frame is answered by the runtime"),
        Behaviour(
            date: "2026-02-24", flag: "delete_all_deletes_alarm",
            summary: "storage.deleteAll() also deletes the alarm"),
        Behaviour(
            date: "2024-04-03", flag: "rpc",
            summary: "Durable Object stubs take RPC calls"),
        Behaviour(
            date: "2022-11-30", flag: "transformstream_enable_standard_constructor",
            summary: "new TransformStream() is the standard one"),
    ]

    /// The warning for a config dated `date` with `flags`, or `nil` when production would
    /// behave as Edge does. `yyyy-mm-dd` strings compare as dates.
    static func warning(date: String, flags: [String], reader: ConfigReader) -> ConfigWarning? {
        let differing = behaviours.filter { $0.date > date && !flags.contains($0.flag) }
        guard !differing.isEmpty else { return nil }
        let list = differing.map { "\($0.summary) (from \($0.date), flag \($0.flag))" }.joined(separator: "; ")
        let path = FieldPath("compatibility_date")
        return ConfigWarning(
            "compatibility_date \(date) is older than the behaviour Edge implements, which production "
                + "applies only from a later date: \(list). Set compatibility_date = \"\(differing[0].date)\" "
                + "or later for production to behave as Edge does.",
            file: reader.file, line: reader.locations.line(of: path), field: path.description)
    }
}
