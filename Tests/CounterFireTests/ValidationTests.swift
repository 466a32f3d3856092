import EdgeRuntime
import Testing

@testable import CounterFire

@Suite struct OrderStatusTests {
    @Test func transitionsAreExactlyTheContracts() {
        let allowed: Set<String> = [
            "received>preparing", "preparing>ready", "ready>completed",
            "received>cancelled", "preparing>cancelled", "ready>cancelled",
        ]
        for from in OrderStatus.allCases {
            for to in OrderStatus.allCases {
                #expect(from.canChange(to: to) == allowed.contains("\(from.rawValue)>\(to.rawValue)"), "\(from) -> \(to)")
            }
        }
        #expect(OrderStatus.allCases.filter(\.isOpen) == [.received, .preparing, .ready])
    }
}

@Suite struct CreateOrderInputTests {
    func parse(_ json: String) throws(APIError) -> CreateOrderInput {
        try CreateOrderInput.parse(Array(json.utf8))
    }

    func error(_ json: String) -> APIError? {
        do {
            _ = try parse(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsAValidOrder() throws {
        let input = try parse(#"{"items":[{"name":"Burger","quantity":2,"notes":"no onions"},{"name":"Tea","quantity":1,"notes":null}],"customer_name":"Ann"}"#)
        #expect(input.items == [OrderItem(name: "Burger", quantity: 2, notes: "no onions"), OrderItem(name: "Tea", quantity: 1, notes: nil)])
        #expect(input.customerName == "Ann")
        #expect(try parse(#"{"items":[{"name":"x","quantity":99}],"customer_name":null}"#).customerName == nil)
    }

    @Test(arguments: [
        ("not json", "invalid_json", "JSON"),
        ("[1]", "invalid_field", "body must be a JSON object, not an array"),
        (#"{"items":[],"extra":1}"#, "invalid_field", "extra is not a known field"),
        (#"{}"#, "invalid_field", "items is required"),
        (#"{"items":"burger"}"#, "invalid_field", "items must be an array, not a string"),
        (#"{"items":[]}"#, "invalid_field", "items must have 1 to 50 entries, not 0"),
        (#"{"items":[7]}"#, "invalid_field", "items[0] must be an object, not a number"),
        (#"{"items":[{"name":"a","quantity":1,"size":"L"}]}"#, "invalid_field", "items[0].size is not a known field"),
        (#"{"items":[{"quantity":1}]}"#, "invalid_field", "items[0].name is required"),
        (#"{"items":[{"name":true,"quantity":1}]}"#, "invalid_field", "items[0].name must be a string, not a boolean"),
        (#"{"items":[{"name":"","quantity":1}]}"#, "invalid_field", "items[0].name must be 1 to 100 characters"),
        (#"{"items":[{"name":"a"}]}"#, "invalid_field", "items[0].quantity is required"),
        (#"{"items":[{"name":"a","quantity":0}]}"#, "invalid_field", "items[0].quantity must be an integer from 1 to 99"),
        (#"{"items":[{"name":"a","quantity":100}]}"#, "invalid_field", "items[0].quantity must be an integer"),
        (#"{"items":[{"name":"a","quantity":1.5}]}"#, "invalid_field", "items[0].quantity must be an integer"),
        (#"{"items":[{"name":"a","quantity":"2"}]}"#, "invalid_field", "items[0].quantity must be an integer"),
        (#"{"items":[{"name":"a","quantity":1,"notes":5}]}"#, "invalid_field", "items[0].notes must be a string, not a number"),
        (#"{"items":[{"name":"a","quantity":1}],"customer_name":{}}"#, "invalid_field", "customer_name must be a string, not an object"),
    ])
    func rejectsWithTheFieldNamed(json: String, code: String, message: String) {
        let error = error(json)
        #expect(error?.code == code)
        #expect(error?.status == .badRequest)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }

    @Test func enforcesLengthsAtAndPastTheEdge() {
        let name100 = String(repeating: "n", count: 100)
        #expect(error(#"{"items":[{"name":"\#(name100)","quantity":1}]}"#) == nil)
        #expect(error(#"{"items":[{"name":"\#(name100)n","quantity":1}]}"#)?.message.contains("items[0].name") == true)
        let notes200 = String(repeating: "o", count: 200)
        #expect(error(#"{"items":[{"name":"a","quantity":1,"notes":"\#(notes200)"}]}"#) == nil)
        #expect(error(#"{"items":[{"name":"a","quantity":1,"notes":"\#(notes200)o"}]}"#)?.message.contains("at most 200") == true)
        let customer80 = String(repeating: "c", count: 80)
        #expect(error(#"{"items":[{"name":"a","quantity":1}],"customer_name":"\#(customer80)"}"#) == nil)
        #expect(error(#"{"items":[{"name":"a","quantity":1}],"customer_name":"\#(customer80)c"}"#)?.message.contains("customer_name") == true)
        let item = #"{"name":"a","quantity":1}"#
        #expect(error(#"{"items":[\#(Array(repeating: item, count: 50).joined(separator: ","))]}"#) == nil)
        #expect(error(#"{"items":[\#(Array(repeating: item, count: 51).joined(separator: ","))]}"#)?.message.contains("not 51") == true)
    }

    @Test func sqlTextIsJustText() throws {
        let input = try parse(#"{"items":[{"name":"'); DROP TABLE orders; --","quantity":1}]}"#)
        #expect(input.items[0].name == "'); DROP TABLE orders; --")
    }
}

@Suite struct StatusChangeInputTests {
    func result(_ json: String) -> Result<StatusChangeInput, APIError> {
        Result { () throws(APIError) in try StatusChangeInput.parse(Array(json.utf8)) }
    }

    @Test func parsesStatusAndExpectedSeq() throws {
        #expect(try result(#"{"status":"ready","expected_seq":3}"#).get() == StatusChangeInput(status: .ready, expectedSeq: 3))
        #expect(try result(#"{"status":"cancelled","expected_seq":null}"#).get() == StatusChangeInput(status: .cancelled, expectedSeq: nil))
    }

    @Test(arguments: [
        ("{", "invalid_json"),
        (#""ready""#, "body must be a JSON object"),
        (#"{"status":"ready","why":1}"#, "why is not a known field"),
        (#"{}"#, "status is required"),
        (#"{"status":"done"}"#, "status must be one of received, preparing, ready, completed, cancelled"),
        (#"{"status":3}"#, "status must be one of"),
        (#"{"status":"ready","expected_seq":0}"#, "expected_seq must be a positive integer"),
        (#"{"status":"ready","expected_seq":"2"}"#, "expected_seq must be a positive integer"),
    ])
    func rejects(json: String, message: String) {
        guard case .failure(let error) = result(json) else {
            Issue.record("accepted \(json)")
            return
        }
        #expect(error.message.contains(message) || error.code == message, "\(error.message)")
    }

    @Test func idempotencyKeysArePrintableASCIIUpTo255() throws {
        #expect(try IdempotencyKey.validate(nil) == nil)
        #expect(try IdempotencyKey.validate("abc-123") == "abc-123")
        #expect(try IdempotencyKey.validate(String(repeating: "k", count: 255))?.count == 255)
        #expect(throws: APIError.invalidIdempotencyKey) { try IdempotencyKey.validate(String(repeating: "k", count: 256)) }
        #expect(throws: APIError.invalidIdempotencyKey) { try IdempotencyKey.validate("") }
        #expect(throws: APIError.invalidIdempotencyKey) { try IdempotencyKey.validate("has space") }
    }

    @Test func jsonValueNamesEveryType() {
        #expect(JSONValue.parse(Array("null".utf8))?.typeName == "null")
        #expect(JSONValue.parse(Array("1.5".utf8)) == .number(1.5))
        #expect(JSONValue.parse(Array("\"s\"".utf8))?.typeName == "a string")
        #expect(JSONValue.parse(Array("{\"a\":[true]}".utf8)) == .object(["a": .array([.bool(true)])]))
    }
}
