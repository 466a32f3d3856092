import EdgeServer
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Figure 7: the release `edge dev` binary, from spawning the process to the first `200` of
/// `GET /v1/health`, on a state directory that is already migrated (one unmeasured start
/// migrates it). The baseline is the same binary's `edge --help`, spawn to exit: the floor of
/// starting this executable at all.
struct DevStartBench {
    let settings: Settings
    let root: URL

    func run() async throws -> [Figure] {
        let binary = root.appendingPathComponent(".build/release/edge")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            return [Figure(
                figure: "7. edge dev process start to first 200", result: "not built", target: "<= 250 ms", verdict: .skipped,
                detail: "build it first: swift build -c release --product edge")]
        }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("edge-bench-dev-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        _ = try await startToFirst200(binary, state: state)
        var starts: [Double] = []
        var floors: [Double] = []
        for _ in 0..<settings.rounds {
            starts.append(try await startToFirst200(binary, state: state))
            floors.append(try await spawnToExit(binary, arguments: ["--help"]))
        }
        progress("7. edge dev: \(starts.map { Format.ms($0) }.joined(separator: ", ")); --help: \(floors.map { Format.ms($0) }.joined(separator: ", "))")
        let result = Stats.median(starts)
        let base = Stats.median(floors)
        return [Figure(
            figure: "7. edge dev process start to first 200", result: Format.ms(result),
            baseline: "\(Format.ms(base)) (edge --help, spawn to exit)", ratio: Format.ratio(result / base), target: "<= 250 ms",
            verdict: result <= 250 ? .pass : .miss, value: result, unit: "ms", baselineValue: base, ratioValue: result / base,
            rounds: settings.rounds,
            detail: ".build/release/edge dev --persist-to <migrated state> --port <free>; polled with GET /v1/health every 0.5 ms")]
    }

    private func startToFirst200(_ binary: URL, state: URL) async throws -> Double {
        let port = try freePort()
        let start = monotonicNanos()
        let process = try ChildProcess.spawn(
            executable: binary.path, arguments: ["dev", "--persist-to", state.path, "--port", String(port)], directory: root.path,
            output: .discard, error: .discard)
        defer {
            process.signal(SIGTERM)
            _ = process.waitUntilExit()
        }
        let deadline = start + 20_000_000_000
        while monotonicNanos() < deadline {
            if Self.health(port: port) == 200 { return milliseconds(from: start, to: monotonicNanos()) }
            guard process.isRunning else { throw BenchError("edge dev exited with \(process.waitUntilExit())") }
            usleep(500)
        }
        throw BenchError("edge dev did not answer within 20 s")
    }

    private func spawnToExit(_ binary: URL, arguments: [String]) async throws -> Double {
        let start = monotonicNanos()
        let process = try ChildProcess.spawn(executable: binary.path, arguments: arguments, output: .discard, error: .discard)
        _ = process.waitUntilExit()
        return milliseconds(from: start, to: monotonicNanos())
    }

    /// The status of `GET /v1/health` on a new connection, or nil when nothing listens yet.
    static func health(port: Int) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 512)
        var count = 0
        while count < 12 {
            let read = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + count, 512 - count, 0) }
            if read <= 0 { return nil }
            count += read
        }
        return Int(String(decoding: buffer[9..<12], as: UTF8.self))
    }
}

/// A port nothing listens on right now.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw BenchError("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
