import Foundation
import HTTPTypes
import NIOCore

extension Response {
    /// `new Response(uint8Array, init)`: a body of bytes held in memory (an image, a file
    /// shipped with the worker). As in JavaScript, no `content-type` is set for bytes: pass one.
    public init(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: Headers = [:]) {
        self.init(ReadableStream(bytes), status: status, headers: headers)
    }

    /// `new Response(arrayBuffer, init)`, from Foundation's `Data` (what `Bundle.module` resources
    /// and `FileManager` give).
    public init(_ data: Data, status: HTTPResponse.Status = .ok, headers: Headers = [:]) {
        self.init(ReadableStream(ByteBuffer(bytes: data)), status: status, headers: headers)
    }
}
