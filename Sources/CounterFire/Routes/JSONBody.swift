import EdgeRuntime
import Foundation

/// Reads a JSON request body the way the contract wants: 415 for another content type, 413 for
/// more than 64 KiB (refused from Content-Length before reading, and never read past the limit).
enum JSONBody {
    static let limit = 64 * 1024

    static func read(_ request: Request) async throws -> [UInt8] {
        guard let type = request.headers.get("content-type"), isJSON(type) else { throw APIError.unsupportedMediaType }
        if let length = request.headers.get("content-length").flatMap(Int.init), length > limit {
            request.body.cancel(reason: "body too large")
            throw APIError.payloadTooLarge
        }
        do {
            return Array(try await request.body.collect(upTo: limit).readableBytesView)
        } catch let error as StreamError where error.isTooLarge {
            throw APIError.payloadTooLarge
        }
    }

    /// Whether a Content-Type names `application/json` (any case, parameters after `;` and
    /// spaces or tabs around the type ignored).
    static func isJSON(_ contentType: String) -> Bool {
        let type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = type.firstIndex(where: { !blank($0) }), let last = type.lastIndex(where: { !blank($0) }) else { return false }
        let name = type[first...last]
        return name.count == 16 && zip(name, "application/json".utf8).allSatisfy { byte, expected in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte) == expected
        }
    }
}
