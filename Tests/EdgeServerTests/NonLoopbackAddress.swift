import EdgeServer
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A non-loopback IPv4 address of the test's own, for a test that needs a connection whose peer
/// address is not a loopback one (every 127.x address is loopback and cannot stand in).
///
/// `with(_:)` makes a network namespace holding one end of a veth pair, gives the other end, left
/// in this namespace, an address from 198.18.0.0/15 (RFC 2544's range for tests), brings both
/// up, runs the body with that address, and removes the namespace (which removes the pair). The
/// test binds its client socket to the address and connects to 127.0.0.1: the packets stay on
/// this machine's loopback path, and the server sees a peer that is not a loopback address.
/// Making it needs root (as in CI) and `ip` from iproute2: ``isAvailable`` says whether it can.
enum NonLoopbackAddress {
    static let ip = "/usr/sbin/ip"

    /// Whether this process can make the namespace (root, and `ip` is installed).
    static var isAvailable: Bool { geteuid() == 0 && FileManager.default.isExecutableFile(atPath: ip) }

    /// Runs `body` with the address; the namespace is removed afterwards, also when `body` throws.
    static func with<T>(_ body: (String) async throws -> T) async throws -> T {
        let id = "\(getpid() % 10_000)\(Int.random(in: 0..<100))"
        let namespace = "edge-test-\(id)"
        let (outside, inside) = ("edgeo\(id)", "edgei\(id)")
        let address = "198.18.\(Int.random(in: 1..<255)).\(Int.random(in: 1..<254))"
        try run("netns", "add", namespace)
        do {
            try run("link", "add", outside, "type", "veth", "peer", "name", inside)
            try run("link", "set", inside, "netns", namespace)
            try run("addr", "add", "\(address)/32", "dev", outside)
            try run("link", "set", outside, "up")
            try run("-n", namespace, "link", "set", inside, "up")
            let result = try await body(address)
            try? run("netns", "del", namespace)
            try? run("link", "del", outside)
            return result
        } catch {
            try? run("netns", "del", namespace)
            try? run("link", "del", outside)
            throw error
        }
    }

    private static func run(_ arguments: String...) throws {
        let errors = Pipe()
        let process = try ChildProcess.spawn(executable: ip, arguments: arguments, error: .pipe(errors))
        guard process.waitUntilExit() == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw NetworkSetupFailure(description: "ip \(arguments.joined(separator: " ")): \(text)")
        }
    }

    struct NetworkSetupFailure: Error, CustomStringConvertible {
        let description: String
    }
}
