@testable import EdgeDurableObjects
import Foundation
import Testing

/// The lifecycle state machine on its own: a value driven by hand-picked times.
@Suite("ObjectLifecycle")
struct ObjectLifecycleTests {
    let start = Date(timeIntervalSince1970: 1_000)
    let settings = LifecycleSettings(hibernateAfter: .seconds(10), evictAfter: .seconds(70))

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    @Test func idleObjectIsEvictedAfterHibernateAfter() {
        var lifecycle = ObjectLifecycle(settings: settings, now: start)
        #expect(lifecycle.state == .inactive)
        #expect(lifecycle.constructed(at: at(0)) == .arm(at(10)))
        #expect(lifecycle.began(.event, at: at(0)) == .disarm)
        #expect(lifecycle.state == .active)
        #expect(lifecycle.ended(.event, at: at(2)) == .arm(at(12)))
        #expect(lifecycle.state == .idle)
        #expect(lifecycle.timerFired(at: at(11)) == .arm(at(12)))
        #expect(lifecycle.timerFired(at: at(12)) == .evict(idleFor: .seconds(10), plainSocketsClosed: 0, socketsKept: 0))
        #expect(lifecycle.state == .inactive)
    }

    @Test func hibernatableSocketsMakeItHibernateAndStayHeld() {
        var lifecycle = ObjectLifecycle(settings: settings, now: start)
        _ = lifecycle.constructed(at: at(0))
        lifecycle.hibernatableSocketsChanged(to: 2)
        #expect(lifecycle.timerFired(at: at(10)) == .hibernate(idleFor: .seconds(10), socketsKept: 2))
        #expect(lifecycle.state == .hibernated)
        lifecycle.hibernatableSocketsChanged(to: 1)
        #expect(lifecycle.state == .hibernated)
        lifecycle.hibernatableSocketsChanged(to: 0)
        #expect(lifecycle.state == .inactive)
    }

    @Test func plainSocketsMakeItNonHibernatable() {
        var lifecycle = ObjectLifecycle(settings: settings, now: start)
        _ = lifecycle.constructed(at: at(0))
        #expect(lifecycle.began(.plainSocket, at: at(1)) == .arm(at(71)))
        #expect(lifecycle.state == .idle)
        #expect(lifecycle.timerFired(at: at(11)) == .arm(at(71)))
        #expect(lifecycle.timerFired(at: at(71)) == .evict(idleFor: .seconds(70), plainSocketsClosed: 1, socketsKept: 0))
    }

    @Test func closingThePlainSocketRestartsTheShortTimer() {
        var lifecycle = ObjectLifecycle(settings: settings, now: start)
        _ = lifecycle.constructed(at: at(0))
        _ = lifecycle.began(.plainSocket, at: at(0))
        #expect(lifecycle.ended(.plainSocket, at: at(30)) == .arm(at(40)))
    }

    @Test(arguments: [ObjectLifecycle.Hold.event, .waitUntil, .stream])
    func busyHoldsDisarmTheTimer(_ hold: ObjectLifecycle.Hold) {
        var lifecycle = ObjectLifecycle(settings: settings, now: start)
        _ = lifecycle.constructed(at: at(0))
        #expect(lifecycle.began(hold, at: at(1)) == .disarm)
        #expect(lifecycle.state == .active)
        #expect(lifecycle.deadline == nil)
        #expect(lifecycle.timerFired(at: at(1_000)) == .disarm)
        #expect(lifecycle.state == .active)
        #expect(lifecycle.ended(hold, at: at(1_000)) == .arm(at(1_010)))
    }

    @Test func forcedDropForgetsHolds() {
        var lifecycle = ObjectLifecycle(settings: settings, now: start)
        _ = lifecycle.constructed(at: at(0))
        _ = lifecycle.began(.event, at: at(0))
        lifecycle.hibernatableSocketsChanged(to: 1)
        lifecycle.dropped()
        #expect(lifecycle.state == .hibernated)
        #expect(!lifecycle.isBusy)
        #expect(lifecycle.constructed(at: at(5)) == .arm(at(15)))
    }

    @Test func preventEvictionNeverArms() {
        var lifecycle = ObjectLifecycle(settings: LifecycleSettings(preventEviction: true), now: start)
        #expect(lifecycle.constructed(at: at(0)) == .disarm)
        #expect(lifecycle.timerFired(at: at(10_000)) == .disarm)
        #expect(lifecycle.state == .idle)
    }
}
