import Foundation
import Testing

@testable import CounterFire

@Suite struct TimestampTests {
    // Fractions exact in binary, so Foundation's formatter (the reference) cannot round them.
    @Test(arguments: [0.0, 1.5, 59.875, 1_795_000_000.125, 1_795_000_000.375, 253_402_300_799.5, 951_782_400.75, 1_704_067_199.0])
    func timesAreFoundationsISO8601WithMilliseconds(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(Timestamp.string(from: date) == date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)))
    }

    @Test func knownTimes() {
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 951_782_400.25)) == "2000-02-29T00:00:00.250Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        #expect(Timestamp.now().count == 24)
    }
}
