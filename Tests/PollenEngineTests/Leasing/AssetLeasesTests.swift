import Foundation
import PollenAWS
import PollenDynamoDB
import PollenHTTP
import PollenTestSupport
import XCTest
@testable import PollenEngine

/// Per-(asset, table) leases against the local DynamoDB over HTTP (its conditional writes are
/// the lock), each run on a clock of its own so expiry and clock skew test in milliseconds, and
/// the rows read back with boto3.
final class AssetLeasesTests: XCTestCase {
    nonisolated(unsafe) static var server: LocalDynamoDB!
    var client: DynamoDBClient!
    var table = ""
    let both: [PollenTable] = [.earnings, .cashFlow]

    override class func setUp() {
        server = try! LocalDynamoDB()
    }

    override class func tearDown() {
        server.stop()
    }

    override func setUp() async throws {
        (client, table) = try await Self.assetsTable(at: Self.server, symbols: ["IBM", "MSFT"])
    }

    /// A client of `server` and a new `assets` table in it with a row for each of `symbols`.
    static func assetsTable(at server: LocalDynamoDB, symbols: [String]) async throws -> (DynamoDBClient, String) {
        let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDPOLLENTEST", secretAccessKey: "pollen-test-secret"),
                                   region: "us-east-1", endpoint: URL(string: server.endpoint)!)
        let client = DynamoDBClient(settings: settings, transport: CurlTransport())
        let table = "assets\(UUID().uuidString.prefix(8))"
        _ = try await client.createTable(CreateTableInput(
            tableName: table, keySchema: [KeySchemaElement(attributeName: "symbol", keyType: .hash)],
            attributeDefinitions: [AttributeDefinition(attributeName: "symbol", attributeType: .string)],
            billingMode: .payPerRequest))
        for symbol in symbols {
            _ = try await client.putItem(PutItemInput(tableName: table, item: ["symbol": .s(symbol)]))
        }
        return (client, table)
    }

    private func leases(_ run: String, host: String = "host-a", clock: ManualClock,
                        startedAt: String = "2026-01-01T00:00:00Z") -> AssetLeases {
        AssetLeases(client: client, tableName: table, runId: run, host: host, startedAt: startedAt, duration: 60,
                    skewAllowance: 30, retrying: Retrying(clock: clock), clock: clock)
    }

    /// The run holding each table's lease in the row, read with boto3.
    private func holders(_ symbol: String) throws -> [String: String] {
        try XCTUnwrap(try Boto3.run("""
            item = ddb.get_item(TableName=args["table"], Key={"symbol": {"S": args["symbol"]}}, ConsistentRead=True)["Item"]
            emit({k: v["M"]["runId"]["S"] + "@" + v["M"]["host"]["S"] for k, v in item.items() if k.startswith("lease")})
            """, endpoint: Self.server.endpoint, args: ["table": table, "symbol": symbol]) as? [String: String])
    }

    /// The server's count of one operation's requests.
    private func requests(_ operation: String) async throws -> Int {
        let stats = try await Self.server.stats()
        return (stats["requestsByOperation"] as? [String: Any])?[operation] as? Int ?? 0
    }

    func testALeaseIsTakenOrRefusedInOneUpdateWithoutReadingTheRow() async throws {
        let clock = ManualClock(start: 0)
        let mine = leases("run-a", clock: clock), theirs = leases("run-b", host: "host-b", clock: clock)
        let (reads, updates) = (try await requests("GetItem"), try await requests("UpdateItem"))
        let taken = try await mine.acquire("MSFT", tables: both)
        XCTAssertEqual(taken, .taken(tables: both, lapsed: []))
        let (readsAfter, updatesAfter) = (try await requests("GetItem"), try await requests("UpdateItem"))
        XCTAssertEqual(readsAfter - reads, 0, "a free asset: no read")
        XCTAssertEqual(updatesAfter - updates, 1, "one conditional update")
        guard case .heldByOther(let holder) = try await theirs.acquire("MSFT", tables: both) else { return XCTFail("not held") }
        XCTAssertEqual(holder.runId, "run-a", "the refused update answered the row as it was")
        let (readsAtLast, updatesAtLast) = (try await requests("GetItem"), try await requests("UpdateItem"))
        XCTAssertEqual(readsAtLast - readsAfter, 0, "refused: still no read")
        XCTAssertEqual(updatesAtLast - updatesAfter, 2, "the refused update, and the note of it to the holder")
    }

    func testALiveLeaseIsHeldTheHolderRenewsAndAReleasedOneIsFree() async throws {
        let clock = ManualClock(start: 0)
        let mine = leases("run-a", clock: clock), theirs = leases("run-b", host: "host-b", clock: clock)
        let taken = try await mine.acquire("IBM", tables: both)
        XCTAssertEqual(taken, .taken(tables: both, lapsed: []))
        XCTAssertEqual(try holders("IBM"), ["leaseEarnings": "run-a@host-a", "leaseCashFlow": "run-a@host-a"])
        guard case .heldByOther(let holder) = try await theirs.acquire("IBM", tables: [.cashFlow, .balanceSheet]) else {
            return XCTFail("run-b took a table of a live lease")
        }
        XCTAssertEqual(holder.runId, "run-a")
        XCTAssertTrue(holder.description.hasPrefix("held by run run-a on host host-a until "), holder.description)
        let otherTables = try await theirs.acquire("IBM", tables: [.balanceSheet, .incomeStatement])
        XCTAssertEqual(otherTables, .taken(tables: [.balanceSheet, .incomeStatement], lapsed: []),
                       "other tables of the same asset are free: two runs write them side by side")

        clock.advance(by: 50)
        let renewed = await mine.renew("IBM", tables: both)
        XCTAssertTrue(renewed)
        clock.advance(by: 50)  // 100 s after taking it: live only because it was renewed at 50 s
        guard case .heldByOther = try await theirs.acquire("IBM", tables: both) else { return XCTFail("a renewed lease was taken") }
        let renewedByOther = await theirs.renew("IBM", tables: both)
        XCTAssertFalse(renewedByOther, "only the holder renews")

        await mine.release("IBM", tables: both)
        XCTAssertEqual(try holders("IBM"), ["leaseBalanceSheet": "run-b@host-b", "leaseIncomeStatement": "run-b@host-b"])
        let afterRelease = try await theirs.acquire("IBM", tables: both)
        XCTAssertEqual(afterRelease, .taken(tables: both, lapsed: []))
    }

    func testALapsedLeaseIsTakenOverOnlyAfterTheClockSkewAllowance() async throws {
        let clock = ManualClock(start: 0)
        let crashed = leases("run-dead", clock: clock), rescuer = leases("run-b", clock: clock)
        _ = try await crashed.acquire("IBM", tables: both)
        clock.advance(by: 60 + 29)  // run out, but within the skew allowance: the holder's clock may be behind
        guard case .heldByOther = try await rescuer.acquire("IBM", tables: both) else {
            return XCTFail("taken within the skew allowance")
        }
        clock.advance(by: 2)
        guard case .taken(let tables, let lapsed) = try await rescuer.acquire("IBM", tables: both) else {
            return XCTFail("a lapsed lease was not taken over")
        }
        XCTAssertEqual(tables, both)
        XCTAssertEqual(lapsed.map(\.runId), ["run-dead"])
        XCTAssertEqual(try holders("IBM"), ["leaseEarnings": "run-b@host-a", "leaseCashFlow": "run-b@host-a"])
        let renewedAfterTakeover = await crashed.renew("IBM", tables: both)
        XCTAssertFalse(renewedAfterTakeover, "the crashed run no longer holds it")
        await crashed.release("IBM", tables: both)
        XCTAssertEqual(try holders("IBM").count, 2, "a release never frees another run's lease")
    }

    func testAResumeTakesBackItsOwnLeaseAndAnUnregisteredAssetHasNone() async throws {
        let clock = ManualClock(start: 0)
        _ = try await leases("run-a", clock: clock).acquire("IBM", tables: both)
        // The resumed run (same run id, maybe another host) takes its leases back at once.
        let takenBack = try await leases("run-a", host: "host-c", clock: clock).acquire("IBM", tables: both)
        XCTAssertEqual(takenBack, .taken(tables: both, lapsed: []))
        XCTAssertEqual(try holders("IBM")["leaseEarnings"], "run-a@host-c")
        let unregistered = try await leases("run-a", clock: clock).acquire("NOPE", tables: both)
        XCTAssertEqual(unregistered, .notRegistered)
    }

    func testARerunTakesOnTheLeasesOfTheRunItRepeatsAndOnlyThose() async throws {
        let clock = ManualClock(start: 0)
        _ = try await leases("run-a", clock: clock).acquire("IBM", tables: both)
        _ = try await leases("run-b", clock: clock).acquire("MSFT", tables: both)
        // run-a finished, its leases left behind (their release failed); its re-run is run-c.
        let rerun = AssetLeases(client: client, tableName: table, runId: "run-c", host: "host-c", startedAt: "2026-01-01T00:00:00Z",
                                predecessors: ["run-a"], duration: 60, skewAllowance: 30, retrying: Retrying(clock: clock), clock: clock)
        let taken = try await rerun.acquire("IBM", tables: both)
        XCTAssertEqual(taken, .taken(tables: both, lapsed: []), "the predecessor's live lease is the re-run's own, not a crashed run's")
        XCTAssertEqual(try holders("IBM")["leaseEarnings"], "run-c@host-c")
        guard case .heldByOther(let holder) = try await rerun.acquire("MSFT", tables: both) else { return XCTFail("taken") }
        XCTAssertEqual(holder.runId, "run-b", "another run's live lease still holds")
    }

    func testTheMarkGivesUpTheLeasesAndTablesMarkedSinceARunStartedAreDone() async throws {
        let clock = ManualClock(start: 0)
        let marker = AssetMarker(client: client, tableName: table, retrying: Retrying(clock: clock), clock: clock)
        _ = try await leases("run-a", clock: clock).acquire("IBM", tables: both)
        let mark = await marker.mark(symbol: "IBM", states: [.earnings: .ok, .cashFlow: .ok], wroteAnything: true,
                                     releasingLeaseOf: "run-a")
        XCTAssertTrue(mark.confirmed, String(describing: mark.error))
        XCTAssertEqual(try holders("IBM"), [:], "released with the mark")

        // A run that started before that mark finds those tables done; one that started after writes them again.
        let started = Timestamp.iso8601(clock.date().addingTimeInterval(-60))
        let earlier = try await leases("run-b", clock: clock, startedAt: started).acquire("IBM", tables: both)
        guard case .doneByOthers = earlier else { return XCTFail("\(earlier)") }
        let partly = try await leases("run-b", clock: clock, startedAt: started).acquire("IBM", tables: [.earnings, .balanceSheet])
        XCTAssertEqual(partly, .taken(tables: [.balanceSheet], lapsed: []), "only the table not done is taken")
        let later = Timestamp.iso8601(clock.date().addingTimeInterval(60))
        let fresh = try await leases("run-c", clock: clock, startedAt: later).acquire("IBM", tables: [.earnings])
        XCTAssertEqual(fresh, .taken(tables: [.earnings], lapsed: []))

        // A mark never gives up another run's lease.
        _ = try await leases("run-b", clock: clock).acquire("MSFT", tables: both)
        let other = await marker.mark(symbol: "MSFT", states: [.earnings: .ok], wroteAnything: true, releasingLeaseOf: "run-a")
        XCTAssertTrue(other.confirmed, String(describing: other.error))
        XCTAssertEqual(try holders("MSFT").count, 2, "run-b's leases stay")
    }

    /// A run refused a lease notes so in it (a few times per holder); the holder's lease still holds
    /// and renews, and its mark reads the note (the first it learns of that run) and gives it up
    /// with the lease.
    func testARefusedRunNotesItselfInTheLeaseAndTheHoldersMarkReadsIt() async throws {
        let clock = ManualClock(start: 0)
        let mine = leases("run-a", clock: clock), theirs = leases("run-b", host: "host-b", clock: clock)
        _ = try await mine.acquire("IBM", tables: both)
        _ = try await mine.acquire("MSFT", tables: both)
        let updates = try await requests("UpdateItem")
        for symbol in ["IBM", "MSFT", "IBM", "MSFT"] {
            guard case .heldByOther = try await theirs.acquire(symbol, tables: both) else { return XCTFail("taken") }
        }
        let updatesAfter = try await requests("UpdateItem")
        XCTAssertEqual(updatesAfter - updates, 4 + AssetLeases.contentionNotes, "four refused takes, and notes up to the most")
        XCTAssertEqual(try notes("IBM"), ["contender:run-b"])
        XCTAssertEqual(try notes("MSFT"), ["contender:run-b"])
        let renewed = await mine.renew("IBM", tables: both)
        XCTAssertTrue(renewed)
        XCTAssertEqual(try holders("IBM"), ["leaseEarnings": "run-a@host-a", "leaseCashFlow": "run-a@host-a"])

        let (marker, told) = markerReadingNotes(clock: clock)
        let mark = await marker.mark(symbol: "IBM", states: [.earnings: .ok, .cashFlow: .ok], wroteAnything: true,
                                     releasingLeaseOf: "run-a")
        XCTAssertTrue(mark.confirmed, String(describing: mark.error))
        XCTAssertEqual(told.value, ["contender run-b"])
        XCTAssertEqual(try notes("IBM"), [], "gone with the lease")
        let other = await marker.mark(symbol: "MSFT", states: [.earnings: .ok, .cashFlow: .ok], wroteAnything: true,
                                      releasingLeaseOf: "run-a")
        XCTAssertTrue(other.confirmed, String(describing: other.error))
        XCTAssertEqual(told.value, ["contender run-b", "contender run-b"])
        let third = await marker.mark(symbol: "IBM", states: [.earnings: .ok], wroteAnything: true, releasingLeaseOf: "run-a")
        XCTAssertTrue(third.confirmed, String(describing: third.error))
        XCTAssertEqual(told.value.count, 2, "no lease of run-a's there now, so no note")
    }

    /// A run that is done notes so in a live lease of a run it met; where that run holds none, it
    /// cannot. The holder's mark reads the note.
    func testADoneRunNotesSoInALeaseTheOtherRunStillHolds() async throws {
        let clock = ManualClock(start: 0)
        let squeezed = leases("run-a", clock: clock), finished = leases("run-b", host: "host-b", clock: clock)
        _ = try await squeezed.acquire("IBM", tables: both)
        let noneThere = await finished.noteDone(to: "run-a", in: "MSFT")
        XCTAssertFalse(noneThere, "run-a holds nothing in MSFT")
        let noted = await finished.noteDone(to: "run-a", in: "IBM")
        XCTAssertTrue(noted)
        XCTAssertEqual(try notes("IBM", kind: "done"), ["done:run-b"])
        let (marker, told) = markerReadingNotes(clock: clock)
        let mark = await marker.mark(symbol: "IBM", states: [.earnings: .ok, .cashFlow: .ok], wroteAnything: true,
                                     releasingLeaseOf: "run-a")
        XCTAssertTrue(mark.confirmed, String(describing: mark.error))
        XCTAssertEqual(told.value, ["done run-b"])
        let afterRelease = await finished.noteDone(to: "run-a", in: "IBM")
        XCTAssertFalse(afterRelease, "the lease went with the mark")
    }

    /// A marker, and what it was told of the notes it read (`kind run`, in order).
    private func markerReadingNotes(clock: ManualClock) -> (AssetMarker, Locked<[String]>) {
        let told = Locked<[String]>([])
        let marker = AssetMarker(client: client, tableName: table, retrying: Retrying(clock: clock), clock: clock) { kind, runs in
            told.update { $0 += runs.map { "\(kind.rawValue) \($0)" } }
        }
        return (marker, told)
    }

    /// The notes of one kind (`contender`, `done`) in `symbol`'s leases, read with boto3.
    func notes(_ symbol: String, kind: String = "contender") throws -> [String] {
        try Self.notes(symbol, kind: kind, table: table, server: Self.server)
    }

    static func notes(_ symbol: String, kind: String, table: String, server: LocalDynamoDB) throws -> [String] {
        try XCTUnwrap(try Boto3.run("""
            item = ddb.get_item(TableName=args["table"], Key={"symbol": {"S": args["symbol"]}}, ConsistentRead=True)["Item"]
            emit(sorted(n for k, v in item.items() if k.startswith("lease") for n in v["M"] if n.startswith(args["kind"] + ":")))
            """, endpoint: server.endpoint, args: ["table": table, "symbol": symbol, "kind": kind]) as? [String])
    }

    func testRunsAreListedFromTheirLeasesAndADeadRunsAreReleased() async throws {
        let clock = ManualClock(start: 0)
        _ = try await leases("run-a", clock: clock).acquire("IBM", tables: both)
        _ = try await leases("run-a", clock: clock).acquire("MSFT", tables: [.earnings])
        let registry = AssetRegistry(client: client, tableName: table, retrying: Retrying(clock: clock))
        let runs = try await registry.leasingRuns()
        XCTAssertEqual(runs.map(\.runId), ["run-a"])
        XCTAssertEqual(runs.first?.assets.sorted(), ["IBM", "MSFT"])
        XCTAssertEqual(runs.first?.host, "host-a")
        let released = try await registry.releaseLeases(of: "run-a")
        XCTAssertEqual(released.sorted(), ["IBM", "MSFT"])
        let afterRelease = try await registry.leasingRuns()
        XCTAssertEqual(afterRelease, [])
    }
}
