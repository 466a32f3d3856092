import NIOCore

/// Just enough HTTP/1.1 for the load generators: requests as bytes, and the length of a complete
/// response at the front of a buffer (Content-Length or chunked framing), so clients can count
/// responses without building any objects.
enum HTTPWire {
    static func request(
        _ method: String, _ path: String, port: Int, headers: [(String, String)] = [], body: [UInt8] = []
    ) -> ByteBuffer {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        var buffer = ByteBuffer(string: text)
        buffer.writeBytes(body)
        return buffer
    }

    /// A parsed response at the front of a buffer.
    struct Response {
        /// The status code.
        var status: Int
        /// Bytes of the head, including the blank line.
        var headLength: Int
        /// Bytes of the whole message, when the body is complete.
        var totalLength: Int?
        /// Where the body starts and how long it is, for Content-Length bodies.
        var bodyRange: Range<Int>?
    }

    /// Parses the response at the start of `bytes`; `nil` until its head is complete.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Response? {
        guard let headEnd = find(bytes, [13, 10, 13, 10], from: 0) else { return nil }
        let headLength = headEnd + 4
        guard headLength > 12 else { return Response(status: 0, headLength: headLength, totalLength: headLength) }
        let status = (Int(bytes[9]) - 48) * 100 + (Int(bytes[10]) - 48) * 10 + (Int(bytes[11]) - 48)
        var contentLength: Int?
        var chunked = false
        var lineStart = find(bytes, [13, 10], from: 0)! + 2
        while lineStart < headEnd {
            let lineEnd = find(bytes, [13, 10], from: lineStart) ?? headEnd
            if let colon = find(bytes, [58], from: lineStart), colon < lineEnd {
                if matches(bytes, lineStart, colon, "content-length") {
                    var value = 0
                    for index in (colon + 1)..<lineEnd where bytes[index] >= 48 && bytes[index] <= 57 {
                        value = value * 10 + Int(bytes[index] - 48)
                    }
                    contentLength = value
                } else if matches(bytes, lineStart, colon, "transfer-encoding") {
                    chunked = true
                }
            }
            lineStart = lineEnd + 2
        }
        if (100..<200).contains(status) || status == 204 || status == 304 {
            return Response(status: status, headLength: headLength, totalLength: headLength)
        }
        if chunked {
            return Response(status: status, headLength: headLength, totalLength: chunkedEnd(bytes, from: headLength))
        }
        let length = contentLength ?? 0
        let total = headLength + length
        return Response(
            status: status, headLength: headLength, totalLength: bytes.count >= total ? total : nil,
            bodyRange: headLength..<total)
    }

    /// The end of a chunked body starting at `start`, when it is all there.
    private static func chunkedEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var position = start
        while true {
            guard let lineEnd = find(bytes, [13, 10], from: position) else { return nil }
            var size = 0
            for index in position..<lineEnd {
                let byte = bytes[index]
                let digit: Int
                switch byte {
                case 48...57: digit = Int(byte) - 48
                case 97...102: digit = Int(byte) - 87
                case 65...70: digit = Int(byte) - 55
                default: digit = -1
                }
                if digit < 0 { break }
                size = size * 16 + digit
            }
            position = lineEnd + 2
            if size == 0 {
                // No trailers: the body ends with the blank line after the last chunk.
                return bytes.count >= position + 2 ? position + 2 : nil
            }
            position += size + 2
            if position > bytes.count { return nil }
        }
    }

    static func find(_ bytes: UnsafeRawBufferPointer, _ needle: [UInt8], from start: Int) -> Int? {
        guard needle.count > 0, bytes.count >= needle.count else { return nil }
        var index = start
        let last = bytes.count - needle.count
        let first = needle[0]
        while index <= last {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ lowercased: StaticString) -> Bool {
        guard end - start == lowercased.utf8CodeUnitCount else { return false }
        let name = lowercased.utf8Start
        for offset in 0..<(end - start) {
            var byte = bytes[start + offset]
            if byte >= 65 && byte <= 90 { byte += 32 }
            if byte != name[offset] { return false }
        }
        return true
    }
}
