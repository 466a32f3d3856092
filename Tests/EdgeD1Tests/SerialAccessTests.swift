@testable import EdgeD1
import Foundation
import Synchronization
import Testing

@Suite("One caller at a time on the connection", .timeLimit(.minutes(1)))
struct SerialAccessTests {
    @Test("callers that find the connection busy wait suspended, and get it in arrival order")
    func waitersGetTheConnectionInArrivalOrder() async throws {
        let access = SerialAccess()
        let order = Arrivals()
        await access.acquire()
        var waiters: [Task<Void, Never>] = []
        // 64 waiters, far more than the threads of Swift's pool: a waiter that blocked its thread
        // would starve the next one before it could even queue.
        for index in 0..<64 {
            waiters.append(Task {
                await access.acquire()
                order.list.withLock { $0.append(index) }
                access.release()
            })
            let deadline = ContinuousClock.now + .seconds(10)
            while access.waiting < index + 1 {
                try #require(ContinuousClock.now < deadline, "waiter \(index) never queued")
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        #expect(order.list.withLock { $0 }.isEmpty)
        access.release()
        for waiter in waiters { await waiter.value }
        #expect(order.list.withLock { $0 } == Array(0..<64))
        #expect(access.waiting == 0)
        #expect(await access.run { 42 } == 42)
    }

    @Test("concurrent batches on one database never interleave")
    func concurrentBatchesDoNotInterleave() async throws {
        try await withDatabase(seeded: false) { db, _ in
            try await db.exec("CREATE TABLE step (caller INTEGER, n INTEGER)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for caller in 0..<200 {
                    group.addTask {
                        let insert = db.prepare("INSERT INTO step (caller, n) VALUES (?1, ?2)")
                        try await db.batch([try insert.bind(caller, 1), try insert.bind(caller, 2)])
                    }
                }
                try await group.waitForAll()
            }
            let rows = try await db.prepare("SELECT caller, n FROM step ORDER BY rowid").raw()
            #expect(rows.count == 400)
            // Each batch's two rows are adjacent: no other caller's statement ran between them.
            for pair in stride(from: 0, to: rows.count, by: 2) {
                #expect(rows[pair][0] == rows[pair + 1][0] && rows[pair][1] == .integer(1) && rows[pair + 1][1] == .integer(2))
            }
        }
    }
}

private final class Arrivals: Sendable {
    let list = Mutex<[Int]>([])
}
