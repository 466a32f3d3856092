import EdgeTesting
import Foundation
import Testing

@testable import CounterFire

@Suite struct RecentEventsTests {
    @Test func holdsTheGapsItCovers() {
        var recent = RecentEvents(after: 10)
        #expect(recent.messages(after: 10, upTo: 10)?.isEmpty == true)
        for cursor in 11...20 { recent.append(cursor: cursor, json: "m\(cursor)") }
        #expect(recent.last == 20)
        #expect(recent.messages(after: 10, upTo: 20)?.map(\.cursor) == Array(11...20))
        #expect(recent.messages(after: 15, upTo: 20)?.map(\.json) == (16...20).map { "m\($0)" })
        #expect(recent.messages(after: 20, upTo: 20)?.isEmpty == true)
        #expect(recent.messages(after: 9, upTo: 20) == nil, "cursor 10 was never held")
        #expect(recent.messages(after: 15, upTo: 21) == nil, "21 is not here yet")
        #expect(recent.messages(after: 16, upTo: 15) == nil)
    }

    @Test func dropsTheOldestPastItsLimits() {
        var recent = RecentEvents(after: 0)
        let total = RecentEvents.maxEvents + 3_000
        for cursor in 1...total { recent.append(cursor: cursor, json: "x") }
        #expect(recent.count == RecentEvents.maxEvents)
        #expect(recent.coveredFrom == 3_000)
        #expect(recent.messages(after: 2_999, upTo: total) == nil)
        let tail = recent.messages(after: 3_000, upTo: total)
        #expect(tail?.count == RecentEvents.maxEvents)
        #expect(tail?.first?.cursor == 3_001 && tail?.last?.cursor == total)
        // Long enough for the ring buffer to wrap around more than once.
        let longer = 3 * RecentEvents.maxEvents
        for cursor in (total + 1)...longer { recent.append(cursor: cursor, json: "j\(cursor)") }
        #expect(recent.count == RecentEvents.maxEvents)
        #expect(recent.coveredFrom == longer - RecentEvents.maxEvents)
        let end = recent.messages(after: longer - 3, upTo: longer)
        #expect(end?.map(\.json) == ["j\(longer - 2)", "j\(longer - 1)", "j\(longer)"])
        #expect(recent.messages(after: recent.coveredFrom, upTo: longer)?.first?.cursor == recent.coveredFrom + 1)

        let big = String(repeating: "y", count: 1024 * 1024)
        var bytes = RecentEvents(after: 0)
        for cursor in 1...10 { bytes.append(cursor: cursor, json: big) }
        #expect(bytes.count == RecentEvents.maxBytes / big.utf8.count)
        #expect(bytes.messages(after: bytes.coveredFrom, upTo: 10)?.count == bytes.count)
        var huge = RecentEvents(after: 0)
        huge.append(cursor: 1, json: String(repeating: "z", count: RecentEvents.maxBytes + 1))
        #expect(huge.count == 1, "the newest message is always kept")
    }

    @Test func aCursorOutOfSequenceStartsOver() {
        var recent = RecentEvents(after: 0)
        for cursor in 1...5 { recent.append(cursor: cursor, json: "a") }
        recent.append(cursor: 9, json: "b")
        #expect(recent.coveredFrom == 8)
        #expect(recent.messages(after: 0, upTo: 9) == nil)
        #expect(recent.messages(after: 8, upTo: 9)?.map(\.json) == ["b"])
    }

    /// The same gap, answered by a live hub from memory and by a fresh instance from D1.
    @Test func aResumeFromMemoryHasTheBytesOfOneFoldedFromD1() async throws {
        try await withCounterFire(.inProcess) { client in
            // Connected first: the hub loads an empty board, so it holds every event after 0.
            let first = try await client.webSocket(kdsPath)
            _ = try await first.receiveText()
            var ids: [String] = []
            for index in 0..<6 { ids.append(try await client.createOrder("Dish \(index)", quantity: index + 1).order.id) }
            try await client.changeStatus(ids[0], to: "preparing")
            try await client.changeStatus(ids[0], to: "ready")
            try await client.changeStatus(ids[0], to: "completed")
            try await client.changeStatus(ids[1], to: "cancelled")
            try await client.changeStatus(ids[2], to: "preparing")
            let count = try await client.log().count
            #expect(count == 11)

            func replay(after: Int) async throws -> [String] {
                let socket = try await client.webSocket(kdsPath + "&after=\(after)")
                var texts: [String] = []
                while texts.count < count - after { texts.append(try #require(await socket.receiveText())) }
                _ = try await socket.close()
                return texts
            }
            let fromMemory = try await replay(after: 0)
            let fromMemoryTail = try await replay(after: 7)
            _ = try await first.close()
            _ = try await client.evict("ORDER_HUB", .name("demo"), webSockets: .close)
            let fromD1 = try await replay(after: 0)
            #expect(fromMemory.count == 11)
            #expect(fromMemory == fromD1)
            #expect(fromMemoryTail == Array(fromD1.suffix(4)))
        }
    }
}
