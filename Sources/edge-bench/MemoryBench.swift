import Foundation
import NIOCore

/// Figure 9: the server's resident memory per open kitchen WebSocket. Each round runs the
/// server (CounterFire on a fresh state directory) in a child process (`edge-bench serve`), so
/// its RSS holds only the server side of the sockets (the connection, the upgraded pipeline and
/// bridge, the pair, the hub's hibernatable socket) and no memory left over from other rounds
/// or figures. RSS is read after `malloc_trim(0)`: after a warm-up of 20 sockets opened and
/// closed, then with 1 000 sockets open and greeted; the figure is the difference / 1 000.
struct MemoryBench {
    let settings: Settings
    let group: any EventLoopGroup
    let root: URL

    func run() async throws -> [Figure] {
        let count = 1_000
        var perSocket: [Double] = []
        for round in 0..<settings.rounds {
            let server = try BenchChild(["serve", "--root", root.path])
            do {
                let port = try Int(await server.expect("port")) ?? 0
                let warm = ArrivalBoard(clients: 20)
                await KitchenClient.close(try await KitchenClient.connectMany(.webSocket, count: 20, group: group, port: port, board: warm))
                try await Task.sleep(for: .milliseconds(300))
                server.send("rss")
                let before = try Int(await server.expect("rss")) ?? 0
                let board = ArrivalBoard(clients: count)
                let sockets = try await KitchenClient.connectMany(.webSocket, count: count, group: group, port: port, board: board)
                try await Task.sleep(for: .milliseconds(300))
                server.send("rss")
                let after = try Int(await server.expect("rss")) ?? 0
                await KitchenClient.close(sockets)
                perSocket.append(Double(after - before) / Double(count))
                progress("9. memory round \(round + 1): \(Format.kib(perSocket.last!)) per socket (server RSS \(before / 1024) -> \(after / 1024) KiB)")
            } catch {
                await server.finish()
                throw error
            }
            await server.finish()
        }
        let result = Stats.median(perSocket)
        return [Figure(
            figure: "9. memory per open KDS WebSocket (server RSS)", result: Format.kib(result), target: "<= 32 KiB",
            verdict: result <= 32 * 1024 ? .pass : .miss, value: result / 1024, unit: "KiB", rounds: perSocket.count,
            detail: "server RSS delta over \(count) sockets, a fresh server process per round, after malloc_trim; rounds: "
                + perSocket.map { Format.kib($0) }.joined(separator: ", "))]
    }
}
