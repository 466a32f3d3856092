import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Testing

@Suite("Durable Object ids")
struct DurableObjectIdTests {
    /// Expected ids computed with Python's hashlib/hmac from workerd's algorithm
    /// (key = SHA-256("<worker>-<Class>"), HMAC-SHA256 halves).
    @Test(arguments: [
        ("my-worker", "Counter", "foo", "8d8d52167eba73e7f0268ab71258e747f36d3bda25975c74ec438beeadb76dd6"),
        ("my-worker", "Counter", "bar", "2caa716bd34e4a78cd24ea59e3fa4180b9c8fc1872aa01aaaa473bffc0863b43"),
        ("counterfire", "OrderHub", "demo", "a7f3290697b9518fe21b98fbb092e7a372f509d2627688677a613dd754fb4182"),
        ("", "Counter", "foo", "3ddc7f7faf2ae78e8589d175b81532d57e72e41b7b2c6134c521870988395aa7"),
        ("my-worker", "Counter", "", "385054d1a4b25061f24068b3076966a0cd22da0f7f126522b60b10de5bab35a9"),
        ("my-worker", "Counter", "ünïcødé 🍕", "31c2e46d89be32b0402f40e3da712c1a4d9037cddaabc8531edc86b214c148f0"),
    ])
    func idFromNameMatchesWorkerd(worker: String, className: String, name: String, expected: String) throws {
        let namespace = try Self.namespace(worker: worker, className: className)
        let id = namespace.idFromName(name)
        #expect(id.hex == expected)
        #expect(id.description == expected)
        #expect(id.name == name)
        #expect(DurableObjectId.fromName(name, workerName: worker, className: className).hex == expected)
        #expect(namespace.stubID(name).0 == id)
        #expect(namespace.stubID(name).1 == name)
    }

    @Test func idFromStringRoundTripsAndValidates() throws {
        let namespace = try Self.namespace(worker: "my-worker", className: "Counter")
        let id = namespace.idFromName("foo")
        let parsed = try namespace.idFromString(id.hex)
        #expect(parsed == id)
        #expect(parsed.equals(id))
        #expect(parsed.name == nil)
        #expect(try namespace.idFromString(id.hex.uppercased()).hex == id.hex)

        let unique = namespace.newUniqueId()
        #expect(unique.name == nil)
        #expect(unique.hex.count == 64)
        #expect(unique != namespace.newUniqueId())
        #expect(try namespace.idFromString(unique.hex) == unique)
    }

    @Test func idFromStringErrorsAreWorkerds() async throws {
        let namespace = try Self.namespace(worker: "my-worker", className: "Counter")
        for bad in ["", "abc", String(repeating: "g", count: 64), String(repeating: "0", count: 63), String(repeating: "0", count: 65)] {
            await expectError("TypeError: Invalid Durable Object ID: must be 64 hex digits") {
                _ = try namespace.idFromString(bad)
            }
        }
        let other = try Self.namespace(worker: "other-worker", className: "Counter")
        await expectError("TypeError: Durable Object ID is not valid for this namespace.") {
            _ = try namespace.idFromString(other.idFromName("foo").hex)
        }
        await expectError("TypeError: Durable Object ID is not valid for this namespace.") {
            _ = try namespace.idFromString(String(repeating: "0", count: 64))
        }
    }

    @Test func stubOfAnotherNamespacesIdFails() async throws {
        try await Harness.run { harness throws in
            let foreign = try Self.namespace(worker: "elsewhere", className: "Counter").idFromName("x")
            let stub = harness.namespace("COUNTER", Counter.self).get(foreign)
            await expectError("TypeError: Durable Object ID is not valid for this namespace.") {
                _ = try await stub.call { await $0.bump() }
            }
        }
    }

    /// The ids of a namespace of a runtime over a throwaway directory (ids need no storage).
    static func namespace(worker: String, className: String) throws -> IdMaker {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("edge-ids-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let runtime = try DurableObjectRuntime(
            workerName: worker, stateRoot: root, classes: [Counter.self, RenamedHub.self], bindings: [("NS", className)],
            sqliteClasses: [], clock: VirtualClock())
        if let counters = runtime.namespaces()["NS"] as? DurableObjectNamespace<Counter> { return IdMaker(counters) }
        return IdMaker(runtime.namespaces()["NS"] as! DurableObjectNamespace<RenamedHub>)
    }
}

/// A class registered under another name than its Swift type's (`className` overridden).
actor RenamedHub: DurableObject {
    static var className: String { "OrderHub" }

    init(state: DurableObjectState, env: TestEnv) {}
}

/// The id API of a namespace of either test class.
struct IdMaker {
    let idFromName: (String) -> DurableObjectId
    let newUniqueId: () -> DurableObjectId
    let idFromString: (String) throws -> DurableObjectId
    let stubID: (String) -> (DurableObjectId, String?)

    init<O: DurableObject>(_ namespace: DurableObjectNamespace<O>) {
        idFromName = namespace.idFromName
        newUniqueId = namespace.newUniqueId
        idFromString = namespace.idFromString
        stubID = { (namespace.getByName($0).id, namespace.getByName($0).name) }
    }
}
