import HummingbirdCore
import Logging
import NIOCore
import NIOPosix

/// What accepts connections for a ``RunningServer``: HummingbirdCore's `Server`, which binds
/// `host:port` itself, or an ``InheritedSocketAcceptor`` on a socket `edge dev`'s supervisor
/// bound.
protocol ConnectionAcceptor: Sendable {
    /// Accepts and serves connections until stopped; returns once every connection has ended.
    func run() async throws
    /// Stops accepting and asks every connection to close once its request is answered.
    func shutdownGracefully() async throws
}

extension Server: ConnectionAcceptor {}

/// Accepts on a listening socket this process did not bind: `edge dev`'s supervisor holds it
/// across reloads and each build of the worker inherits it. HummingbirdCore's `Server` can only
/// bind an address, so this is its accept loop (`Server.run`) on NIO's
/// `ServerBootstrap.bind(_ socket:)`, with the same ``WorkerChannel`` per connection.
///
/// Closing the server channel closes this process's copy of the descriptor only: the socket
/// keeps listening in the supervisor, and connections arriving meanwhile wait in its backlog for
/// the next build.
final class InheritedSocketAcceptor: ConnectionAcceptor {
    private let channel: NIOAsyncChannel<WorkerChannel.Value, Never>
    private let setup: WorkerChannel
    private let registry: ConnectionRegistry
    private let logger: Logger

    private init(channel: NIOAsyncChannel<WorkerChannel.Value, Never>, setup: WorkerChannel, registry: ConnectionRegistry, logger: Logger) {
        self.channel = channel
        self.setup = setup
        self.registry = registry
        self.logger = logger
    }

    /// Starts accepting on `socket` (NIO takes the descriptor and closes it with the channel).
    static func accept(on socket: ListeningSocket, setup: WorkerChannel, registry: ConnectionRegistry, logger: Logger) async throws
        -> InheritedSocketAcceptor
    {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(socket.descriptor, serverBackPressureStrategy: nil) { channel in
                setup.setup(channel: channel, logger: logger)
            }
        return InheritedSocketAcceptor(channel: channel, setup: setup, registry: registry, logger: logger)
    }

    func run() async throws {
        let setup = self.setup
        let logger = self.logger
        await withDiscardingTaskGroup { group in
            do {
                try await channel.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await setup.handle(value: connection, logger: logger) }
                    }
                }
            } catch {
                logger.debug("Stopped accepting: \(error)")
            }
        }
    }

    /// Stops accepting; connections already accepted go on.
    func stopAccepting() async {
        try? await channel.channel.close()
    }

    func shutdownGracefully() async throws {
        await stopAccepting()
        for connection in registry.all {
            connection.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }
}
