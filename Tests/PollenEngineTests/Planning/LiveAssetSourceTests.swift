import Foundation
import PollenHTTP
import PollenSource
import PollenTestSupport
import XCTest
@testable import PollenEngine

/// The live source's answers to each kind of notice: how many requests it sends, what each
/// payload comes back as, and when it stops for the whole run.
final class LiveAssetSourceTests: XCTestCase {
    static let daily = #"{"Information": "Our standard API rate limit is 25 requests per day."}"#
    static let invalidKey = #"{"Error Message": "the parameter apikey is invalid or missing."}"#
    static let premium = #"{"Information": "This is a premium endpoint."}"#
    static let burst = #"{"Information": "Please consider spreading out your free API requests (1 request per second)."}"#

    /// A source over `symbols` (every table) whose API answers `answer(index, function)`.
    func source(_ symbols: [String], daily: DailyRequestLedger? = nil,
                answer: @escaping @Sendable (Int, String) -> String) -> (LiveAssetSource, ScriptedTransport) {
        let generator = SampleDataGenerator(seed: 7)
        let transport = ScriptedTransport { request, index in
            let query = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
            let function = query.first { $0.name == "function" }?.value ?? ""
            let symbol = query.first { $0.name == "symbol" }?.value ?? ""
            let scripted = answer(index, function)
            let body = scripted == "ok" ? generator.payload(for: SourceFunction(rawValue: function)!, symbol: symbol)
                                        : Data(scripted.utf8)
            return HTTPResponse(status: 200, headers: HTTPHeaders(), body: body)
        }
        let clock = InstantClock()
        let directory = TemporaryDirectory()
        let live = LiveAssetSource(
            client: AlphaVantageClient(baseURL: URL(string: "http://127.0.0.1:1/query")!, apiKey: "K", transport: transport),
            cache: DirectorySource(root: directory.url), plan: WorkPlan(symbols: symbols, tables: PollenTable.dataTables),
            budget: FetchBudget(requestsPerMinute: 600, clock: clock), daily: daily, maxAttempts: 3, clock: clock,
            random: SeededRandom(seed: 1))
        return (live, transport)
    }

    func loadAll(_ source: LiveAssetSource, _ symbols: [String]) async -> [PayloadContent] {
        var contents: [PayloadContent] = []
        for symbol in symbols {
            for function in PollenTable.dataTables.compactMap(\.sourceFunction) {
                contents.append(await source.load(symbol: symbol, function: function))
            }
        }
        return contents
    }

    func kinds(_ contents: [PayloadContent]) -> [PayloadFailure.Kind?] {
        contents.map { if case .failed(let failure) = $0 { return failure.kind } else { return nil } }
    }

    func testTheDailyLimitStopsEveryFetchAtOnce() async {
        let symbols = ["AAA", "BBB", "CCC"]
        let (live, transport) = source(symbols) { index, _ in index < 7 ? "ok" : Self.daily }
        let contents = await loadAll(live, symbols)
        XCTAssertEqual(transport.requests.count, 8, "seven fetched, one answered with the daily limit, then none")
        XCTAssertEqual(kinds(contents), Array(repeating: nil, count: 7) + Array(repeating: .notFetched, count: 8))
        if case .failed(let failure) = contents.last {
            XCTAssertEqual(failure.message, "not fetched: the API key's daily limit was reached after 7 requests")
        }
        XCTAssertNil(live.fatalError, "the daily limit does not stop the writes")
    }

    func testARefusedKeyStopsTheRun() async {
        let (live, transport) = source(["AAA", "BBB"]) { _, _ in Self.invalidKey }
        let contents = await loadAll(live, ["AAA", "BBB"])
        XCTAssertEqual(transport.requests.count, 1)
        XCTAssertEqual(Set(kinds(contents)), [.keyRefused])
        XCTAssertEqual(live.fatalError, "Alpha Vantage refused the API key (ALPHAVANTAGE_API_KEY): it is invalid, missing or the demo key.")
    }

    func testPremiumOnlyFailsOnceAndABurstLimitIsRetried() async {
        let (live, transport) = source(["AAA"]) { index, function in
            function == "EARNINGS" ? Self.premium : function == "OVERVIEW" && index == 0 ? Self.burst : "ok"
        }
        let contents = await loadAll(live, ["AAA"])
        XCTAssertEqual(transport.requests.count, 6, "OVERVIEW twice, EARNINGS once, three more")
        XCTAssertEqual(kinds(contents), [nil, .premiumOnly, nil, nil, nil])
        XCTAssertEqual(live.requestsSent, 6)
    }

    func testTheDailyBudgetIsTakenBeforeEachRequest() async {
        let directory = TemporaryDirectory()
        let ledger = DailyRequestLedger(apiKey: "K", limit: 4, directory: directory.path, today: { "2026-12-01" })
        let (live, transport) = source(["AAA", "BBB"], daily: ledger) { _, _ in "ok" }
        let contents = await loadAll(live, ["AAA", "BBB"])
        XCTAssertEqual(transport.requests.count, 4)
        XCTAssertEqual(kinds(contents), Array(repeating: nil, count: 4) + Array(repeating: .notFetched, count: 6))
        if case .failed(let failure) = contents.last {
            XCTAssertEqual(failure.message, "not fetched: the daily budget of 4 requests (--fetch-per-day) was used up after 4 requests in this run")
        }
    }
}
