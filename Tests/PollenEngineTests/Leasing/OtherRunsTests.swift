import Foundation
import PollenDynamoDB
import PollenTestSupport
import XCTest
@testable import PollenEngine

/// The other runs a run has met, and how it finds them done: by reading again, at the local
/// DynamoDB, the rows it met them holding.
final class OtherRunsTests: XCTestCase {
    nonisolated(unsafe) static var server: LocalDynamoDB!
    var client: DynamoDBClient!
    var table = ""
    let clock = ManualClock(start: 0)
    let symbols = (0..<10).map { "S\($0)" }

    override class func setUp() {
        server = try! LocalDynamoDB()
    }

    override class func tearDown() {
        server.stop()
    }

    override func setUp() async throws {
        (client, table) = try await AssetLeasesTests.assetsTable(at: Self.server, symbols: symbols)
    }

    private func leases(_ run: String, tableName: String? = nil) -> AssetLeases {
        AssetLeases(client: client, tableName: tableName ?? table, runId: run, host: "host-\(run)",
                    startedAt: "2026-01-01T00:00:00Z", duration: 60, skewAllowance: 30,
                    retrying: Retrying(clock: clock), clock: clock)
    }

    /// `run` takes the earnings lease of each of `symbols`, and `otherRuns` meets it holding them.
    private func meet(_ run: String, holding symbols: [String], in otherRuns: OtherRuns) async throws -> AssetLeases {
        let theirs = leases(run)
        for symbol in symbols {
            guard case .taken = try await theirs.acquire(symbol, tables: [.earnings]) else {
                throw SetupFailed(what: "\(run) could not take \(symbol)")
            }
            guard case .heldByOther(let holder) = try await leases("run-a").acquire(symbol, tables: [.earnings]) else {
                throw SetupFailed(what: "run-a took \(symbol)")
            }
            otherRuns.met(holder.runId, holding: symbol)
        }
        return theirs
    }

    private struct SetupFailed: Error {
        var what: String
    }

    private func getItems() async throws -> Int {
        let stats = try await Self.server.stats()
        return (stats["requestsByOperation"] as? [String: Any])?["GetItem"] as? Int ?? 0
    }

    func testARunIsDoneWhenItHoldsNoneOfTheRowsItWasMetHolding() async throws {
        let told = Locked<[Int]>([])
        let otherRuns = OtherRuns { count in told.update { $0.append(count) } }
        let b = try await meet("run-b", holding: ["S0", "S1"], in: otherRuns)
        let c = try await meet("run-c", holding: ["S2"], in: otherRuns)
        XCTAssertEqual(told.value, [1, 2], "each new run told once")
        let mine = leases("run-a")

        await otherRuns.lookForDone(using: mine)
        XCTAssertEqual(otherRuns.count, 2, "both still hold their rows")

        await b.release("S1", tables: [.earnings])
        await otherRuns.lookForDone(using: mine)
        XCTAssertEqual(otherRuns.count, 2, "run-b still holds S0")

        await c.release("S2", tables: [.earnings])
        await otherRuns.lookForDone(using: mine)
        XCTAssertEqual(otherRuns.count, 1, "run-c holds nothing now")

        await b.release("S0", tables: [.earnings])
        await otherRuns.lookForDone(using: mine)
        XCTAssertEqual(otherRuns.count, 0)
        XCTAssertEqual(told.value, [1, 2, 1, 0])

        _ = try await meet("run-b", holding: ["S3"], in: otherRuns)
        XCTAssertEqual(told.value, [1, 2, 1, 0, 1], "a run met again is counted again")
    }

    /// A crashed run's leases run out: past the expiry and the skew allowance it is done; within
    /// them it may be a live run whose clock is behind.
    func testARunWhoseLeasesRanOutIsDone() async throws {
        let otherRuns = OtherRuns { _ in }
        _ = try await meet("run-b", holding: ["S0"], in: otherRuns)
        clock.advance(by: 60 + 29)
        await otherRuns.lookForDone(using: leases("run-a"))
        XCTAssertEqual(otherRuns.count, 1, "within the skew allowance")
        clock.advance(by: 2)
        await otherRuns.lookForDone(using: leases("run-a"))
        XCTAssertEqual(otherRuns.count, 0)
    }

    /// Newest rows first, a few at a time: a run at work is known to be so from its newest row,
    /// without reading every row it was ever met holding.
    func testALookStopsAtTheFirstReadsThatFindTheRunAtWork() async throws {
        let otherRuns = OtherRuns { _ in }
        _ = try await meet("run-b", holding: symbols, in: otherRuns)
        let before = try await getItems()
        await otherRuns.lookForDone(using: leases("run-a"))
        let reads = try await getItems() - before
        XCTAssertEqual(reads, OtherRuns.readsAtOnce, "one round of reads of \(symbols.count) rows")
        XCTAssertEqual(otherRuns.count, 1)
    }

    /// A run known only from a note it left in one of this run's leases counts (nothing to read
    /// for it) until met holding a row, and then is done when it holds none.
    func testARunKnownFromANoteCountsUntilFoundDoneByARow() async throws {
        let told = Locked<[Int]>([])
        let otherRuns = OtherRuns { count in told.update { $0.append(count) } }
        otherRuns.met("run-b", holding: nil)
        let before = try await getItems()
        await otherRuns.lookForDone(using: leases("run-a"))
        let reads = try await getItems() - before
        XCTAssertEqual(reads, 0)
        XCTAssertEqual(otherRuns.count, 1)
        let b = try await meet("run-b", holding: ["S0"], in: otherRuns)
        XCTAssertEqual(told.value, [1], "the same run")
        await b.release("S0", tables: [.earnings])
        await otherRuns.lookForDone(using: leases("run-a"))
        XCTAssertEqual(otherRuns.count, 0)
    }

    /// A run that said it is done is no longer counted, nor counted again when a note or a row
    /// of it is read later (a stale one, from a lease it gave up since).
    func testARunThatSaidItIsDoneIsNeverCountedAgain() async throws {
        let told = Locked<[Int]>([])
        let otherRuns = OtherRuns { count in told.update { $0.append(count) } }
        otherRuns.met("run-b", holding: "S0")
        otherRuns.met("run-c", holding: "S1")
        otherRuns.done(["run-b", "run-d"])
        XCTAssertEqual(otherRuns.count, 1)
        otherRuns.met("run-b", holding: nil)
        otherRuns.met("run-b", holding: "S2")
        XCTAssertEqual(otherRuns.count, 1)
        XCTAssertEqual(told.value, [1, 2, 1])
    }

    /// Done, a run tells each run it met in every one of the newest rows it was met holding that
    /// it still holds; the run reads the notes in its own rows.
    func testADoneRunTellsEachRunItMetInARowItStillHolds() async throws {
        let otherRuns = OtherRuns { _ in }
        let b = try await meet("run-b", holding: ["S0", "S1", "S2"], in: otherRuns)
        _ = try await meet("run-c", holding: ["S3"], in: otherRuns)
        await b.release("S2", tables: [.earnings])
        await otherRuns.tellDone(using: leases("run-a"))
        func notes(_ symbol: String) throws -> [String] {
            try AssetLeasesTests.notes(symbol, kind: "done", table: table, server: Self.server)
        }
        XCTAssertEqual(try notes("S2"), [], "given up: nothing to note in")
        XCTAssertEqual(try notes("S1"), ["done:run-a"])
        XCTAssertEqual(try notes("S0"), ["done:run-a"])
        XCTAssertEqual(try notes("S3"), ["done:run-a"])

        let bsView = OtherRuns { _ in }
        bsView.met("run-a", holding: "S9")
        bsView.met("run-c", holding: "S8")
        let read = await b.notesToThisRun(in: "S1")
        XCTAssertEqual(read[.done], ["run-a"])
        bsView.read(read)
        XCTAssertEqual(bsView.count, 1, "run-a is done, run-c is not")
        bsView.read([.contender: ["run-e"]])
        XCTAssertEqual(bsView.count, 2, "a run refused a lease shares the selection")
        let unreadable = await leases("run-b", tableName: "noSuchTable").notesToThisRun(in: "S1")
        XCTAssertEqual(unreadable, [:])
    }

    /// A row that cannot be read counts as still held: a wrong guess errs towards sharing.
    func testARowThatCannotBeReadCountsAsHeld() async throws {
        let otherRuns = OtherRuns { _ in }
        let b = try await meet("run-b", holding: ["S0"], in: otherRuns)
        await b.release("S0", tables: [.earnings])
        await otherRuns.lookForDone(using: leases("run-a", tableName: "noSuchTable"))
        XCTAssertEqual(otherRuns.count, 1)
        await otherRuns.lookForDone(using: leases("run-a"))
        XCTAssertEqual(otherRuns.count, 0)
    }
}
