#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

private func systemClose(_ fd: CInt) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}

/// A bound, listening TCP socket that outlives the servers that accept on it.
///
/// `edge dev`'s supervisor binds one at start and keeps it for the whole session; each build of
/// the worker runs in a child process that inherits the descriptor and accepts on it
/// (``Emulator/start(listeningSocket:)``). While one child hands over to the next, nobody
/// accepts: connections wait in the kernel's backlog, and none is refused.
package struct ListeningSocket: Sendable {
    /// The descriptor (close-on-exec: a child gets its own copy through `posix_spawn`).
    package let descriptor: CInt
    /// The address it listens on, as asked.
    package let host: String
    /// The bound port (the real one when 0 was asked for).
    package let port: Int

    /// The backlog: connections that wait while one build hands over to the next.
    package static let backlog: CInt = 1024

    /// Binds `host:port` (0 picks a free port) with `SO_REUSEADDR`, as HummingbirdCore does,
    /// and listens.
    /// - Throws: ``ServerError/addressInUse(host:port:)`` when the port is taken,
    ///   ``ServerError/bindFailed(host:port:reason:)`` otherwise.
    package static func bind(host: String, port: Int) throws -> ListeningSocket {
        let address: SocketAddress
        do {
            address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        } catch {
            throw ServerError.bindFailed(host: host, port: port, reason: "\(error)")
        }
        let family: CInt = address.protocol == .inet6 ? AF_INET6 : AF_INET
        #if canImport(Glibc)
        let fd = socket(family, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(family, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ServerError.bindFailed(host: host, port: port, reason: Self.errorText(errno)) }
        var one: CInt = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size))
        let bound = address.withSockAddr { pointer, size in systemBind(fd, pointer, socklen_t(size)) }
        if bound != 0 {
            let code = errno
            systemClose(fd)
            if code == EADDRINUSE { throw ServerError.addressInUse(host: host, port: port) }
            throw ServerError.bindFailed(host: host, port: port, reason: Self.errorText(code))
        }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            systemClose(fd)
            throw ServerError.bindFailed(host: host, port: port, reason: Self.errorText(code))
        }
        return ListeningSocket(descriptor: fd, host: host, port: Self.localPort(of: fd) ?? port)
    }

    /// A socket inherited as `descriptor` (a child of `edge dev`'s supervisor), with the
    /// address it is bound to.
    package static func inherited(_ descriptor: CInt) throws -> ListeningSocket {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else {
            throw ServerError.startup("File descriptor \(descriptor) is not a listening socket: \(errorText(errno))")
        }
        let address: SocketAddress
        switch CInt(storage.ss_family) {
        case AF_INET:
            address = withUnsafeBytes(of: &storage) { SocketAddress($0.load(as: sockaddr_in.self), host: "") }
        case AF_INET6:
            address = withUnsafeBytes(of: &storage) { SocketAddress($0.load(as: sockaddr_in6.self), host: "") }
        default:
            throw ServerError.startup("File descriptor \(descriptor) is not a TCP socket.")
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return ListeningSocket(descriptor: descriptor, host: address.ipAddress ?? "127.0.0.1", port: address.port ?? 0)
    }

    /// Closes this process's copy of the descriptor.
    package func close() {
        systemClose(descriptor)
    }

    private static func localPort(of fd: CInt) -> Int? {
        (try? inherited(fd))?.port
    }

    private static func systemBind(_ fd: CInt, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> CInt {
        #if canImport(Glibc)
        Glibc.bind(fd, address, length)
        #else
        Darwin.bind(fd, address, length)
        #endif
    }

    private static func errorText(_ code: CInt) -> String {
        String(cString: strerror(code))
    }
}
