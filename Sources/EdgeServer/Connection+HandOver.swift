import EdgeRuntime
import NIOCore

// How a connection ends when `edge dev` hands the listening socket over to a new build
// (`RunningServer.handOver`). Unlike a shutdown, the clients are meant to carry on with the next
// build, so nothing may end in a way a client sees as a failed request:
//
// | the connection                     | what happens                                                      |
// |------------------------------------|-------------------------------------------------------------------|
// | a request in flight, or one that   | answered here; its response says `Connection: close` and the      |
// | arrives on it during the hand-over | connection closes after it, so the client's next request opens a  |
// |                                    | new connection, which waits in the backlog for the new build      |
// | idle (keep-alive, or no request    | closed once idle for `idleClose` (500 ms): a client that is about |
// | yet)                               | to send gets its request in first and is answered as above        |
// | an event stream                    | ended at once; the client reconnects and resumes from its cursor  |
// | a WebSocket                        | closed with 1012 Service Restart (RFC 6455's registry); the page  |
// |                                    | reconnects                                                        |
//
// Closing an idle keep-alive connection always races with a client that sends on it at that
// instant (HTTP/1.1 lets clients retry such a request); waiting until it has been idle for
// `idleClose` keeps a client that sends one request after another (a closed loop) out of it.

/// A connection's part in a hand-over.
struct HandOverState {
    var closedWebSocket = false
    var quiesced = false
}

extension Connection {
    /// WebSocket close code 1012, "Service Restart" (RFC 6455 section 11.7's registry).
    static let serviceRestart: UInt16 = 1012

    /// Whether the server is handing over: a response now says `Connection: close`.
    var isHandingOver: Bool { state.withLock { $0.handOver != nil } }

    /// A request on this connection is being answered.
    func requestBegan() {
        state.withLock { state in
            state.requestsInFlight += 1
            state.lastActivity = .now
        }
    }

    /// The request's response has been sent (or failed).
    func requestEnded() {
        state.withLock { state in
            state.requestsInFlight -= 1
            state.lastActivity = .now
        }
    }

    /// One step of the hand-over for this connection (called repeatedly until it closes): see
    /// the table above.
    func handOverStep(idleClose: Duration) {
        let (socket, body, quiesce): (WebSocket?, StreamingBody?, Bool) = state.withLock { state in
            var handOver = state.handOver ?? HandOverState()
            defer { state.handOver = handOver }
            var socket: WebSocket?
            if let bridged = state.bridgedWebSocket, !handOver.closedWebSocket {
                handOver.closedWebSocket = true
                socket = bridged
            }
            var body: StreamingBody?
            if let streaming = state.streamingBody, streaming.isEventStream {
                state.streamingBody = nil
                body = streaming
            }
            let idle = state.requestsInFlight == 0 && ContinuousClock.now - state.lastActivity >= idleClose
            let quiesce = idle && state.bridgedWebSocket == nil && !handOver.quiesced
            if quiesce { handOver.quiesced = true }
            return (socket, body, quiesce)
        }
        body?.body.cancel(reason: Self.shutdownReason)
        socket?.close(code: Self.serviceRestart, reason: "Service Restart")
        // HummingbirdCore's state handler closes the connection now if no request has arrived,
        // or after the response to one whose head it has read.
        if quiesce { channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
    }
}
