import EdgeRuntime

/// A create-order body, validated field by field against the contract:
/// `{"items": [{"name": 1-100 chars, "quantity": 1-99, "notes"?: 0-200 chars}] (1-50 items),
///   "customer_name"?: 0-80 chars}`.
public struct CreateOrderInput: Sendable, Equatable {
    public var items: [OrderItem]
    public var customerName: String?

    /// Validates a JSON body; throws an ``APIError`` naming the field at fault.
    static func parse(_ bytes: [UInt8]) throws(APIError) -> CreateOrderInput {
        guard let document = JSONValue.parse(bytes) else { throw .invalidJSON }
        guard case .object(let object) = document else {
            throw .invalidField("body", "must be a JSON object, not \(document.typeName).")
        }
        for key in object.keys where key != "items" && key != "customer_name" {
            throw .invalidField(key, "is not a known field (expected items, customer_name).")
        }
        guard let itemsValue = object["items"] else { throw .invalidField("items", "is required.") }
        guard case .array(let rawItems) = itemsValue else {
            throw .invalidField("items", "must be an array, not \(itemsValue.typeName).")
        }
        guard (1...50).contains(rawItems.count) else {
            throw .invalidField("items", "must have 1 to 50 entries, not \(rawItems.count).")
        }
        var items: [OrderItem] = []
        for (index, raw) in rawItems.enumerated() {
            items.append(try parseItem(raw, field: "items[\(index)]"))
        }
        let customerName = try optionalText(object["customer_name"], field: "customer_name", maxLength: 80)
        return CreateOrderInput(items: items, customerName: customerName)
    }

    private static func parseItem(_ raw: JSONValue, field: String) throws(APIError) -> OrderItem {
        guard case .object(let object) = raw else {
            throw .invalidField(field, "must be an object, not \(raw.typeName).")
        }
        for key in object.keys where !["name", "quantity", "notes"].contains(key) {
            throw .invalidField("\(field).\(key)", "is not a known field (expected name, quantity, notes).")
        }
        guard let nameValue = object["name"] else { throw .invalidField("\(field).name", "is required.") }
        guard case .string(let name) = nameValue else {
            throw .invalidField("\(field).name", "must be a string, not \(nameValue.typeName).")
        }
        guard (1...100).contains(name.count) else {
            throw .invalidField("\(field).name", "must be 1 to 100 characters.")
        }
        guard let quantityValue = object["quantity"] else { throw .invalidField("\(field).quantity", "is required.") }
        guard let quantity = quantityValue.integer, (1...99).contains(quantity) else {
            throw .invalidField("\(field).quantity", "must be an integer from 1 to 99.")
        }
        let notes = try optionalText(object["notes"], field: "\(field).notes", maxLength: 200)
        return OrderItem(name: name, quantity: quantity, notes: notes)
    }

    private static func optionalText(_ value: JSONValue?, field: String, maxLength: Int) throws(APIError) -> String? {
        guard let value, value != .null else { return nil }
        guard case .string(let text) = value else {
            throw .invalidField(field, "must be a string, not \(value.typeName).")
        }
        guard text.count <= maxLength else {
            throw .invalidField(field, "must be at most \(maxLength) characters.")
        }
        return text
    }
}

/// A status-change body: `{"status": "<next>", "expected_seq"?: n}`.
public struct StatusChangeInput: Sendable, Equatable {
    public var status: OrderStatus
    public var expectedSeq: Int?

    static func parse(_ bytes: [UInt8]) throws(APIError) -> StatusChangeInput {
        guard let document = JSONValue.parse(bytes) else { throw .invalidJSON }
        guard case .object(let object) = document else {
            throw .invalidField("body", "must be a JSON object, not \(document.typeName).")
        }
        for key in object.keys where key != "status" && key != "expected_seq" {
            throw .invalidField(key, "is not a known field (expected status, expected_seq).")
        }
        guard let statusValue = object["status"] else { throw .invalidField("status", "is required.") }
        guard case .string(let text) = statusValue, let status = OrderStatus(rawValue: text) else {
            let names = OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidField("status", "must be one of \(names).")
        }
        var expectedSeq: Int?
        if let value = object["expected_seq"], value != .null {
            guard let seq = value.integer, seq >= 1, seq <= Int(Int32.max) else {
                throw .invalidField("expected_seq", "must be a positive integer.")
            }
            expectedSeq = seq
        }
        return StatusChangeInput(status: status, expectedSeq: expectedSeq)
    }
}

/// The `Idempotency-Key` header: 1-255 printable ASCII characters.
enum IdempotencyKey {
    static func validate(_ key: String?) throws(APIError) -> String? {
        guard let key else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .invalidIdempotencyKey
        }
        return key
    }
}
