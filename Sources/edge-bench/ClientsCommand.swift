import ArgumentParser
import Foundation
import NIOPosix

/// `edge-bench clients`: kitchen WebSockets in a child process, for the 10 000-socket fan-out
/// step (one process may not hold both ends of 10 000 connections). Opens `--count` sockets to
/// `--port`, prints `ready <count>` once each has its snapshot; then, for each `expect <cursor>`
/// line, waits until every socket has that cursor and prints `arrived` and each socket's
/// arrival time (`CLOCK_MONOTONIC` nanoseconds, the same clock in every process). Closes them
/// all when its input ends.
struct ClientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients", abstract: "Hold kitchen WebSockets open (the 10 000-socket fan-out step).", shouldDisplay: false)

    @Option var port: Int
    @Option var count: Int = 1_000

    func run() async throws {
        Memory.raiseFileLimit(to: 65_536)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let board = ArrivalBoard(clients: count)
        do {
            let channels = try await KitchenClient.connectMany(.webSocket, count: count, group: group, port: port, board: board)
            emit("ready \(count)")
            let (commands, continuation) = AsyncStream.makeStream(of: String.self)
            DispatchQueue.global().async {
                while let line = Swift.readLine() { continuation.yield(line) }
                continuation.finish()
            }
            for await command in commands {
                guard command.hasPrefix("expect "), let cursor = Int(command.dropFirst(7)) else { continue }
                board.expect(cursor: cursor, among: 0..<count)
                guard await board.wait(timeout: 60, until: { $0.reached >= count }) else {
                    emit("error only \(board.reached) of \(count) sockets got cursor \(cursor)")
                    continue
                }
                emit("arrived " + board.reachedAt(0..<count).map(String.init).joined(separator: " "))
            }
            await KitchenClient.close(channels)
        } catch {
            emit("error \(error)")
        }
        try? await group.shutdownGracefully()
    }
}
