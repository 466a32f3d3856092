import EdgeDurableObjects
import EdgeRuntime
import Synchronization

/// Tells a restaurant's hub that the log moved. The write is already durable; the notice only
/// makes fan-out prompt, so it runs after the response (`waitUntil`) and is retried when the hub
/// was evicted or reset under it. A lost notice delays fan-out to the next one; it never loses an
/// event, because the hub reads the log.
///
/// Notices are coalesced per restaurant within this worker: while one is in flight, writes that
/// commit meanwhile only ask it to go round once more, because one catch-up reads everything past
/// the hub's cursor. Under a burst of creates the hub then runs a few catch-ups instead of one
/// event, gate and log query per create.
enum HubNotice {
    static func send(env: Env, ctx: ExecutionContext, restaurant: String) {
        guard env.hubNotices.begin(restaurant) else { return }  // the one in flight goes round again
        ctx.waitUntil {
            // A round that fails for good still goes round again when a write committed
            // meanwhile: that write asked this notice to carry it, and has no other.
            var failure: (any Error)?
            repeat {
                do {
                    try await deliver(env: env, restaurant: restaurant)
                    failure = nil
                } catch {
                    failure = error
                }
            } while env.hubNotices.again(restaurant)
            if let failure { throw failure }
        }
    }

    /// One round: up to `attempts` calls, retrying those production marks `retryable` (a lost
    /// connection: the notice is idempotent) or `durableObjectReset`, never `overloaded` ones.
    /// (A retry recurs rather than loops, so no line after a loop is left that cannot run.)
    static func deliver(env: Env, restaurant: String, attempts: Int = 3) async throws {
        do {
            try await env.ORDER_HUB.getByName(restaurant).call { try await $0.notify() }
        } catch let error as DurableObjectError where attempts > 1 && (error.retryable || error.durableObjectReset) {
            try await deliver(env: env, restaurant: restaurant, attempts: attempts - 1)
        }
    }
}

/// The notices in flight, per restaurant, and whether a write committed since each one started.
final class HubNotices: Sendable {
    private let state = Mutex<[String: Bool]>([:])

    /// Whether the caller should send a notice: `false` when one is in flight (it is asked to go
    /// round once more, after this write's commit).
    func begin(_ restaurant: String) -> Bool {
        state.withLock { inFlight in
            if inFlight[restaurant] != nil {
                inFlight[restaurant] = true
                return false
            }
            inFlight[restaurant] = false
            return true
        }
    }

    /// After a delivery: whether to deliver again (a write committed meanwhile); otherwise the
    /// notice ends.
    func again(_ restaurant: String) -> Bool {
        state.withLock { inFlight in
            if inFlight[restaurant] == true {
                inFlight[restaurant] = false
                return true
            }
            inFlight[restaurant] = nil
            return false
        }
    }
}
