import EdgeRuntime
import Foundation
import Testing

/// Bytes of a hex string (test vectors are printed in hex).
func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace }.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

/// The UTF-8 bytes of `text`, as `new TextEncoder().encode(text)`.
func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Bytes of a base64url string (JWS segments, JWK members).
func base64url(_ text: String) -> [UInt8] {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    return Array(Data(base64Encoded: base64)!)
}

/// Expects `body` to throw the `DOMException` `name` with `message` (workerd's texts).
func expectDOMException(
    _ name: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected \(name): \(message)", sourceLocation: sourceLocation)
    } catch let error as DOMException {
        #expect(error.name == name, sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(name), got \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw a `TypeError` with `message`.
func expectTypeError(_ message: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected TypeError: \(message)", sourceLocation: sourceLocation)
    } catch let error as TypeError {
        #expect(error.message == message, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected TypeError, got \(error)", sourceLocation: sourceLocation)
    }
}
