// Re-exported: a worker that imports EdgeRuntime has `OrderedDictionary` and `OrderedSet`, the
// twins of JavaScript's `Map` and `Set`, as a script has `Map` and `Set`.
@_exported import OrderedCollections

/// `OrderedDictionary` is the Swift twin of a JavaScript `Map` (and of an object built key by
/// key): iteration follows insertion order, setting an existing key keeps its place.
/// `Codable` alone writes it as `[key, value, key, value]`; Edge's JSON writes and reads one
/// with `String` keys as the object JavaScript would show, `{"key": value, ...}`, in its order
/// (`JSON.stringify(Object.fromEntries(map))`). Durable Object storage uses the same JSON, so
/// a stored `OrderedDictionary` comes back in its order. (`OrderedSet`, the twin of a `Set`,
/// is an array in both.)
extension OrderedDictionary: JSONObjectEncodable where Key == String, Value: Encodable {
    func encodeJSONObject(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        for (key, value) in self { try container.encode(value, forKey: JSONKey(key)) }
    }
}

extension OrderedDictionary: JSONObjectDecodable where Key == String, Value: Decodable {
    init(jsonObject: OrderedDictionary<String, JSONValue>, codingPath: [any CodingKey]) throws {
        self.init(minimumCapacity: jsonObject.count)
        for (key, value) in jsonObject {
            self[key] = try JSONValueDecoder.unbox(value, as: Value.self, codingPath: codingPath + [JSONKey(key)])
        }
    }
}
