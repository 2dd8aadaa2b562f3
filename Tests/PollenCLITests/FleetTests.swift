import Foundation
import PollenTestSupport
import XCTest

/// Several runs over one selection, as several operators or machines start them: the asset
/// leases in the `assets` table share the work so that each asset is written by one run, and a
/// run killed mid-way leaves its assets to the others once its leases run out.
final class FleetTests: XCTestCase {
    /// Every asset row: status, date, and the run of any lease still on it.
    static let rowsSnippet = """
        rows = {}
        kwargs = {"TableName": args, "ConsistentRead": True}
        while True:
            page = ddb.scan(**kwargs)
            for item in page["Items"]:
                rows[item["symbol"]["S"]] = {
                    "status": item.get("pollenationStatus", {}).get("S"),
                    "date": item.get("lastPollenationDate", {}).get("S"),
                    "lease": next((v["M"]["runId"]["S"] for k, v in item.items() if k.startswith("lease")), None),
                }
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        emit(rows)
        """

    private func rows(_ harness: BackfillHarness) throws -> [String: [String: Any]] {
        try XCTUnwrap(try Boto3.run(Self.rowsSnippet, endpoint: harness.server.endpoint, args: harness.prefix + "assets")
            as? [String: [String: Any]])
    }

    private func report(_ directory: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/report.json")))
            as? [String: Any])
    }

    func testThreeRunsOnOneSelectionWriteEachAssetOnce() async throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 60)
        try harness.register(symbols)
        try await harness.server.setFaults(["latency_ms": 5])
        let before = try await harness.server.stats()
        let directories = (1...3).map { harness.runsDirectory + "/run\($0)" }
        let processes = try harness.startPollenTogether(directories.map { directory in
            ["backfill", "--source", harness.sourceDirectory, "--all-assets", "--ui", "json", "--run-dir", directory,
             "--concurrency", "4"]
        })
        for process in processes { process.waitUntilExit() }
        XCTAssertEqual(processes.map(\.terminationStatus), [0, 0, 0])

        // Each asset is one run's: written and marked by it, and left by the other two.
        var owners: [String: Int] = [:]
        for (index, directory) in directories.enumerated() {
            let report = try report(directory)
            let assets = try XCTUnwrap(report["assets"] as? [String: [String: Any]])
            let held = report["heldByOtherRuns"] as? [String: [String: Any]] ?? [:]
            XCTAssertEqual(Set(assets.keys).union(held.keys), Set(symbols), "run \(index + 1) accounts for every asset")
            XCTAssertTrue(Set(assets.keys).isDisjoint(with: held.keys))
            for (symbol, asset) in assets {
                XCTAssertNil(owners[symbol], "\(symbol) written by two runs")
                owners[symbol] = index
                XCTAssertEqual(asset["status"] as? String, "COMPLETE", symbol)
                XCTAssertEqual(asset["confirmed"] as? Bool, true, symbol)
            }
            for (symbol, entry) in held {
                // Met while another run wrote it, or found written by one since this run started.
                let reason = entry["reason"] as? String ?? ""
                XCTAssertTrue(reason.hasPrefix("held by run ") || reason.hasPrefix("written by another run since this one started"),
                              "\(symbol): \(entry)")
            }
        }
        XCTAssertEqual(Set(owners.keys), Set(symbols))
        XCTAssertGreaterThan(Set(owners.values).count, 1, "the work was shared: \(owners)")
        // A run refused a lease on its first assets is still in its slow start (it ends at the warm
        // throughput, seconds of doubling away): its tables' rates took their share of it.
        let sharedTheirSlowStart = try directories.filter { directory in
            let events = try String(contentsOfFile: directory + "/events.jsonl", encoding: .utf8).split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            guard let met = events.firstIndex(where: { $0["event"] as? String == "leaseMet" }) else { return false }
            return events[met...].contains { event in
                event["event"] as? String == "rateChanged" && event["reason"] as? String == "slow start"
                    && (event["unitsPerSecond"] as? Double ?? .infinity) < 500
            }
        }
        XCTAssertFalse(sharedTheirSlowStart.isEmpty, "a run that met another's lease took a share of the slow start")

        let rows = try rows(harness)
        for symbol in symbols {
            let row = try XCTUnwrap(rows[symbol])
            XCTAssertEqual(row["status"] as? String, "COMPLETE", symbol)
            XCTAssertTrue(row["date"] is String, symbol)
            XCTAssertTrue(row["lease"] is NSNull || row["lease"] == nil, "\(symbol): its lease was given up with the mark")
        }
        // The server's own counters: every item key written exactly once.
        let after = try await harness.server.stats()
        for table in ["companyOverview", "earnings", "cashFlow", "balanceSheet", "incomeStatement"] {
            let name = harness.prefix + table
            let twice = (after["keysWrittenMoreThanOnce"] as? [String: Int])?[name] ?? 0
            let distinct = (after["distinctKeysWritten"] as? [String: Int])?[name] ?? 0
            let earlier = (before["distinctKeysWritten"] as? [String: Int])?[name] ?? 0
            XCTAssertEqual(twice, 0, "\(table): keys written more than once")
            XCTAssertEqual(distinct - earlier, try harness.dump(table).count, table)
        }
    }

    func testARunKilledMidWayLeavesItsAssetsToTheOthersOnceItsLeasesRunOut() async throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 12)
        try harness.register(symbols)
        try await harness.server.setFaults(["latency_ms": 30])
        // Three runs together, short leases; the first is killed once it has written some of its assets.
        let directories = (0..<3).map { harness.runsDirectory + "/run\($0)" }
        let processes = try harness.startPollenTogether(directories.map { directory in
            ["backfill", "--source", harness.sourceDirectory, "--all-assets", "--ui", "json", "--run-dir", directory,
             "--concurrency", "4", "--wait-for-leases", "--lease-seconds", "2", "--lease-clock-skew", "1"]
        })
        let victim = processes[0]
        harness.waitForAcknowledgements(in: directories[0] + "/journal", moreThan: 2, of: victim)
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        XCTAssertEqual(victim.terminationReason, .uncaughtSignal, "killed mid-run")
        let survivors = Array(processes.dropFirst())
        for process in survivors { process.waitUntilExit() }
        XCTAssertEqual(survivors.map(\.terminationStatus), [0, 0])
        var tookOver = 0
        for directory in directories.dropFirst() {
            let events = try String(contentsOfFile: directory + "/events.jsonl", encoding: .utf8)
            tookOver += events.components(separatedBy: #""takenOver":true"#).count - 1
        }
        XCTAssertGreaterThanOrEqual(tookOver, 1, "a lapsed lease of the killed run was taken over")

        let rows = try rows(harness)
        for symbol in symbols {
            XCTAssertEqual(rows[symbol]?["status"] as? String, "COMPLETE", symbol)
            XCTAssertFalse(rows[symbol]?["lease"] is String, "\(symbol) still leased")
        }
        // Nothing lost, nothing different: the tables hold what one clean run writes.
        let reference = try BackfillHarness(server: harness.server)
        try reference.register(symbols)
        try reference.check(reference.pollen(["backfill", "--source", harness.sourceDirectory, "--all-assets", "--ui", "json",
                                              "--run-dir", reference.runsDirectory + "/clean"]))
        for table in ["companyOverview", "earnings", "cashFlow", "balanceSheet", "incomeStatement"] {
            let fleet = try harness.dump(table), clean = try reference.dump(table)
            XCTAssertEqual(fleet.count, clean.count, table)
            XCTAssertEqual(fleet as NSDictionary, clean as NSDictionary, "\(table): the same content")
        }
    }

    /// `pollen runs` lists a killed run that still holds leases; `pollen runs release` frees them
    /// (asking first: without a terminal it needs --yes).
    func testRunsListsARunHoldingLeasesAndReleaseFreesThem() throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 6)
        try harness.register(symbols)
        let directory = harness.runsDirectory + "/dead"
        let victim = try harness.startPollen(["backfill", "--source", harness.sourceDirectory, "--all-assets", "--ui", "json",
                                              "--run-dir", directory, "--concurrency", "2"])
        harness.waitForAcknowledgements(in: directory + "/journal", moreThan: 1, of: victim)
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        let runId = try XCTUnwrap(try String(contentsOfFile: directory + "/events.jsonl", encoding: .utf8)
            .split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .first { $0["event"] as? String == "runStarted" }?["runId"] as? String)

        let listed = try harness.pollen(["runs"])
        XCTAssertEqual(listed.exitCode, 0, listed.output)
        XCTAssertTrue(listed.stdout.contains(runId), listed.stdout)
        let json = try harness.pollen(["runs", "list", "--json"])
        let run = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(run["runId"] as? String, runId)
        let held = try XCTUnwrap(run["assets"] as? [String])
        XCTAssertFalse(held.isEmpty)

        let unconfirmed = try harness.pollen(["runs", "release", runId])
        XCTAssertEqual(unconfirmed.exitCode, 1, "without a terminal to ask on, it needs --yes")
        XCTAssertTrue(unconfirmed.stderr.contains("--yes"), unconfirmed.stderr)
        let released = try harness.pollen(["runs", "release", runId, "--yes"])
        XCTAssertEqual(released.exitCode, 0, released.output)
        XCTAssertTrue(released.stdout.contains("released the leases of \(held.count) assets of run \(runId)"), released.stdout)
        XCTAssertTrue(try harness.pollen(["runs"]).stdout.contains("No run holds a lease."))
        XCTAssertTrue(try rows(harness).values.allSatisfy { !($0["lease"] is String) })
        XCTAssertEqual(try harness.pollen(["runs", "release", runId, "--yes"]).exitCode, 1, "nothing left to release")
    }
}
