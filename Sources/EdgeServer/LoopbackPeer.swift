import NIOCore

/// Whether a peer may use the emulator's control routes (`/cdn-cgi/...`): only a client on this
/// machine's loopback interface, judged by the connection's real address (never by a header such
/// as `Host` or `X-Forwarded-For`, which any client can set).
@usableFromInline package enum LoopbackPeer {
    /// `true` for 127.0.0.0/8, `::1`, and IPv4-mapped `::ffff:127.0.0.0/104`; `false` for every
    /// other address, for Unix domain sockets, and for an unknown peer.
    package static func isLoopback(_ address: SocketAddress?) -> Bool {
        switch address {
        case .v4(let address):
            return UInt32(bigEndian: address.address.sin_addr.s_addr) >> 24 == 127
        case .v6(let address):
            let bytes = withUnsafeBytes(of: address.address.sin6_addr) { Array($0) }
            guard bytes.count == 16 else { return false }
            if bytes[0..<15].allSatisfy({ $0 == 0 }), bytes[15] == 1 { return true }
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
            return mapped && bytes[12] == 127
        case .unixDomainSocket, nil:
            return false
        }
    }

    /// The address in-process calls come from: `127.0.0.1` (the default of the public
    /// `Emulator.handle(_:remoteAddress:)`, hence usable from inlinable code).
    @usableFromInline package static let inProcess: SocketAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 0)
}
