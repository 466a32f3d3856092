import EdgeRuntime
import EdgeTesting
import Foundation
import Testing

@testable import CounterFire

let kdsPath = "/v1/kds/stream?restaurant=demo&key=demo-kitchen-key"

@Suite struct KitchenStreamTests {
    @Test(arguments: TestMode.allCases)
    func webSocketGetsSnapshotThenLiveEvents(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            let open = try await client.createOrder("Open")
            let done = try await client.createOrder("Done")
            try await client.changeStatus(done.order.id, to: "cancelled")
            let socket = try await client.webSocket(kdsPath)
            var board = KitchenBoard()
            try await readKitchen(socket, into: &board) { $0.cursor == 3 }
            #expect(board.tickets.keys.sorted() == [open.order.id], "snapshot holds open tickets only")
            #expect(board.tickets[open.order.id] == open.order)

            let late = try await client.createOrder("Late")
            try await client.changeStatus(open.order.id, to: "preparing")
            try await readKitchen(socket, into: &board) { $0.cursor == 5 }
            #expect(board.applied.map(\.cursor) == [4, 5])
            #expect(board.tickets[late.order.id]?.status == .received)
            #expect(board.tickets[open.order.id]?.status == .preparing)
            #expect(board.tickets[open.order.id]?.seq == 2)
            _ = try await socket.close()
        }
    }

    @Test(arguments: TestMode.allCases)
    func serverSentEventsCarryIdsAndTheSameMessages(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            try await client.createOrder("One")
            let stream = try await client.events(kdsPath)
            #expect(stream.headers.get("content-type") == "text/event-stream")
            var iterator = stream.makeAsyncIterator()
            let snapshot = try await iterator.next()
            #expect(snapshot?.event == "snapshot")
            #expect(snapshot?.id == "1")
            try await client.createOrder("Two")
            var next = try await iterator.next()
            while next?.event == "heartbeat" { next = try await iterator.next() }
            #expect(next?.event == "order")
            #expect(next?.id == "2")
            let message = try JSONDecoder().decode(KitchenMessage.self, from: Data(next!.data.utf8))
            #expect(message.cursor == 2)
            #expect(message.event?.seq == 1)
            stream.cancel()
        }
    }

    @Test func resumeReplaysExactlyTheGap() async throws {
        try await withCounterFire(.live) { client in
            var ids: [String] = []
            for index in 0..<10 { ids.append(try await client.createOrder("Dish \(index)").order.id) }
            for id in ids.prefix(4) { try await client.changeStatus(id, to: "preparing") }
            try await client.changeStatus(ids[0], to: "ready")
            // cursors: 1...10 creates, 11...14 preparing, 15 ready
            let socket = try await client.webSocket(kdsPath + "&after=9")
            var board = KitchenBoard(cursor: 9)
            try await readKitchen(socket, into: &board) { $0.cursor == 15 }
            #expect(board.applied.map(\.cursor) == Array(10...15), "exactly the 6 missed events")
            let readyTicket = try #require(board.tickets[ids[0]])
            #expect(readyTicket.status == .ready)
            #expect(readyTicket.statusTimes.keys.sorted() == ["preparing", "ready", "received"])
            // the replayed preparing event of order 0 carried the ticket as it was then
            try await client.createOrder("Live")
            try await readKitchen(socket, into: &board) { $0.cursor == 16 }
            #expect(board.applied.count == 7)
            #expect(board.duplicates == 0)
            _ = try await socket.close()

            let events = try await client.events(kdsPath, lastEventID: "14")
            var iterator = events.makeAsyncIterator()
            var sseBoard = KitchenBoard(cursor: 14)
            try await readKitchen(&iterator, into: &sseBoard) { $0.cursor == 16 }
            #expect(sseBoard.applied.map(\.cursor) == [15, 16])
            events.cancel()
        }
    }

    @Test func resumeFarBackAheadAndMalformed() async throws {
        try await withCounterFire(.live) { client in
            for index in 0..<5 { try await client.createOrder("Dish \(index)") }
            let farBack = try await client.webSocket(kdsPath + "&after=0")
            var board = KitchenBoard()
            try await readKitchen(farBack, into: &board) { $0.cursor == 5 }
            #expect(board.applied.count == 5)
            _ = try await farBack.close()

            for after in ["999", "-1", "abc", "1.5"] {
                let socket = try await client.webSocket(kdsPath + "&after=\(after)")
                let first = try JSONDecoder().decode(KitchenMessage.self, from: Data(try #require(await socket.receiveText()).utf8))
                #expect(first.type == "snapshot", "after=\(after)")
                #expect(first.cursor == 5)
                #expect(first.tickets?.count == 5)
                _ = try await socket.close()
            }
            let sse = try await client.events(kdsPath, lastEventID: "not-a-number")
            var iterator = sse.makeAsyncIterator()
            #expect(try await iterator.next()?.event == "snapshot")
            sse.cancel()
        }
    }

    @Test func kitchenStreamNeedsItsKeyAndRestaurant() async throws {
        try await withCounterFire { client in
            #expect(try await client.execute(.get, "/v1/kds/stream?restaurant=demo").status == .unauthorized)
            #expect(try await client.execute(.get, "/v1/kds/stream?restaurant=demo&key=nope").status == .unauthorized)
            #expect(try await client.execute(.get, "/v1/kds/stream?restaurant=nowhere&key=demo-kitchen-key").status == .notFound)
            #expect(try await client.execute(.get, "/v1/kds/stream?restaurant=BAD!&key=demo-kitchen-key").status == .notFound)
            #expect(try await client.execute(.get, "/v1/kds/stream?key=demo-kitchen-key").status == .badRequest)
            do {
                _ = try await client.webSocket("/v1/kds/stream?restaurant=demo&key=nope")
                Issue.record("the upgrade was accepted without a valid key")
            } catch let error as TestClientError {
                #expect(error.refusedResponse?.status == .unauthorized)
            }
        }
    }
}

@Suite struct TrackerTests {
    @Test(arguments: TestMode.allCases)
    func trackerSeesOneOrderAndResumesBySeq(mode: TestMode) async throws {
        try await withCounterFire(mode) { client in
            let created = try await client.createOrder("Cake")
            try await client.createOrder("Other")
            let token = created.tracker_token
            let view = try await client.execute(.get, "/v1/track/\(token)")
            #expect(view.status == .ok)
            #expect(view.text.contains(#""order_id":"\#(created.order.id)""#))
            #expect(!view.text.contains("items"), "the tracker reveals only the tracker view")
            #expect(try await client.execute(.get, "/v1/track/\(String(repeating: "x", count: 32))").status == .notFound)
            #expect(try await client.execute(.get, "/v1/track/short").status == .notFound)
            #expect(try await client.execute(.get, "/v1/track/\(String(repeating: "y", count: 32))/stream").status == .notFound)

            let stream = try await client.events("/v1/track/\(token)/stream")
            var iterator = stream.makeAsyncIterator()
            let snapshot = try #require(try await iterator.next())
            #expect(snapshot.event == "snapshot")
            #expect(snapshot.id == "1")
            #expect(snapshot.data.contains(#""type":"snapshot""#))
            try await client.changeStatus(created.order.id, to: "preparing")
            try await client.createOrder("Unrelated")
            try await client.changeStatus(created.order.id, to: "ready")
            var seen: [String] = []
            while seen.count < 2 {
                let event = try #require(try await iterator.next())
                if event.event == "order" { seen.append(event.id ?? "") }
            }
            #expect(seen == ["2", "3"], "only this order's events, by seq")
            stream.cancel()

            let resumed = try await client.events("/v1/track/\(token)/stream", lastEventID: "2")
            var resumedIterator = resumed.makeAsyncIterator()
            let next = try #require(try await resumedIterator.next())
            #expect(next.event == "order")
            #expect(next.id == "3")
            #expect(next.data.contains(#""status":"ready""#))
            resumed.cancel()

            let ahead = try await client.events("/v1/track/\(token)/stream", lastEventID: "99")
            var aheadIterator = ahead.makeAsyncIterator()
            #expect(try await aheadIterator.next()?.event == "snapshot")
            ahead.cancel()
        }
    }
}
