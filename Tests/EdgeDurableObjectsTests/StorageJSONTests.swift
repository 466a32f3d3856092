import EdgeDurableObjects
import EdgeRuntime
import Foundation
import Testing

/// KV values are stored as Edge's JSON: a Map's twin (`OrderedDictionary`) and a Set's
/// (`OrderedSet`) come back in their order, as structured clone keeps a `Map`'s and a `Set`'s
/// order in production.
@Suite("Storage: values as JSON", .timeLimit(.minutes(1)))
struct StorageJSONTests {
    @Test func orderedCollectionsRoundTripInTheirOrder() async throws {
        try await Harness.run { harness throws in
            try await harness.runtime.runInDurableObject(harness.counter("json")) { _, state in
                let storage = state.storage
                var map: OrderedDictionary<String, Int> = [:]
                for key in ["zeta", "alpha", "mid", "beta", "0", "10", "2"] { map[key] = map.count }
                try storage.put("map", map)
                let read = try #require(try storage.get("map", as: OrderedDictionary<String, Int>.self))
                #expect(Array(read.keys) == ["zeta", "alpha", "mid", "beta", "0", "10", "2"])
                #expect(read == map)
                let set: OrderedSet = ["c", "a", "b"]
                try storage.put("set", set)
                #expect(try storage.get("set", as: OrderedSet<String>.self) == set)
                // Stored as the object JavaScript would show, keys in order.
                #expect(try storage.get("map", as: JSONValue.self)?.description == #"{"zeta":0,"alpha":1,"mid":2,"beta":3,"0":4,"10":5,"2":6}"#)
            }
        }
    }

    @Test func nilFieldsAndDatesRoundTrip() async throws {
        struct Entry: Codable, Equatable { let note: String?; let at: Date; let tags: [String: Int] }
        try await Harness.run { harness throws in
            try await harness.runtime.runInDurableObject(harness.counter("json-entry")) { _, state in
                let entry = Entry(note: nil, at: Date(timeIntervalSince1970: 1_700_000_000.5), tags: ["b": 1, "a": 2])
                try state.storage.put("entry", entry)
                #expect(try state.storage.get("entry", as: Entry.self) == entry)
                #expect(try state.storage.get("entry", as: JSONValue.self)?.description == #"{"note":null,"at":"2023-11-14T22:13:20.500Z","tags":{"a":2,"b":1}}"#)
            }
        }
    }
}
