import Foundation
import PollenHTTP
import PollenTestSupport
import XCTest
@testable import PollenSource

/// Every real Alpha Vantage notice (`alphavantage-fields.md`) is told apart by its text, and the
/// key is cut out of whatever the API echoes.
final class AlphaVantageNoticeTests: XCTestCase {
    static let daily = "We have detected your API key as XXXX and our standard API rate limit is 25 requests per day. "
        + "Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits."
    static let burst = "Thank you for using Alpha Vantage! Please consider spreading out your free API requests more sparingly "
        + "(1 request per second). You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to "
        + "lift the free key rate limit (25 requests per day) and instantly unlock all premium endpoints"
    static let note = "Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day."

    func testEachRealTextIsClassified() {
        XCTAssertEqual(AlphaVantageNotice.classify(Self.daily), .dailyLimit(Self.daily))
        XCTAssertEqual(AlphaVantageNotice.classify(Self.burst), .burstLimit(Self.burst), "it mentions the daily limit too")
        XCTAssertEqual(AlphaVantageNotice.classify(Self.note), .burstLimit(Self.note), "the older per-minute notice")
        let premium = "Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe ..."
        XCTAssertEqual(AlphaVantageNotice.classify(premium), .premiumOnly(premium))
        let demo = "The **demo** API key is for demo purposes only. Please claim your free API key at ..."
        XCTAssertEqual(AlphaVantageNotice.classify(demo), .invalidKey(demo))
        let invalid = "the parameter apikey is invalid or missing. Please claim your free API key on ..."
        XCTAssertEqual(AlphaVantageNotice.classify(invalid), .invalidKey(invalid))
        XCTAssertEqual(AlphaVantageNotice.classify("Something new"), .unknown("Something new"))
        XCTAssertEqual(AlphaVantageNotice.classify("Something new").text, "Something new")
    }

    func answer(_ body: String, key: String = "SECRETKEY123") async -> AlphaVantageClient.Answer {
        let client = AlphaVantageClient(baseURL: URL(string: "http://127.0.0.1:1/query")!, apiKey: key,
                                        transport: ScriptedTransport(status: 200, body: body))
        return await client.fetch(function: .earnings, symbol: "IBM")
    }

    func testTheClientAnswersWithTheNoticeInAlphaVantagesOrder() async throws {
        let dailyBody = String(decoding: try JSONSerialization.data(withJSONObject: ["Information": Self.daily]), as: UTF8.self)
        let answered = await answer(dailyBody)
        XCTAssertEqual(answered, .notice(.dailyLimit(Self.daily)))
        let noteBody = String(decoding: try JSONSerialization.data(withJSONObject: ["Note": Self.note]), as: UTF8.self)
        let noted = await answer(noteBody)
        XCTAssertEqual(noted, .notice(.burstLimit(Self.note)))
        let invalidKey = await answer(#"{"Error Message": "the parameter apikey is invalid or missing."}"#)
        XCTAssertEqual(invalidKey, .notice(.invalidKey("the parameter apikey is invalid or missing.")))
        let badCall = #"{"Error Message": "Invalid API call. Please retry."}"#
        let parsedLater = await answer(badCall)
        XCTAssertEqual(parsedLater, .body(Data(badCall.utf8)), "the parser fails the pair with its message")
        let data = await answer(#"{"symbol": "IBM"}"#)
        XCTAssertEqual(data, .body(Data(#"{"symbol": "IBM"}"#.utf8)))
    }

    func testTheKeyIsCutOutOfEchoedTextAndBodies() async {
        let echoed = await answer(#"{"Information": "Unknown request /query?function=EARNINGS&apikey=SECRETKEY123 (SECRETKEY123)"}"#)
        XCTAssertEqual(echoed, .notice(.unknown("Unknown request /query?function=EARNINGS&apikey=REDACTED (REDACTED)")))
        let body = await answer(#"{"Error Message": "Invalid API call for apikey=SECRETKEY123"}"#)
        XCTAssertEqual(body, .body(Data(#"{"Error Message": "Invalid API call for apikey=REDACTED"}"#.utf8)))
    }
}
