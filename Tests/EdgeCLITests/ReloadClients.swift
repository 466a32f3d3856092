import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Blocking HTTP/1.1 and WebSocket clients on plain sockets, for the reload tests: strict on
/// purpose. A keep-alive connection is reused until a response says `Connection: close`, and a
/// request that fails is never retried, so any request the hand-over drops shows up as a
/// failure (URLSession, like browsers and curl, would quietly retry it).
final class RawConnection {
    private let port: UInt16
    private var fd: CInt = -1
    private var buffer: [UInt8] = []

    init(port: UInt16) {
        self.port = port
    }

    deinit { disconnect() }

    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    /// Sends one request and reads its response.
    func request(_ method: String, _ path: String, body: String? = nil) throws -> Reply {
        if fd < 0 { try connect() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        head += "\r\n" + (body ?? "")
        do {
            try write(Array(head.utf8))
            let reply = try readReply()
            if reply.headers["connection"]?.lowercased() == "close" { disconnect() }
            return reply
        } catch {
            disconnect()
            throw error
        }
    }

    func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
        buffer = []
    }

    // MARK: WebSocket

    /// Upgrades a new connection to a WebSocket at `path`.
    func upgrade(_ path: String) throws {
        disconnect()
        try connect()
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try write(Array(head.utf8))
        let (status, _) = try readHead()
        guard status == 101 else { throw ClientError("upgrade answered \(status)") }
    }

    enum Frame {
        case text(String)
        case close(UInt16)
    }

    /// The next text or close frame (pings are answered, other frames skipped).
    func nextFrame() throws -> Frame {
        while true {
            let first = try readBytes(2)
            let opcode = first[0] & 0x0f
            var length = Int(first[1] & 0x7f)
            if length == 126 {
                let extended = try readBytes(2)
                length = Int(extended[0]) << 8 | Int(extended[1])
            } else if length == 127 {
                length = try readBytes(8).reduce(0) { $0 << 8 | Int($1) }
            }
            let payload = try readBytes(length)
            switch opcode {
            case 0x1: return .text(String(decoding: payload, as: UTF8.self))
            case 0x8: return .close(payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : 1005)
            case 0x9: try write([0x8a, 0x80 | UInt8(payload.count), 0, 0, 0, 0] + payload)  // pong, masked with zeros
            default: continue
            }
        }
    }

    // MARK: plumbing

    private func connect() throws {
        let socket = Glibc.socket(AF_INET, CInt(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ClientError("socket: \(String(cString: strerror(errno)))") }
        // A bound on a hang, not on how fast the server is: a reload may hold a request for a while.
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let text = String(cString: strerror(errno))
            close(socket)
            throw ClientError("connect: \(text)")
        }
        fd = socket
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL)) }
            guard written > 0 else { throw ClientError("send: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count == 0 { throw ClientError("the server closed the connection before answering") }
        if count < 0 { throw ClientError("recv: \(String(cString: strerror(errno)))") }
        buffer += chunk[0..<count]
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        defer { buffer.removeFirst(count) }
        return Array(buffer[0..<count])
    }

    private func readLine() throws -> String {
        while true {
            if let index = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                let line = String(decoding: buffer[0..<index], as: UTF8.self)
                buffer.removeFirst(index + 2)
                return line
            }
            try fill()
        }
    }

    private func readHead() throws -> (Int, [String: String]) {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw ClientError("bad status line \(statusLine)") }
        var headers: [String: String] = [:]
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    private func readReply() throws -> Reply {
        var (status, headers) = try readHead()
        while status == 100 { (status, headers) = try readHead() }
        var body: [UInt8] = []
        if let length = headers["content-length"].flatMap(Int.init) {
            body = try readBytes(length)
        } else if headers["transfer-encoding"]?.lowercased() == "chunked" {
            while true {
                let size = Int(try readLine().split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 {
                    _ = try readLine()
                    break
                }
                body += try readBytes(size)
                _ = try readLine()
            }
        }
        return Reply(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }
}

struct ClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
