//
// This source file is part of the Hummingbird server framework project
// Copyright (c) the Hummingbird authors
//
// See LICENSE.txt for license information
// SPDX-License-Identifier: Apache-2.0
//
// Derived from HummingbirdCore's HTTPConnectionStateHandler (hummingbird 2.28.1,
// Sources/HummingbirdCore/Server/HTTP/HTTPConnectionStateHandler.swift, Apache-2.0), changed for
// Edge as described below.

import Logging
import NIOCore
import NIOHTTP1

/// Every HTTP/1.1 connection's state: HummingbirdCore's `HTTPConnectionStateHandler` (requests in
/// progress; on `ChannelShouldQuiesceEvent` an idle connection closes, a busy one closes after
/// its response) with Edge's connection timeouts (``RequestTimeouts``, the timing is in
/// RequestTimeouts.swift) folded in, so that each request and response part is unwrapped from
/// `NIOAny` by one handler instead of two (figure 1a of BENCHMARKS.md).
///
/// It must be kept in step with Hummingbird's handler: when the hummingbird package is updated,
/// compare its `HTTPConnectionStateHandler` and `StateMachine` with ``channelRead(context:data:)``,
/// ``write(context:data:promise:)`` and ``userInboundEventTriggered(context:event:)``.
///
/// Where it differs from Hummingbird's:
/// - It sits next to NIO's HTTP/1.1 codec, before the upgrade handler, and reads NIO's parts
///   (`HTTPServerRequestPart`), so the timing sees the first request too. Hummingbird adds its
///   handler after the upgrade handler has let a first request through; so, as before, a
///   quiesce event before the first head is passed on (``QuiesceHandler`` closes a connection
///   that has sent nothing), and a first request that asks to upgrade makes this handler pass
///   everything through untouched: the connection becomes a WebSocket (this handler is then
///   removed) or closes after the answer.
/// - Hummingbird's idle timeout (Edge passes none) is replaced by `[dev] keep_alive_timeout`, so
///   no clock is read per part.
/// - A response end with no request counted (the 400 HummingbirdCore writes for a request that
///   does not parse) does not count below zero.
final class HTTPConnectionState: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let logger: Logger

    // MARK: Hummingbird's state

    /// Heads read minus responses ended.
    var requestsInProgress = 0
    /// Between a request's head and its end.
    var isRequestBeingRead = false
    /// A quiesce event came while a request was in progress.
    var closeAfterResponseWritten = false
    /// No head read yet.
    var isFirstRequest = true
    /// The first request asked to upgrade (or the handler is leaving): everything passes through
    /// untouched and nothing is timed.
    var passive = false

    // MARK: the timing (RequestTimeouts.swift)

    /// `nil` when every timeout is off.
    let timeouts: RequestTimeouts.Settings?
    var context: ChannelHandlerContext?
    /// When the head being awaited started to count: the opening, or its first byte. `nil` when
    /// no head is awaited (a request is being read or answered, or the connection is idle).
    var headStart: NIODeadline?
    /// Some bytes of the awaited head have arrived.
    var headBytesSeen = false
    /// The time of the latest read.
    var lastRead = NIODeadline.uptimeNanoseconds(0)
    /// A response head has been written and its end not yet.
    var responseStarted = false
    /// The response being written is an event stream: its request's body is not timed.
    var streamingEvents = false
    /// Since when the connection has been idle (last response ended, no byte since).
    var idleSince: NIODeadline?
    /// The head of the request being read, for the log line of a body timeout.
    var requestHead: HTTPRequestHead?
    /// A timeout has ended the connection: later writes are refused.
    var timedOut = false
    var timer: NIOScheduledCallback?
    /// When `timer` fires; `distantFuture` when there is none.
    var timerDeadline = NIODeadline.distantFuture

    init(timeouts: RequestTimeouts.Settings?, logger: Logger) {
        self.timeouts = timeouts
        self.logger = logger
    }

    // MARK: life of the handler

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { opened() }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened()
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        becomePassive()
        self.context = nil
    }

    /// Stops timing and counting (the first request asks to upgrade, or the handler is leaving).
    func becomePassive() {
        passive = true
        timer?.cancel()
        timer = nil
        timerDeadline = .distantFuture
    }

    // MARK: parts

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !passive else { return context.fireChannelRead(data) }
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestsInProgress += 1
            isRequestBeingRead = true
            if isFirstRequest {
                isFirstRequest = false
                // NIO's upgrade handler may pass raw bytes through here once it upgrades: stop
                // before that. A refused upgrade ends its connection after the answer anyway.
                if head.headers.contains(name: "upgrade") {
                    becomePassive()
                    return context.fireChannelRead(data)
                }
            }
            if timeouts != nil { headRead(head) }
        case .body:
            break
        case .end:
            isRequestBeingRead = false
            if timeouts != nil { requestRead() }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if timedOut {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        guard !passive else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if timeouts != nil, head.status.code >= 200 { responseBegan(head) }
        case .body:
            break
        case .end:
            if requestsInProgress > 0 { requestsInProgress -= 1 }
            if requestsInProgress == 0, closeAfterResponseWritten {
                context.writeAndFlush(data, promise: promise)
                context.close(promise: nil)
                return
            }
            if timeouts != nil { responseEnded() }
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent, !passive, !isFirstRequest else {
            return context.fireUserInboundEventTriggered(event)
        }
        // Requests in progress finish first.
        if requestsInProgress > 0 {
            closeAfterResponseWritten = true
        } else {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension HTTPConnectionState: Sendable {}
