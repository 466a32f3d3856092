import EdgeCache
import EdgeDurableObjects
import EdgeRuntime
import Logging

// A worker invocation's `IoContext`: `Date.now()` and timers on the emulator's clock, `console`
// through the emulator's logger. As workerd ends a request's timers with its `IoContext`, an
// invocation's timers are closed once its `waitUntil` work has settled and its response body has
// been sent; a WebSocket response keeps its timers (the socket is the invocation's I/O, open for
// as long as it lasts). Durable Objects have a context per instance (EdgeDurableObjects).

extension Emulator {
    /// What every invocation's context shares, made once at start.
    static func ioServices(options: Options) -> IoContext.Services {
        let logger = options.logger
        return IoContext.Services(
            clock: options.clock,
            console: .logging(to: logger),
            caches: CacheFiles(stateRoot: options.stateRoot),
            outbound: OutboundFetcher(service: options.outbound, logger: logger, faults: options.faults),
            faults: options.faults)
    }

    /// The context of a `fetch` of `request`; `console` lines carry the request as the request
    /// log shows it (query strings left out, token-like segments redacted), worked out only when
    /// a line is written.
    func invocationContext(for request: Request) -> IoContext {
        let (method, url) = (request.method, request.url)
        return IoContext(
            ioServices, label: { "\(method) \(RequestLog.loggedPath(of: url))" }, deliver: { callback in await callback() })
    }

    /// The context of one invocation labelled `label`.
    func invocationContext(label: String) -> IoContext {
        IoContext(ioServices, label: label, deliver: { callback in await callback() })
    }

    /// Closes the invocation's timers once `ctx` has settled and the body of `response` is sent.
    func end(_ io: IoContext, of response: Response, ctx: ExecutionContext) {
        guard response.webSocket == nil else { return }
        let body = response.body
        guard ctx.pendingCount > 0 || body.reportsTermination else {
            io.closeTimers()
            return
        }
        Task {
            await ctx.settled()
            if body.reportsTermination {
                // Runs the handler at once when the body has already ended.
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    body.onTermination { done.resume() }
                }
            }
            io.closeTimers()
        }
    }
}
