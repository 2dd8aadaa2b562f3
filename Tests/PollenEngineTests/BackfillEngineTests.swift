import Foundation
import PollenDynamoDB
import PollenSource
import PollenTestSupport
import XCTest
@testable import PollenEngine

/// The engine end to end against a scripted DynamoDB: batching, retries, failures per table,
/// the asset mark and its confirmation, resume, drain, events and the report.
final class BackfillEngineTests: XCTestCase {
    /// A value that must never appear in an event.
    static let secret = "ZQX-DISTINCTIVE-VALUE-7731"
    /// A first mark of a row: it exists, has no table states yet, and the date only moves forward.
    static let markCondition = "attribute_exists(symbol) AND attribute_not_exists(pollenationTables)"
    static let completeCondition = markCondition + " AND (attribute_not_exists(lastPollenationDate) OR lastPollenationDate < :now)"

    /// An overview, and `reports` quarterly reports per other table, for every symbol.
    static func source(reports: Int = 2) -> ScriptedAssetSource {
        ScriptedAssetSource { symbol, function in payload(symbol, function, reports: reports) }
    }

    static func payload(_ symbol: String, _ function: SourceFunction, reports: Int = 2) -> PayloadContent {
        switch function {
        case .overview:
            return .records(ParsedPayload(records: [ScriptedAssetSource.overview([
                ("Symbol", symbol), ("Name", secret), ("CIK", "0000051143"), ("MarketCapitalization", "1000")])]))
        default:
            return .records(ParsedPayload(records: ScriptedAssetSource.quarterlyReports(
                reports, fields: [("reportedCurrency", "USD"), ("totalRevenue", "1000"), ("comment", secret)])))
        }
    }

    static let keys2 = ["quarterly#2024-12-31", "quarterly#2024-09-30"]
    static let keys4 = keys2 + ["quarterly#2024-06-30", "quarterly#2024-03-31"]

    struct Outcome: Sendable {
        var result: BackfillEngine.Result
        var events: [EngineEvent]
        var clock: any EngineClock
        var report: RunReport { result.report }
        var summary: RunSummary { result.summary }
    }

    static func run(_ db: ScriptedDynamoDB, symbols: [String] = ["IBM"], tables: [PollenTable] = PollenTable.dataTables,
             source: any AssetSource = BackfillEngineTests.source(), policy: RetryPolicy = RetryPolicy(),
             concurrency: Int = 4, reportPath: String? = nil, journalPath: String? = nil, control: RunControl = RunControl(),
             resume: (state: JournalState, path: String)? = nil, clock: any EngineClock = InstantClock(),
             progressInterval: Double? = nil) async -> Outcome {
        let recorder = EventRecorder()
        let configuration = BackfillConfiguration(
            runID: "run-test", concurrency: concurrency, retryPolicy: policy, endpoint: "http://127.0.0.1:8000",
            region: "us-east-1", reportPath: reportPath, journalPath: journalPath,
            // On an InstantClock a periodic task moves time on for everyone: none runs unless asked.
            progressInterval: progressInterval, capacityRefreshInterval: nil)
        let engine = BackfillEngine(client: db.client(), source: source, plan: WorkPlan(symbols: symbols, tables: tables),
                                    configuration: configuration, sink: recorder, control: control, clock: clock,
                                    random: SeededRandom(seed: 7), resume: resume)
        let result = await engine.run()
        return Outcome(result: result, events: recorder.all, clock: clock)
    }

    // MARK: (a) everything written

    func testEverythingWrittenFirstTime() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"])
        let directory = TemporaryDirectory()
        let reportPath = directory.url.appendingPathComponent("report.json").path
        let outcome = await Self.run(db, reportPath: reportPath)

        XCTAssertEqual(outcome.result.exitCode, 0)
        XCTAssertEqual(outcome.summary.status, .complete)
        XCTAssertFalse(outcome.summary.interrupted)
        XCTAssertNil(outcome.summary.fatalError)
        // One request per table, each with all of its items, nothing sent twice.
        XCTAssertEqual(Set(db.batchWrites.map(\.table)), ["companyOverview", "earnings", "cashFlow", "balanceSheet", "incomeStatement"])
        XCTAssertEqual(db.batchWrites.count, 5)
        XCTAssertEqual(db.batchWrites(to: "earnings").first?.keys, Self.keys2)
        XCTAssertEqual(db.batchWrites(to: "companyOverview").first?.keys, ["IBM"])
        for table in ["earnings", "cashFlow", "balanceSheet", "incomeStatement"] {
            XCTAssertEqual(Set(db.items(in: table, of: "IBM").keys), Set(Self.keys2), table)
        }
        let written = try XCTUnwrap(db.items(in: "cashFlow", of: "IBM")["quarterly#2024-12-31"])
        XCTAssertEqual(written["runId"], .s("run-test"))
        XCTAssertEqual(written["totalRevenue"], .n("1000"))
        XCTAssertEqual(written["reportType"], .s("quarterly"))
        XCTAssertEqual(db.items(in: "companyOverview", of: "IBM")["IBM"]?["CIK"], .s("0000051143"))

        // The asset row: one conditional update, read before and after with consistent reads.
        XCTAssertEqual(db.updates.count, 1)
        let update = try XCTUnwrap(db.updates.first)
        XCTAssertEqual(update.table, "assets")
        XCTAssertEqual(update.key, ["symbol": .s("IBM")])
        XCTAssertEqual(update.conditionExpression, Self.completeCondition)
        XCTAssertTrue(update.updateExpression.contains("lastPollenationDate = :now"), update.updateExpression)
        XCTAssertTrue(update.updateExpression.contains("lastPollenationAttempt = :now"))
        XCTAssertTrue(update.updateExpression.contains("pollenationTables = :tables"))
        XCTAssertEqual(update.values[":status"], .s("COMPLETE"))
        XCTAssertEqual(update.values[":tables"], .m(Dictionary(uniqueKeysWithValues: PollenTable.dataTables.map { ($0.rawValue, .s("ok")) })))
        let now = try XCTUnwrap(update.values[":now"]?.stringValue)
        XCTAssertNotNil(now.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"#, options: .regularExpression))
        XCTAssertEqual(db.gets.count, 2)
        XCTAssertTrue(db.gets.allSatisfy { $0.consistentRead && $0.table == "assets" })
        let row = try XCTUnwrap(db.assetRow("IBM"))
        XCTAssertEqual(row["lastPollenationDate"], .s(now))
        XCTAssertEqual(row["pollenationStatus"], .s("COMPLETE"))

        // Confirmed by the read-back, in the summary and the report.
        let asset = try XCTUnwrap(outcome.summary.assets["IBM"])
        XCTAssertEqual(asset.status, .complete)
        XCTAssertTrue(asset.confirmed)
        XCTAssertEqual(asset.lastPollenationDate, now)
        XCTAssertEqual(outcome.report.assets["IBM"]?.tables["earnings"]?.state, .ok)
        XCTAssertEqual(outcome.report.assets["IBM"]?.tables["earnings"]?.written, 2)
        XCTAssertEqual(outcome.summary.tables[.earnings]?.written, 2)
        XCTAssertEqual(outcome.summary.tables[.companyOverview]?.written, 1)
        XCTAssertEqual(outcome.summary.tables[.earnings]?.consumedUnits, 2)
        let mark = try XCTUnwrap(outcome.events.compactMap(\.mark).first)
        XCTAssertTrue(mark.confirmed)
        XCTAssertNil(mark.error)

        // The report on disk is the one returned.
        let onDisk = try RunReport.read(path: reportPath)
        XCTAssertEqual(onDisk.status, .complete)
        XCTAssertEqual(onDisk.exitCode, 0)
        XCTAssertEqual(onDisk.assets["IBM"]?.lastPollenationDate, now)
        XCTAssertTrue(onDisk.failedPairs.units.isEmpty)
    }

    func testManyItemsAreSplitIntoBatchesOf25() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"])
        let source = ScriptedAssetSource { _, _ in
            .records(ParsedPayload(records: (0..<60).map { ScriptedAssetSource.report(.quarterly, String(format: "%04d-03-31", 1950 + $0)) }))
        }
        let outcome = await Self.run(db, tables: [.earnings], source: source)
        XCTAssertEqual(db.batchWrites(to: "earnings").map(\.items.count).sorted(), [10, 25, 25])
        XCTAssertEqual(db.itemCount(in: "earnings"), 60)
        XCTAssertEqual(outcome.summary.tables[.earnings]?.written, 60)
        XCTAssertEqual(outcome.result.exitCode, 0)
    }

    // MARK: (b) unprocessed items

    func testUnprocessedItemsAreSentAgainAndOnlyThem() async throws {
        let left: Set<String> = [Self.keys4[1], Self.keys4[3]]
        let db = ScriptedDynamoDB(registered: ["IBM"]) { call in
            call.operation == "BatchWriteItem" && call.table == "earnings" && call.index == 0 ? .unprocessed(left) : .normal
        }
        let outcome = await Self.run(db, source: Self.source(reports: 4))
        let requests = db.batchWrites(to: "earnings")
        XCTAssertEqual(requests.count, 2)
        XCTAssertEqual(requests[0].keys, Self.keys4)
        XCTAssertEqual(requests[1].keys, [Self.keys4[1], Self.keys4[3]], "only the unprocessed items, in order")
        XCTAssertEqual(Set(db.items(in: "earnings", of: "IBM").keys), Set(Self.keys4), "nothing lost")

        let retries = outcome.events.compactMap(\.retry)
        XCTAssertEqual(retries.count, 1)
        let retry = try XCTUnwrap(retries.first)
        XCTAssertEqual(retry.table, .earnings)
        XCTAssertEqual(retry.reason, .unprocessed)
        XCTAssertEqual(retry.items, 2)
        XCTAssertEqual(retry.attempt, 2)
        XCTAssertLessThanOrEqual(retry.delaySeconds, 0.05, "first resend: full jitter up to the base delay")
        let acks = outcome.events.compactMap(\.ack).filter { $0.table == .earnings }
        XCTAssertEqual(acks.map(\.written), [2, 2])
        XCTAssertEqual(acks.map(\.unprocessed), [2, 0])

        let pair = try XCTUnwrap(outcome.report.assets["IBM"]?.tables["earnings"])
        XCTAssertEqual(pair.state, .ok)
        XCTAssertEqual(pair.written, 4)
        XCTAssertEqual(pair.unprocessed, 2)
        XCTAssertEqual(pair.retries, 1)
        XCTAssertEqual(outcome.summary.tables[.earnings]?.retries, 1)
        XCTAssertEqual(outcome.summary.tables[.earnings]?.unprocessed, 2)
        XCTAssertEqual(outcome.result.exitCode, 0)
    }

    // MARK: (c) throttled, then success

    func testThrottledTwiceThenWritten() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"]) { call in
            call.operation == "BatchWriteItem" && call.table == "earnings" && call.index < 2
                ? .error(code: "ProvisionedThroughputExceededException", message: "The level of configured provisioned throughput for the table was exceeded")
                : .normal
        }
        let outcome = await Self.run(db)
        XCTAssertEqual(db.batchWrites(to: "earnings").count, 3)
        XCTAssertEqual(Set(db.items(in: "earnings", of: "IBM").keys), Set(Self.keys2))
        let throttled = outcome.events.compactMap(\.throttled)
        XCTAssertEqual(throttled.count, 2)
        XCTAssertTrue(throttled.allSatisfy { $0.table == .earnings && $0.code == "ProvisionedThroughputExceededException" })
        let retries = outcome.events.compactMap(\.retry)
        XCTAssertEqual(retries.map(\.reason), [.throttled, .throttled])
        XCTAssertEqual(retries.map(\.attempt), [2, 3])
        XCTAssertTrue((1...2).contains(retries[0].delaySeconds), "\(retries[0].delaySeconds)")
        XCTAssertTrue((1...4).contains(retries[1].delaySeconds), "\(retries[1].delaySeconds)")
        // Nothing else of the table waits to be sent: each resend goes after the least wait (1 s),
        // on the clock, not after the whole delay drawn.
        let sleeps = try XCTUnwrap(outcome.clock as? InstantClock).sleeps
        XCTAssertEqual(sleeps.filter { $0 == RetryPolicy().throttleMinimumDelay }.count, 2, "\(sleeps)")
        for retry in retries where retry.delaySeconds > 1.1 {
            XCTAssertFalse(sleeps.contains(retry.delaySeconds), "a table with nothing to send is not left idle: \(sleeps)")
        }
        let pair = try XCTUnwrap(outcome.report.assets["IBM"]?.tables["earnings"])
        XCTAssertEqual(pair.state, .ok)
        XCTAssertEqual(pair.throttled, 2)
        XCTAssertEqual(pair.retries, 2)
        XCTAssertEqual(outcome.summary.tables[.earnings]?.throttled, 2)
        XCTAssertEqual(outcome.result.exitCode, 0)
        XCTAssertEqual(outcome.summary.assets["IBM"]?.status, .complete)
    }

    // MARK: (d) throttled until the table makes no progress

    func testAThrottledBatchGivesUpOnlyWhenItsTableHasWrittenNothingForTheStallTimeout() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"]) { call in
            call.operation == "BatchWriteItem" && call.table == "earnings"
                ? .error(code: "ProvisionedThroughputExceededException", message: "exceeded") : .normal
        }
        let outcome = await Self.run(db, policy: RetryPolicy(maxAttempts: 1, stallSeconds: 60))
        let sends = db.batchWrites(to: "earnings").count
        XCTAssertGreaterThan(sends, 10, "throttling is pacing: it does not count against --max-attempts")
        let failure = try XCTUnwrap(outcome.events.compactMap(\.failure).first)
        XCTAssertEqual(failure.table, .earnings)
        XCTAssertEqual(failure.symbol, "IBM")
        XCTAssertEqual(failure.keys, Self.keys2)
        XCTAssertEqual(failure.attempts, sends)
        XCTAssertTrue(failure.error.hasPrefix("gave up: table earnings wrote nothing for 6"), failure.error)
        XCTAssertTrue(failure.error.contains("ProvisionedThroughputExceededException"), failure.error)
        let failedAt = try XCTUnwrap(outcome.events.first { $0.failure != nil }?.elapsed)
        XCTAssertGreaterThanOrEqual(failedAt, 60, "not before the stall timeout")
        XCTAssertLessThan(failedAt, 70, "nor long after it")
        let retries = outcome.events.compactMap(\.retry)
        XCTAssertTrue(retries.allSatisfy { $0.reason == .throttled && (1...5).contains($0.delaySeconds) },
                      "a throttled batch waits 1 to 5 s")

        let pair = try XCTUnwrap(outcome.report.assets["IBM"]?.tables["earnings"])
        XCTAssertEqual(pair.state, .failed)
        XCTAssertEqual(pair.failed, 2)
        XCTAssertEqual(pair.failedBatches.first?.keys, Self.keys2)
        XCTAssertTrue(pair.reason?.contains("2 of 2 items not written") ?? false, pair.reason ?? "no reason")
        XCTAssertEqual(outcome.summary.tables[.earnings]?.failed, 2)
        XCTAssertEqual(outcome.summary.status, .partial)
        XCTAssertEqual(outcome.result.exitCode, 2)
        XCTAssertEqual(outcome.summary.assets["IBM"]?.status, .partial)
        for table in ["cashFlow", "balanceSheet", "incomeStatement"] {
            XCTAssertEqual(db.items(in: table, of: "IBM").count, 2, "\(table) still written")
        }
        XCTAssertEqual(outcome.report.failedPairs.units, [WorkPlan.Unit(symbol: "IBM", tables: [.earnings])])
        XCTAssertEqual(db.assetRow("IBM")?["pollenationTables"]?.mapValue?["earnings"], .s("failed"))
    }

    func testThrottlingNeverFailsABatchWhileItsTableMakesProgress() async throws {
        // Every other earnings request is throttled, for minutes of clock time: with
        // --max-attempts 1 every batch still ends written.
        let symbols = (1...12).map { "S\($0)" }
        let db = ScriptedDynamoDB(registered: symbols) { call in
            call.operation == "BatchWriteItem" && call.table == "earnings" && call.index % 2 == 0
                ? .throttled(reasons: ["TableWriteProvisionedThroughputExceeded"], onDemand: false) : .normal
        }
        let outcome = await Self.run(db, symbols: symbols, policy: RetryPolicy(maxAttempts: 1, stallSeconds: 60),
                                     concurrency: 2)
        XCTAssertEqual(outcome.result.exitCode, 0, "\(outcome.events.compactMap(\.failure))")
        XCTAssertEqual(db.itemCount(in: "earnings"), 24)
        XCTAssertGreaterThan(outcome.summary.tables[.earnings]?.throttled ?? 0, 10)
        XCTAssertEqual(outcome.summary.tables[.earnings]?.throttleReasons,
                       ["TableWriteProvisionedThroughputExceeded": outcome.summary.tables[.earnings]?.throttled ?? 0])
        // Which pairs meet the throttled requests depends on the order of the calls: any one will do.
        let pairs = outcome.report.assets.values.compactMap { $0.tables["earnings"] }
        let pair = try XCTUnwrap(pairs.first { $0.throttled > 0 })
        XCTAssertEqual(pair.throttleReasons?["TableWriteProvisionedThroughputExceeded"], pair.throttled)
        XCTAssertTrue(pairs.allSatisfy { $0.throttled > 0 || $0.throttleReasons == nil }, "no reasons without throttles")
        XCTAssertTrue(outcome.events.compactMap(\.throttled).allSatisfy { $0.throttlingReasons == ["TableWriteProvisionedThroughputExceeded"] })
    }

    func testErrorsStillFailAfterMaxAttemptsInARow() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"]) { call in
            call.operation == "BatchWriteItem" && call.table == "earnings"
                ? .error(code: "InternalServerError", message: "boom", status: 500) : .normal
        }
        let outcome = await Self.run(db, policy: RetryPolicy(maxAttempts: 4))
        XCTAssertEqual(db.batchWrites(to: "earnings").count, 4, "maxAttempts sends, then it gives up")
        let failure = try XCTUnwrap(outcome.events.compactMap(\.failure).first)
        XCTAssertEqual(failure.attempts, 4)
        XCTAssertTrue(failure.error.hasPrefix("gave up after 4 attempts without progress"), failure.error)
        XCTAssertTrue(failure.error.contains("InternalServerError"), failure.error)
        XCTAssertEqual(outcome.result.exitCode, 2)
    }

    // MARK: (e) a client error fails at once

    func testAValidationErrorFailsTheBatchAtOnce() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"]) { call in
            call.operation == "BatchWriteItem" && call.table == "cashFlow"
                ? .error(code: "ValidationException", message: "One or more parameter values were invalid") : .normal
        }
        let outcome = await Self.run(db)
        XCTAssertEqual(db.batchWrites(to: "cashFlow").count, 1, "a client error is not retried")
        XCTAssertFalse(outcome.events.compactMap(\.retry).contains { $0.table == .cashFlow })
        let pair = try XCTUnwrap(outcome.report.assets["IBM"]?.tables["cashFlow"])
        XCTAssertEqual(pair.state, .failed)
        XCTAssertEqual(pair.failedBatches.first?.attempts, 1)
        XCTAssertTrue(pair.failedBatches.first?.error.contains("ValidationException") ?? false)
        XCTAssertEqual(outcome.result.exitCode, 2)
        XCTAssertEqual(db.items(in: "earnings", of: "IBM").count, 2)
    }

    func testNothingWrittenIsExitOne() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"]) { call in
            call.operation == "BatchWriteItem" ? .error(code: "ValidationException", message: "invalid") : .normal
        }
        let outcome = await Self.run(db)
        XCTAssertEqual(outcome.summary.status, .failed)
        XCTAssertEqual(outcome.result.exitCode, 1)
        XCTAssertEqual(outcome.summary.assets["IBM"]?.status, .failed)
        XCTAssertEqual(db.assetRow("IBM")?["pollenationStatus"], .s("FAILED"))
        XCTAssertNil(db.assetRow("IBM")?["lastPollenationDate"])
    }

    // MARK: (f) bad credentials are fatal

    func testUnrecognizedClientAbortsTheRun() async throws {
        let db = ScriptedDynamoDB(registered: ["A", "B", "C", "D", "E"]) { call in
            call.operation == "BatchWriteItem"
                ? .error(code: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
                : .normal
        }
        let outcome = await Self.run(db, symbols: ["A", "B", "C", "D", "E"], concurrency: 1)
        XCTAssertEqual(outcome.result.exitCode, 1)
        XCTAssertEqual(outcome.summary.status, .failed)
        XCTAssertTrue(outcome.summary.fatalError?.contains("credentials") ?? false, outcome.summary.fatalError ?? "no fatal error")
        XCTAssertTrue(db.updates.isEmpty, "no asset is marked after a fatal error")
        XCTAssertLessThanOrEqual(Set(db.batchWrites.compactMap { $0.items.first?["symbol"]?.stringValue }).count, 2,
                                 "no new asset starts after the abort")
        XCTAssertEqual(outcome.report.fatalError, outcome.summary.fatalError)
    }

    func testUnrecognizedClientOnDescribeTableStopsBeforeWriting() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"]) { call in
            call.operation == "DescribeTable" ? .error(code: "UnrecognizedClientException", message: "invalid token") : .normal
        }
        let outcome = await Self.run(db)
        XCTAssertEqual(outcome.result.exitCode, 1)
        XCTAssertTrue(db.batchWrites.isEmpty)
        XCTAssertTrue(db.updates.isEmpty)
        XCTAssertTrue(outcome.summary.fatalError?.contains("UnrecognizedClientException") ?? false)
    }

    // MARK: (g) a missing table

    func testAMissingTableFailsForEveryAssetAndTheOthersAreWritten() async throws {
        let db = ScriptedDynamoDB(tables: ["cashFlow": .missing], registered: ["IBM", "MSFT"])
        let outcome = await Self.run(db, symbols: ["IBM", "MSFT"])
        XCTAssertTrue(db.batchWrites(to: "cashFlow").isEmpty)
        let info = try XCTUnwrap(outcome.events.compactMap(\.runInfo).first?.tables.first { $0.table == .cashFlow })
        XCTAssertTrue(info.unavailable?.contains("does not exist") ?? false)
        for symbol in ["IBM", "MSFT"] {
            let pair = try XCTUnwrap(outcome.report.assets[symbol]?.tables["cashFlow"])
            XCTAssertEqual(pair.state, .failed, symbol)
            XCTAssertTrue(pair.reason?.contains("does not exist") ?? false, pair.reason ?? "no reason")
            XCTAssertEqual(pair.failed, 2)
            XCTAssertEqual(outcome.report.assets[symbol]?.tables["earnings"]?.state, .ok)
            XCTAssertEqual(outcome.summary.assets[symbol]?.status, .partial)
        }
        XCTAssertEqual(db.itemCount(in: "earnings"), 4, "2 reports of each of 2 assets")
        XCTAssertEqual(outcome.summary.tables[.cashFlow]?.failed, 4)
        XCTAssertEqual(outcome.result.exitCode, 2)
    }

    // MARK: (h) the asset row is missing

    func testAnUnregisteredAssetIsNotCreated() async throws {
        let db = ScriptedDynamoDB(registered: [])
        let outcome = await Self.run(db)
        let mark = try XCTUnwrap(outcome.events.compactMap(\.mark).first)
        XCTAssertEqual(mark.error, "asset not registered")
        XCTAssertFalse(mark.confirmed)
        XCTAssertNil(db.assetRow("IBM"), "a backfill never creates asset rows")
        XCTAssertTrue(db.updates.allSatisfy { $0.conditionExpression?.contains("attribute_exists(symbol)") ?? false })
        XCTAssertEqual(outcome.summary.assets["IBM"]?.confirmed, false)
        XCTAssertEqual(outcome.report.assets["IBM"]?.markError, "asset not registered")
        XCTAssertEqual(outcome.result.exitCode, 2)
        XCTAssertEqual(db.items(in: "earnings", of: "IBM").count, 2, "the data is still written")
    }

    // MARK: (i) only COMPLETE sets lastPollenationDate, only forward

    func testAPartialAssetKeepsItsLastPollenationDate() async throws {
        let earlier = "2025-06-01T00:00:00Z"
        let db = ScriptedDynamoDB(assets: ["IBM": ["lastPollenationDate": .s(earlier)]]) { call in
            call.operation == "BatchWriteItem" && call.table == "earnings" ? .error(code: "ValidationException") : .normal
        }
        let outcome = await Self.run(db)
        let update = try XCTUnwrap(db.updates.first)
        XCTAssertEqual(db.updates.count, 1)
        XCTAssertFalse(update.updateExpression.contains("lastPollenationDate"), update.updateExpression)
        XCTAssertEqual(update.conditionExpression, Self.markCondition)
        XCTAssertEqual(update.values[":status"], .s("PARTIAL"))
        let row = try XCTUnwrap(db.assetRow("IBM"))
        XCTAssertEqual(row["lastPollenationDate"], .s(earlier))
        XCTAssertEqual(row["pollenationStatus"], .s("PARTIAL"))
        XCTAssertEqual(row["lastPollenationAttempt"], update.values[":now"])
        XCTAssertEqual(row["pollenationTables"]?.mapValue?["earnings"], .s("failed"))
        XCTAssertEqual(row["pollenationTables"]?.mapValue?["cashFlow"], .s("ok"))
        XCTAssertEqual(outcome.summary.assets["IBM"]?.status, .partial)
        XCTAssertEqual(outcome.summary.assets["IBM"]?.lastPollenationDate, earlier, "the confirmed (read-back) date")
        XCTAssertEqual(outcome.summary.assets["IBM"]?.confirmed, true)
    }

    func testANewerLastPollenationDateIsNotMovedBack() async throws {
        let newer = "2099-01-01T00:00:00Z"
        let db = ScriptedDynamoDB(assets: ["IBM": ["lastPollenationDate": .s(newer)]])
        let outcome = await Self.run(db)
        XCTAssertEqual(db.updates.count, 2, "the conditional update fails, then the rest of the mark is applied")
        XCTAssertEqual(db.updates.first?.conditionExpression, Self.completeCondition)
        XCTAssertEqual(db.updates.last?.conditionExpression, Self.markCondition)
        XCTAssertFalse(db.updates.last?.updateExpression.contains("lastPollenationDate =") ?? true)
        XCTAssertEqual(db.assetRow("IBM")?["lastPollenationDate"], .s(newer))
        XCTAssertEqual(db.assetRow("IBM")?["pollenationStatus"], .s("COMPLETE"))
        XCTAssertEqual(outcome.summary.assets["IBM"]?.lastPollenationDate, newer)
        XCTAssertEqual(outcome.summary.assets["IBM"]?.confirmed, true)
        XCTAssertEqual(outcome.result.exitCode, 0)
    }

    func testTablesNotInThisRunKeepTheirStates() async throws {
        let others = Dictionary(uniqueKeysWithValues: [PollenTable.companyOverview, .cashFlow, .balanceSheet, .incomeStatement]
            .map { ($0.rawValue, AttributeValue.s("ok")) })
        let db = ScriptedDynamoDB(assets: ["IBM": ["pollenationTables": .m(others)], "MSFT": [:]])
        let outcome = await Self.run(db, symbols: ["IBM", "MSFT"], tables: [.earnings])
        let ibm = try XCTUnwrap(db.assetRow("IBM")?["pollenationTables"]?.mapValue)
        XCTAssertEqual(ibm.count, 5)
        XCTAssertEqual(ibm["earnings"], .s("ok"))
        XCTAssertEqual(ibm["cashFlow"], .s("ok"))
        XCTAssertEqual(outcome.summary.assets["IBM"]?.status, .complete, "all five tables are now ok")
        XCTAssertNotNil(db.assetRow("IBM")?["lastPollenationDate"])
        // MSFT only ever had earnings written: its row is not COMPLETE.
        XCTAssertEqual(outcome.summary.assets["MSFT"]?.status, .partial)
        XCTAssertNil(db.assetRow("MSFT")?["lastPollenationDate"])
        XCTAssertEqual(outcome.result.exitCode, 0, "every selected table written and every row confirmed")
    }

    /// Another run's mark landing between this run's read and its update is not lost: the
    /// conditional update finds the states changed, reads again and merges (a read-modify-write
    /// kept only one side's tables, and both said "confirmed").
    func testAConcurrentMarkIsMergedInsteadOfLost() async throws {
        let database = Locked<ScriptedDynamoDB?>(nil)
        let db = ScriptedDynamoDB(registered: ["IBM"]) { call in
            if call.operation == "UpdateItem" && call.index == 0 {
                database.value?.changeAssetRow("IBM") { row in
                    row["pollenationTables"] = .m(["balanceSheet": .s("ok"), "incomeStatement": .s("ok"),
                                                   "companyOverview": .s("ok")])
                    row["pollenationStatus"] = .s("PARTIAL")
                }
            }
            return .normal
        }
        database.set(db)
        let outcome = await Self.run(db, tables: [.earnings, .cashFlow])
        XCTAssertEqual(db.updates.count, 2, "the first update met the other run's mark, the second merged it")
        let tables = db.assetRow("IBM")?["pollenationTables"]?.mapValue ?? [:]
        XCTAssertEqual(Set(tables.keys), Set(PollenTable.dataTables.map(\.rawValue)), "every table state kept: \(tables)")
        XCTAssertEqual(db.assetRow("IBM")?["pollenationStatus"], .s("COMPLETE"), "the merged row is whole")
        XCTAssertEqual(outcome.summary.assets["IBM"]?.confirmed, true)
        XCTAssertEqual(outcome.summary.assets["IBM"]?.status, .complete)
    }

    /// The read-back confirms only if every table state this run wrote is there.
    func testTheReadBackChecksEveryTableStateThisRunWrote() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"])
        let outcome = await Self.run(db, tables: [.earnings, .cashFlow])
        XCTAssertEqual(outcome.summary.assets["IBM"]?.confirmed, true)
        XCTAssertEqual(db.assetRow("IBM")?["pollenationTables"]?.mapValue?["earnings"], .s("ok"))
    }

    /// A report that cannot be written makes a complete run exit 2 (with the reason), and a
    /// partial one exit 1: without its report a run can be neither re-run nor audited.
    func testAReportThatCannotBeWrittenIsNotASuccess() async throws {
        let complete = await Self.run(ScriptedDynamoDB(registered: ["IBM"]), reportPath: "/proc/pollen/report.json")
        XCTAssertEqual(complete.result.exitCode, 2)
        XCTAssertEqual(complete.report.exitCode, 2)
        XCTAssertNil(complete.summary.report)
        XCTAssertEqual(complete.summary.alerts.map(\.name), [.reportNotWritten])
        XCTAssertTrue(complete.summary.alerts[0].message.hasPrefix("the report could not be written to /proc/pollen/report.json"))
        let partial = await Self.run(ScriptedDynamoDB(registered: []), reportPath: "/proc/pollen/report.json")
        XCTAssertEqual(partial.result.exitCode, 1, "partial, and no report to say what failed")
    }

    // MARK: (j) resume

    /// A journal written against another endpoint, region or table prefix is refused: skipping
    /// its acknowledged keys in other tables would lose them (it reported COMPLETE before).
    func testAResumeIntoAnotherTargetIsRefusedBeforeAnyWrite() async throws {
        let directory = TemporaryDirectory()
        let journalPath = directory.url.appendingPathComponent("journal").path
        let writer = try JournalWriter(path: journalPath)
        try await writer.append(.run(JournalHeader(runId: "run-a", source: "scripted", tablePrefix: "A_",
                                                   work: ["IBM": PollenTable.dataTables], startedAt: "2026-01-01T00:00:00Z",
                                                   endpoint: "http://127.0.0.1:8000", region: "us-east-1")))
        try await writer.append(.acknowledged(symbol: "IBM", table: .earnings, keys: [Self.keys4[0]]))
        let state = try JournalState.read(path: journalPath)
        let db = ScriptedDynamoDB(registered: ["IBM"])
        let outcome = await Self.run(db, source: Self.source(reports: 4), resume: (state, journalPath))
        XCTAssertEqual(outcome.result.exitCode, 1)
        XCTAssertTrue(db.batchWrites.isEmpty && db.updates.isEmpty, "nothing is written")
        XCTAssertEqual(outcome.summary.fatalError, "the journal of run run-a was written for table prefix 'A_', not '': "
                       + "resume against the same tables, or start a new run (nothing was written)")
        XCTAssertEqual(state.header.mismatch(endpoint: "http://10.0.0.1:8000", region: "eu-west-1", tablePrefix: "A_"),
                       "the journal of run run-a was written for endpoint http://127.0.0.1:8000, not http://10.0.0.1:8000, "
                       + "region us-east-1, not eu-west-1: resume against the same tables, or start a new run (nothing was written)")
        XCTAssertNil(state.header.mismatch(endpoint: "http://127.0.0.1:8000", region: "us-east-1", tablePrefix: "A_"))
    }

    func testAResumeCutsATornJournalTailAndSaysSo() async throws {
        let directory = TemporaryDirectory()
        let journalPath = directory.url.appendingPathComponent("journal").path
        try await JournalWriter(path: journalPath).append(.run(JournalHeader(
            runId: "run-test", source: "scripted", tablePrefix: "", work: ["IBM": [.earnings]], startedAt: "2026-01-01T00:00:00Z")))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: journalPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"type":"ack","symb"#.utf8))
        try handle.close()
        let state = try JournalState.read(path: journalPath)
        let outcome = await Self.run(ScriptedDynamoDB(registered: ["IBM"]), tables: [.earnings], journalPath: journalPath,
                                     resume: (state, journalPath))
        XCTAssertEqual(outcome.result.exitCode, 0)
        let alert = outcome.events.compactMap { event -> Alert? in
            if case .alert(let alert) = event.body, alert.name == .journalTailCut { return alert } else { return nil }
        }.first
        XCTAssertEqual(alert?.value, 19)
        XCTAssertEqual(try JournalState.read(path: journalPath).acknowledged["IBM"]?[.earnings]?.count, 2, "appended cleanly")
    }

    func testResumeDoesNotResendAcknowledgedItems() async throws {
        let directory = TemporaryDirectory()
        let journalPath = directory.url.appendingPathComponent("journal").path
        let writer = try JournalWriter(path: journalPath)
        try await writer.append(.run(JournalHeader(runId: "run-test", source: "scripted", tablePrefix: "",
                                                   work: ["IBM": PollenTable.dataTables], startedAt: "2026-01-01T00:00:00Z")))
        try await writer.append(.acknowledged(symbol: "IBM", table: .earnings, keys: [Self.keys4[0], Self.keys4[2]]))
        try await writer.append(.acknowledged(symbol: "IBM", table: .cashFlow, keys: Self.keys4))
        let state = try JournalState.read(path: journalPath)

        let db = ScriptedDynamoDB(registered: ["IBM"])
        let outcome = await Self.run(db, source: Self.source(reports: 4), journalPath: journalPath, resume: (state, journalPath))
        XCTAssertEqual(db.batchWrites(to: "earnings").map(\.keys), [[Self.keys4[1], Self.keys4[3]]])
        XCTAssertTrue(db.batchWrites(to: "cashFlow").isEmpty, "a pair fully acknowledged is not sent at all")
        XCTAssertEqual(db.batchWrites(to: "balanceSheet").first?.keys, Self.keys4)

        let earnings = try XCTUnwrap(outcome.report.assets["IBM"]?.tables["earnings"])
        XCTAssertEqual(earnings.items, 4)
        XCTAssertEqual(earnings.alreadyWritten, 2)
        XCTAssertEqual(earnings.written, 2)
        XCTAssertEqual(outcome.report.assets["IBM"]?.tables["cashFlow"]?.state, .ok)
        XCTAssertEqual(outcome.report.assets["IBM"]?.tables["cashFlow"]?.alreadyWritten, 4)
        XCTAssertEqual(outcome.events.compactMap(\.load).first { $0.table == .earnings }?.alreadyWritten, 2)
        XCTAssertEqual(outcome.report.resumedFrom, journalPath)
        XCTAssertEqual(outcome.result.exitCode, 0)
        XCTAssertEqual(outcome.summary.assets["IBM"]?.status, .complete)

        // The journal now holds every key and the end of the run.
        let after = try JournalState.read(path: journalPath)
        XCTAssertTrue(after.finished)
        for table in [PollenTable.earnings, .cashFlow, .balanceSheet, .incomeStatement] {
            for key in Self.keys4 { XCTAssertTrue(after.isAcknowledged(symbol: "IBM", table: table, key: key), "\(table) \(key)") }
        }
        XCTAssertTrue(after.isAcknowledged(symbol: "IBM", table: .companyOverview, key: "IBM"))
    }

    func testAFreshRunJournalsItsHeaderAndAcknowledgements() async throws {
        let directory = TemporaryDirectory()
        let journalPath = directory.url.appendingPathComponent("run/journal").path
        let db = ScriptedDynamoDB(registered: ["IBM"]) { call in
            call.operation == "BatchWriteItem" && call.table == "earnings" ? .error(code: "ValidationException") : .normal
        }
        _ = await Self.run(db, journalPath: journalPath)
        let state = try JournalState.read(path: journalPath)
        XCTAssertEqual(state.header.runId, "run-test")
        XCTAssertEqual(state.header.work, ["IBM": PollenTable.dataTables])
        XCTAssertTrue(state.finished)
        XCTAssertTrue(state.isAcknowledged(symbol: "IBM", table: .cashFlow, key: Self.keys2[0]))
        XCTAssertFalse(state.isAcknowledged(symbol: "IBM", table: .earnings, key: Self.keys2[0]), "failed items are not acknowledged")
    }

    // MARK: (k) drain

    func testDrainBeforeStartSendsNothing() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"])
        let control = RunControl()
        control.drain()
        let outcome = await Self.run(db, control: control)
        XCTAssertTrue(db.batchWrites.isEmpty)
        XCTAssertTrue(db.updates.isEmpty)
        XCTAssertTrue(outcome.summary.interrupted)
        XCTAssertTrue(outcome.report.interrupted)
        XCTAssertEqual(outcome.result.exitCode, 130)
    }

    /// Regression: a run drained before any asset started once reported COMPLETE and left the
    /// assets it did not reach out of the report (so `--rerun` had nothing to repeat).
    func testADrainedRunIsNotReportedComplete() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM", "MSFT"])
        let control = RunControl()
        control.drain()
        let outcome = await Self.run(db, symbols: ["IBM", "MSFT"], control: control)
        XCTAssertEqual(outcome.result.exitCode, 130)
        XCTAssertNotEqual(outcome.summary.status, .complete, "nothing was written")
        XCTAssertEqual(Set(outcome.report.assets.keys), ["IBM", "MSFT"], "the assets not processed are in the report")
    }

    func testDrainWhilePausedSendsNothingMoreAndMarksNothing() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"])
        let source = Self.source()
        let control = RunControl()
        control.pause()
        let recorderTask = Task.detached { await BackfillEngineTests.run(db, source: source, control: control) }
        // Wait until the tables are loaded and their batches wait on the pause.
        let loaded = await eventually { source.loaded.count == 5 }
        XCTAssertTrue(loaded)
        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertTrue(db.batchWrites.isEmpty, "nothing is sent while paused")
        control.drain()
        let outcome = await recorderTask.value
        XCTAssertTrue(db.batchWrites.isEmpty)
        XCTAssertTrue(db.updates.isEmpty, "an asset whose writes were interrupted is not marked")
        XCTAssertEqual(outcome.result.exitCode, 130)
        XCTAssertTrue(outcome.summary.interrupted)
        XCTAssertEqual(outcome.report.assets["IBM"]?.markError, "not marked: the run stopped first")
        XCTAssertEqual(outcome.events.compactMap(\.state), [.draining, .done])
    }

    /// The engine owns the cap: it starts from the configuration, changes live, is announced
    /// (runStarted, capChanged) and is what the next re-run starts from.
    func testTheEngineOwnsAndAnnouncesTheWriteRateCap() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"])
        let source = Self.source()
        let control = RunControl()
        control.pause()
        let recorder = EventRecorder()
        let engine = BackfillEngine(
            client: db.client(), source: source, plan: WorkPlan(symbols: ["IBM"], tables: [.earnings]),
            configuration: BackfillConfiguration(runID: "cap", capacityCap: .init(capacityPercent: 5),
                                                 progressInterval: nil, capacityRefreshInterval: nil),
            sink: recorder, control: control, clock: InstantClock(), random: SeededRandom(seed: 7))
        let run = Task.detached { await engine.run() }
        let started = await eventually { !engine.rateControllers.isEmpty }
        XCTAssertTrue(started)
        let ten = WriteRateController.Cap(capacityPercent: 5).stepped(up: true)!
        engine.setCapacityCap(ten)
        XCTAssertEqual(engine.capacityCap, ten)
        XCTAssertEqual(engine.rateControllers[.earnings]?.cap, ten)
        control.resume()
        _ = await run.value
        let events = recorder.all
        let startCap: WriteRateController.Cap? = events.lazy.compactMap {
            if case .runStarted(let info) = $0.body { return info.cap } else { return nil }
        }.first
        XCTAssertEqual(startCap, .init(capacityPercent: 5))
        let announced: [WriteRateController.Cap] = events.compactMap {
            if case .capChanged(let cap) = $0.body { return cap } else { return nil }
        }
        XCTAssertEqual(announced, [.init(capacityPercent: 10)])
    }

    /// The last progress event tells the run's final totals, even when the work ended between two
    /// ticks: the clock moves in small steps and never reaches the first tick, so the only progress
    /// event is the one the engine emits after the work, and it must come after every mark.
    func testTheLastProgressEventTellsTheFinalTotals() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM", "MSFT"])
        let clock = ManualClock()
        let driver = Task {
            while !Task.isCancelled && clock.now() < 600 {
                clock.advance(by: 0.01)
                try? await Task.sleep(nanoseconds: 1_000_000)
            }
        }
        let outcome = await Self.run(db, symbols: ["IBM", "MSFT"], tables: [.earnings, .cashFlow], clock: clock,
                                     progressInterval: 3600)
        driver.cancel()
        XCTAssertEqual(outcome.result.exitCode, 0)
        let progress = outcome.events.enumerated().compactMap { index, event -> (Int, ProgressSnapshot)? in
            if case .progress(let snapshot) = event.body { return (index, snapshot) } else { return nil }
        }
        XCTAssertEqual(progress.count, 1, "the ticker never fired; the engine's own last event is the only one")
        let (index, last) = try XCTUnwrap(progress.last)
        let lastMark = try XCTUnwrap(outcome.events.lastIndex { $0.mark != nil })
        XCTAssertGreaterThan(index, lastMark, "the last progress event follows the run's last mark")
        XCTAssertEqual(last.assetsDone, 2)
        XCTAssertEqual(last.itemsWritten, 8, "2 assets x 2 tables x 2 reports")
        XCTAssertEqual(last.itemsFailed, 0)
    }

    /// An asset none of whose payloads was fetched (a daily limit) is not written, not marked,
    /// and reported as not fetched; one fetched in part is written and marked as usual.
    func testNeverFetchedAssetsAreLeftUntouchedAndReportedAsSuch() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM", "MSFT", "AAPL"])
        let reason = "not fetched: the API key's daily limit was reached after 7 requests"
        let source = ScriptedAssetSource { symbol, function in
            if symbol == "AAPL" || (symbol == "MSFT" && function != .overview) {
                return .failed(PayloadFailure(kind: .notFetched, message: reason))
            }
            return Self.payload(symbol, function)
        }
        let outcome = await Self.run(db, symbols: ["IBM", "MSFT", "AAPL"], source: source)
        XCTAssertEqual(outcome.result.exitCode, 2)
        XCTAssertEqual(outcome.report.assets["AAPL"]?.notFetched, reason)
        XCTAssertNil(outcome.report.assets["AAPL"]?.markError)
        XCTAssertEqual(outcome.report.assets["AAPL"]?.tables["earnings"]?.reason, reason)
        XCTAssertNil(outcome.report.assets["MSFT"]?.notFetched, "fetched in part: written and marked")
        XCTAssertEqual(outcome.report.assets["MSFT"]?.status, .partial)
        XCTAssertEqual(Set(db.updates.map { $0.key["symbol"] }), [.s("IBM"), .s("MSFT")], "the never-fetched asset's row is not touched")
        XCTAssertFalse(db.batchWrites.contains { $0.keys.contains { $0.hasPrefix("AAPL") } })
        XCTAssertEqual(outcome.report.failedPairs.units.first { $0.symbol == "AAPL" }?.tables.count, 5, "--rerun fetches it")
    }

    /// A source that can no longer answer (a refused API key) stops the run: exit 1, nothing marked after.
    func testASourceFatalErrorStopsTheRun() async throws {
        final class RefusingSource: AssetSource {
            let sourceDescription = "refusing"
            var fatalError: String? { "Alpha Vantage refused the API key (ALPHAVANTAGE_API_KEY)." }
            func load(symbol: String, function: SourceFunction) async -> PayloadContent {
                .failed(PayloadFailure(kind: .keyRefused, message: "refused"))
            }
        }
        let db = ScriptedDynamoDB(registered: ["IBM", "MSFT"])
        let outcome = await Self.run(db, symbols: ["IBM", "MSFT"], source: RefusingSource())
        XCTAssertEqual(outcome.result.exitCode, 1)
        XCTAssertEqual(outcome.summary.fatalError, "Alpha Vantage refused the API key (ALPHAVANTAGE_API_KEY).")
        XCTAssertTrue(db.updates.isEmpty, "no asset row is marked")
    }

    /// A drain that begins while batches queue for a request slot sends none of them: the
    /// check is made with the slot in hand, after every wait.
    func testNoBatchIsSentAfterTheDrainBegins() async throws {
        let control = RunControl()
        let db = ScriptedDynamoDB(registered: ["IBM"]) { call in
            if call.operation == "BatchWriteItem" { control.drain() }  // during the first request
            return .normal
        }
        let outcome = await Self.run(db, source: Self.source(reports: 60), concurrency: 1, control: control)
        XCTAssertEqual(db.batchWrites.count, 1, "only the request in flight when the drain began")
        XCTAssertEqual(outcome.result.exitCode, 130)
        XCTAssertEqual(outcome.events.filter { $0.name == "batchSent" }.count, 1)
        XCTAssertTrue(db.updates.isEmpty, "nothing is marked after a drain")
        XCTAssertEqual(outcome.report.assets["IBM"]?.markError, "not marked: the run stopped first")
    }

    /// The report keeps 20 rejections per (asset, table) with their reasons and counts them all.
    func testTheReportKeepsTheFirstRejectionsAndCountsThemAll() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM"])
        let source = ScriptedAssetSource { symbol, function in
            guard function == .earnings else { return Self.payload(symbol, function) }
            return .records(ParsedPayload(records: [], rejected: (0..<1_000).map {
                RecordRejection(record: "annualEarnings[\($0)]", reason: "no fiscalDateEnding field")
            }))
        }
        let outcome = await Self.run(db, source: source)
        let pair = try XCTUnwrap(outcome.report.assets["IBM"]?.tables["earnings"])
        XCTAssertEqual(pair.rejected.count, 20)
        XCTAssertEqual(pair.rejectedCount, 1_000)
        XCTAssertEqual(pair.reason, "1000 records rejected: no fiscalDateEnding field")
        XCTAssertEqual(outcome.summary.tables[.earnings]?.rejected, 1_000)
    }

    // MARK: (l) events

    func testEventsAreInASaneOrderAndCarryNoItemContents() async throws {
        let db = ScriptedDynamoDB(registered: ["IBM", "MSFT"]) { call in
            call.operation == "BatchWriteItem" && call.table == "earnings" && call.index == 0
                ? .error(code: "ValidationException", message: "Value '\(BackfillEngineTests.secret)' at 'item' failed") : .normal
        }
        let outcome = await Self.run(db, symbols: ["IBM", "MSFT"])
        let events = outcome.events
        XCTAssertEqual(events.first?.name, "runStarted")
        XCTAssertEqual(events.last?.name, "summary")
        XCTAssertEqual(events.filter { $0.name == "summary" }.count, 1)
        func index(_ name: String, _ where: (EngineEvent) -> Bool = { _ in true }) -> Int? {
            events.firstIndex { $0.name == name && `where`($0) }
        }
        func lastIndex(_ name: String, _ where: (EngineEvent) -> Bool) -> Int? {
            events.lastIndex { $0.name == name && `where`($0) }
        }
        let summary = try XCTUnwrap(index("summary"))
        for symbol in ["IBM", "MSFT"] {
            let started = try XCTUnwrap(index("assetStarted") { $0.symbol == symbol })
            let marked = try XCTUnwrap(index("assetMarked") { $0.symbol == symbol })
            for table in PollenTable.dataTables {
                let matches: (EngineEvent) -> Bool = { $0.symbol == symbol && $0.table == table }
                let loaded = try XCTUnwrap(index("tableLoaded", matches), "\(symbol) \(table)")
                let sent = try XCTUnwrap(index("batchSent", matches), "\(symbol) \(table)")
                let answered = try XCTUnwrap(index("batchAcknowledged", matches) ?? index("batchErrored", matches))
                let finished = try XCTUnwrap(index("tableFinished", matches))
                let lastAnswer = try XCTUnwrap(lastIndex("batchAcknowledged", matches) ?? lastIndex("batchErrored", matches))
                XCTAssertLessThan(started, loaded)
                XCTAssertLessThan(loaded, sent)
                XCTAssertLessThan(sent, answered)
                XCTAssertLessThan(lastAnswer, finished)
                XCTAssertLessThan(finished, marked)
            }
            XCTAssertLessThan(marked, summary)
        }
        let encoder = JSONEncoder()
        var names: Set<String> = []
        for event in events {
            let json = String(decoding: try encoder.encode(event), as: UTF8.self)
            XCTAssertFalse(json.contains(Self.secret), "item contents leaked into \(event.name): \(json.prefix(300))")
            XCTAssertFalse(json.contains("test-secret"), "credentials leaked into \(event.name)")
            names.insert(event.name)
        }
        XCTAssertTrue(names.isSuperset(of: ["runStarted", "assetStarted", "tableLoaded", "batchSent", "batchAcknowledged",
                                            "batchErrored", "batchFailed", "tableFinished", "assetMarked", "rateChanged",
                                            "stateChanged", "summary"]), "\(names.sorted())")
        let summaryJSON = try JSONSerialization.jsonObject(with: encoder.encode(try XCTUnwrap(events.last))) as? [String: Any]
        XCTAssertEqual(summaryJSON?["event"] as? String, "summary")
        XCTAssertEqual(summaryJSON?["status"] as? String, "PARTIAL")
        let tables = summaryJSON?["tables"] as? [String: [String: Any]]
        for field in ["written", "failed", "rejected", "retries", "throttled"] {
            XCTAssertNotNil(tables?["earnings"]?[field], field)
        }
        let assets = summaryJSON?["assets"] as? [String: [String: Any]]
        XCTAssertEqual(assets?["IBM"]?["confirmed"] as? Bool, true)
        XCTAssertTrue(assets?["MSFT"]?.keys.contains("lastPollenationDate") ?? false, "present, null when absent")
    }
}

// MARK: - Event accessors

extension EngineEvent {
    var retry: RetryInfo? { if case .retryScheduled(let value) = body { return value }; return nil }
    var ack: BatchAck? { if case .batchAcknowledged(let value) = body { return value }; return nil }
    var throttled: BatchIssue? { if case .batchThrottled(let value) = body { return value }; return nil }
    var failure: BatchFailure? { if case .batchFailed(let value) = body { return value }; return nil }
    var mark: AssetMark? { if case .assetMarked(let value) = body { return value }; return nil }
    var load: TableLoad? { if case .tableLoaded(let value) = body { return value }; return nil }
    var runInfo: RunInfo? { if case .runStarted(let value) = body { return value }; return nil }
    var state: RunState? { if case .stateChanged(let value) = body { return value }; return nil }

    var symbol: String? {
        switch body {
        case .assetStarted(let symbol): return symbol
        case .tableLoaded(let value): return value.symbol
        case .batchSent(let value): return value.symbol
        case .batchAcknowledged(let value): return value.symbol
        case .batchThrottled(let value), .batchErrored(let value): return value.symbol
        case .retryScheduled(let value): return value.symbol
        case .batchFailed(let value): return value.symbol
        case .tableFinished(let value): return value.symbol
        case .assetMarked(let value): return value.symbol
        default: return nil
        }
    }

    var table: PollenTable? {
        switch body {
        case .tableLoaded(let value): return value.table
        case .batchSent(let value): return value.table
        case .batchAcknowledged(let value): return value.table
        case .batchThrottled(let value), .batchErrored(let value): return value.table
        case .retryScheduled(let value): return value.table
        case .batchFailed(let value): return value.table
        case .tableFinished(let value): return value.table
        default: return nil
        }
    }
}

extension BackfillEngineTests {
    /// Regression: `openJournal` blocked its cooperative thread on a semaphore until a `Task`
    /// appended the journal header, and that task needed a cooperative thread too: with as many
    /// runs starting at once as the pool has threads, none got past the header.
    func testRunsWithAJournalDoNotDeadlockTheCooperativePool() async throws {
        let directory = TemporaryDirectory()
        let done = Locked(0)
        let count = ProcessInfo.processInfo.activeProcessorCount
        for index in 0..<count {
            let journalPath = directory.url.appendingPathComponent("run\(index)/journal").path
            Task.detached {
                _ = await BackfillEngineTests.run(ScriptedDynamoDB(registered: ["IBM"]), journalPath: journalPath)
                done.update { $0 += 1 }
            }
        }
        let finished = await eventually(timeout: 20) { done.value == count }
        XCTAssertTrue(finished, "only \(done.value) of \(count) runs with a journal finished")
    }
}
