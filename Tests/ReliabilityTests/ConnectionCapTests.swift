import EdgeConfig
@testable import EdgeServer
import EdgeTesting
import Foundation
import Testing

/// `[dev] max_connections`: past the cap a new connection gets 503 with `Connection: close`, the
/// connections already open carry on, the cap is logged once, and a freed place is taken again.
@Suite struct ConnectionCapTests {
    @Test("past max_connections new connections get 503 and close, the open ones keep working, the cap is logged once")
    func connectionsPastTheCapAreRefused() async throws {
        let recorder = LogRecorder()
        let limits = ConnectionLimits(headerTimeout: nil, bodyTimeout: nil, keepAliveTimeout: nil, maxConnections: 8)
        try await withTimeoutWorker(limits, logger: recorder.logger()) { port, _ in
            var open: [WireProbe] = []
            for _ in 0..<8 {
                let probe = try await WireProbe.connect(port: port)
                try await probe.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await probe.waitForResponse().status == 200)
                open.append(probe)
            }
            for _ in 0..<3 {
                let refused = try await WireProbe.connect(port: port)
                try? await refused.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try await refused.waitForResponse()
                #expect(response.status == 503)
                #expect(response.header("connection") == "close")
                #expect(response.text.contains("8 connections open"), "\(response.text)")
                try await waitUntil { refused.isClosed }
            }
            // The open connections carry on.
            for (index, probe) in open.enumerated() {
                try await probe.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await probe.waitForResponse(after: 1).status == 200, "connection \(index)")
            }
            let capLines = recorder.lines.filter { $0.contains("max_connections") }
            #expect(capLines.count == 1, "\(capLines)")
            #expect(capLines.first?.contains("8 connections are open") == true, "\(capLines)")

            // One closes: its place is free again.
            open.removeFirst().close()
            try await waitUntil(timeout: .seconds(30)) {
                let probe = try await WireProbe.connect(port: port)
                defer { probe.close() }
                try? await probe.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                return try await probe.waitForResponse().status == 200
            }
            for probe in open { probe.close() }
        }
    }

    @Test("by default the cap is half the open-file limit")
    func defaultCapIsHalfTheFileLimit() throws {
        let files = try #require(ConnectionCap.openFileLimit())
        #expect(ConnectionCap(configured: nil, logger: quietLogger).limit == max(1, files / 2))
        #expect(ConnectionCap(configured: 300, logger: quietLogger).limit == 300)
    }
}
