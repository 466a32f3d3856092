import EdgeRuntime
import Foundation

/// Reads a JSON request body the way the contract wants: 415 for another content type, 413 for
/// more than 64 KiB (refused from Content-Length before reading, and never read past the limit).
enum JSONBody {
    static let limit = 64 * 1024

    static func read(_ request: Request) async throws -> [UInt8] {
        let type = request.headers.get("content-type")?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/json" else { throw APIError.unsupportedMediaType }
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
}
