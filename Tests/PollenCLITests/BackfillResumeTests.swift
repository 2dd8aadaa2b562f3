import Foundation
import PollenTestSupport
import XCTest

/// A run killed with SIGKILL at several points and resumed from its journal ends with the
/// same tables as a run that was never interrupted.
final class BackfillResumeTests: XCTestCase {
    static let tables = ["companyOverview", "earnings", "cashFlow", "balanceSheet", "incomeStatement"]

    func dumpAll(_ harness: BackfillHarness) throws -> [String: [String: [String: Any]]] {
        try Dictionary(uniqueKeysWithValues: Self.tables.map { ($0, try harness.dump($0)) })
    }

    func testOneRunKilledAtTenRandomPointsAndResumedEachTimeEndsWithTheSameTables() async throws {
        let reference = try BackfillHarness()
        let symbols = try reference.sampleData(assets: 10)
        try reference.register(symbols)
        XCTAssertEqual(try reference.backfill().exitCode, 0)
        let expected = try dumpAll(reference)
        try await reference.server.setFaults(["latency_ms": 20])

        let harness = try BackfillHarness(server: reference.server)
        XCTAssertEqual(try harness.sampleData(assets: 10), symbols)
        try harness.register(symbols)
        let runDirectory = harness.runsDirectory + "/killed"
        let journal = runDirectory + "/journal"
        func acks() -> Int { BackfillHarness.acknowledgements(in: journal) }
        let random = SeededRandom(seed: 42)
        var process = try harness.startPollen(["backfill", "--source", harness.sourceDirectory, "--ui", "plain",
                                               "--run-dir", runDirectory, "--concurrency", "2"])
        var kills = 0
        while kills < 10 {
            let target = acks() + 1 + Int(random.nextUnit() * 4)
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && acks() < target && process.isRunning { usleep(1_000) }
            guard process.isRunning else { break }
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning { usleep(5_000) }
            kills += 1
            process = try harness.startPollen(["backfill", "--resume", journal, "--ui", "plain", "--concurrency", "2"])
        }
        while process.isRunning { usleep(10_000) }
        XCTAssertEqual(kills, 10, "the run finished before it was killed ten times")
        XCTAssertEqual(process.terminationStatus, 0, "the last resume completes the run")

        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            runDirectory + "/report.json"))) as? [String: Any])
        XCTAssertEqual(report["resumedFrom"] as? String, journal)
        let assets = try XCTUnwrap(report["assets"] as? [String: [String: Any]])
        let alreadyWritten = assets.values.flatMap { ($0["tables"] as? [String: [String: Any]] ?? [:]).values }
            .reduce(0) { $0 + ($1["alreadyWritten"] as? Int ?? 0) }
        XCTAssertGreaterThan(alreadyWritten, 0, "acknowledged items were not sent again")
        let actual = try dumpAll(harness)
        for table in Self.tables {
            XCTAssertEqual(NSDictionary(dictionary: actual[table]!), NSDictionary(dictionary: expected[table]!), table)
        }
        for symbol in symbols {
            XCTAssertEqual((try harness.assetRow(symbol)?["pollenationStatus"] as? [String: String])?["S"], "COMPLETE")
        }
    }
}

/// Ctrl-C: the first stops taking new batches, lets the ones in flight finish, prints the
/// summary and exits 130; the journal keeps the run resumable.
final class BackfillInterruptTests: XCTestCase {
    /// A journal resumed against another table prefix or endpoint is refused with one sentence,
    /// before anything is written (it used to skip the keys acknowledged elsewhere and say COMPLETE).
    func testResumingIntoAnotherTargetIsRefused() throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 2)
        try harness.register(symbols)
        let first = try harness.backfill()
        XCTAssertEqual(first.exitCode, 0, first.result.stderr)
        let journal = first.runDirectory + "/journal"
        let report = try String(contentsOfFile: first.runDirectory + "/report.json", encoding: .utf8)
        let other = try harness.pollen(["backfill", "--resume", journal, "--table-prefix", "other_"])
        XCTAssertEqual(other.exitCode, 1)
        XCTAssertTrue(other.stderr.hasPrefix("pollen: Cannot resume: the journal of run "), other.stderr)
        XCTAssertTrue(other.stderr.contains("was written for table prefix '\(harness.prefix)', not 'other_'"), other.stderr)
        let elsewhere = try harness.pollen(["backfill", "--resume", journal, "--endpoint-url", "http://127.0.0.1:9"])
        XCTAssertEqual(elsewhere.exitCode, 1)
        XCTAssertTrue(elsewhere.stderr.contains("endpoint \(harness.server.endpoint)"), elsewhere.stderr)
        XCTAssertEqual(try String(contentsOfFile: first.runDirectory + "/report.json", encoding: .utf8), report,
                       "the run's report is left as it was")
    }

    func testFirstInterruptDrainsPrintsSummaryAndExits130() async throws {
        try await interruptDrains(with: SIGINT)
    }

    /// SIGHUP (the terminal closed, the SSH session dropped) killed the run at once with 129 and
    /// no summary: it drains like Ctrl-C.
    func testAHangUpDrainsLikeAnInterrupt() async throws {
        try await interruptDrains(with: SIGHUP)
    }

    /// The first `signal` drains: nothing is sent after it, every batch it stopped is journaled
    /// as not sent, assets whose rows were not updated say so (and are not COMPLETE), exit 130,
    /// and a resume finishes the job.
    private func interruptDrains(with signal: Int32) async throws {
        let harness = try BackfillHarness()
        let symbols = try harness.sampleData(assets: 8)
        try harness.register(symbols)
        try await harness.server.setFaults(["latency_ms": 40])
        let runDirectory = harness.runsDirectory + "/interrupted"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.pollenExecutable)
        process.arguments = ["backfill", "--source", harness.sourceDirectory, "--ui", "plain", "--run-dir", runDirectory,
                             "--concurrency", "2"]
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in harness.server.environment { environment[key] = value }
        environment["POLLEN_TABLE_PREFIX"] = harness.prefix
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let journal = runDirectory + "/journal"
        harness.waitForAcknowledgements(in: journal, moreThan: 4, of: process)
        kill(process.processIdentifier, signal)
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        while process.isRunning { usleep(5_000) }
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("interrupted: finishing the batches in flight"), stderr)
        XCTAssertTrue(stdout.contains(", interrupted"), stdout)
        XCTAssertTrue(stdout.contains("Resume: pollen backfill --resume \(journal)"), stdout)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath:
            runDirectory + "/report.json"))) as? [String: Any])
        XCTAssertEqual(report["interrupted"] as? Bool, true)
        XCTAssertEqual(report["exitCode"] as? Int, 130)
        let assets = try XCTUnwrap(report["assets"] as? [String: [String: Any]])
        for (symbol, asset) in assets where asset["markError"] as? String == "not marked: the run stopped first" {
            XCTAssertNotEqual(asset["status"] as? String, "COMPLETE", "\(symbol): a row never marked is not complete")
            XCTAssertTrue(stdout.contains("row: not marked: the run stopped first"), stdout)
        }

        // After the drain began, no batch left; the batches it stopped are journaled as not sent.
        let events = try String(contentsOfFile: runDirectory + "/events.jsonl", encoding: .utf8)
            .split(separator: "\n").compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let drainAt = try XCTUnwrap(events.firstIndex { $0["event"] as? String == "stateChanged" && $0["state"] as? String == "DRAINING" },
                                    "the drain is announced")
        XCTAssertFalse(events[drainAt...].contains { $0["event"] as? String == "batchSent" }, "a batch was sent after the drain began")
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
        var acknowledged = Set<String>(), unsent = Set<String>()
        for line in lines {
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.dropLast(9).utf8)) as? [String: Any])
            guard let keys = json["keys"] as? [String], let symbol = json["symbol"] as? String,
                  let table = json["table"] as? String else { continue }
            let named = keys.map { "\(symbol)/\(table)/\($0)" }
            if json["type"] as? String == "ack" { acknowledged.formUnion(named) } else { unsent.formUnion(named) }
        }
        XCTAssertTrue(acknowledged.isDisjoint(with: unsent), "an item is either acknowledged or not sent")
        let stopped = events.filter { $0["event"] as? String == "batchFailed" }
        if !stopped.isEmpty { XCTAssertFalse(unsent.isEmpty, "the batches the drain stopped are in the journal") }

        let resumed = try harness.pollen(["backfill", "--resume", journal, "--ui", "json"])
        XCTAssertEqual(resumed.exitCode, 0, resumed.stderr)
        XCTAssertEqual(try harness.dump("balanceSheet").count, 8 * 25)
    }
}
