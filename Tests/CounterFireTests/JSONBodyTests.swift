import Testing

@testable import CounterFire

@Suite struct JSONBodyTests {
    @Test(arguments: ["application/json", "Application/JSON", "application/json; charset=utf-8", " application/json ;charset=UTF-8", "\tapplication/json\t"])
    func jsonContentTypesAreAccepted(type: String) {
        #expect(JSONBody.isJSON(type))
    }

    @Test(arguments: ["", " ", ";", "text/plain", "application/jsonx", "application/json-patch+json", "application/js on", "xapplication/json", "application/ json", "application/json\u{00}"])
    func otherContentTypesAreRefused(type: String) {
        #expect(!JSONBody.isJSON(type))
    }
}
