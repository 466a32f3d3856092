import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Testing

/// A worker's name in Durable Object paths (`do/<worker>-<Class>/`) stays one folder inside the
/// state directory, whatever it holds.
@Suite struct WorkerNamePathTests {
    @Test("a worker name with ../ and / stays one folder in <state>/do/", arguments: ["../../evil", "a/b", "plain"])
    func staysInside(worker: String) throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("edge-names-\(UUID().uuidString)")
        let root = parent.appendingPathComponent("one/two/state")
        defer { try? FileManager.default.removeItem(at: parent) }
        _ = try DurableObjectRuntime(
            workerName: worker, stateRoot: root, classes: [Counter.self], bindings: [("NS", "Counter")],
            sqliteClasses: [], clock: VirtualClock())
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("do").path)
        #expect(folders == [worker == "plain" ? "plain-Counter" : worker.replacingOccurrences(of: "/", with: "%2F")
            .replacingOccurrences(of: "..%2F..%2F", with: "%2E.%2F..%2F") + "-Counter"])
        let everything = FileManager.default.enumerator(atPath: parent.path)?.allObjects as? [String] ?? []
        #expect(everything.allSatisfy { $0 == "one" || $0.hasPrefix("one/two") }, "\(everything)")
    }
}
