import PollenTestSupport
import PollenDynamoDB
import XCTest
@testable import PollenEngine

/// The rate controller through minutes of virtual time against both models of how DynamoDB
/// counts capacity (per-second windows at any phase, a continuous bucket with and without stored
/// burst): it finds an unknown limit within seconds, follows a limit that drops or rises, does
/// not oscillate, and uses announced capacity without being pushed back.
final class PacingSimulationTests: XCTestCase {
    static let models: [SimulatedCapacity.Model] = [
        .perSecond(phase: 0.37), .perSecond(phase: 0.81), .continuous(burstSeconds: 0), .continuous(burstSeconds: 300),
    ]

    func testFindsAnUnknownLimitWithinSecondsInEveryAccountingModel() {
        for model in Self.models {
            for limit in [100.0, 400.0, 2000.0] {
                let simulation = PacingSimulation(model: model, limit: { _ in limit }, batches: Int(limit * 2))
                let run = simulation.run()
                let ideal = Double(simulation.batches * 25) / limit
                let label = "\(model), limit \(limit)"
                XCTAssertLessThanOrEqual(run.seconds / ideal, 1.08, "\(label): \(run.seconds) s for an ideal of \(ideal) s")
                XCTAssertLessThan(run.pushedBackShare, 0.05, "\(label): \(run.pushedBack) of \(run.requests) pushed back")
                XCTAssertGreaterThanOrEqual(run.grantedRate(from: 5, to: run.seconds - 1), 0.93 * limit,
                                            "\(label): from 5 s on, the table's capacity is used")
                let settled = run.rateStats(from: 5, to: run.seconds)
                XCTAssertGreaterThanOrEqual(settled.min, 0.9 * limit, "\(label): never far under the limit after 5 s")
                XCTAssertLessThanOrEqual(settled.max, 1.15 * limit, "\(label): never far above it")
            }
        }
    }

    /// A busy server answers refusals at once and writes in up to 0.7 s (the local DynamoDB
    /// beside a build): a second of answers then holds the writes granted the second before
    /// (counted by answer time, 149 was measured for a limit of 50, and the rate held above the
    /// limit) or misses the writes still on their way (100 for a limit of 400, and an account
    /// limit's ceiling held the rate there: 2.1 x the ideal). Bounded by what was granted of the
    /// requests sent in the episode, and measured once they are answered, neither happens. Ended
    /// anywhere in the refused rest of a per-second window rather than where the window ran out,
    /// a span measured 0.71-0.77 of the limit (1.30-1.37 x the ideal).
    func testABusyServersLateAnswersNeitherHoldTheRateAboveTheLimitNorStallIt() {
        for model in Self.models {
            for limit in [50.0, 400.0] {
                var simulation = PacingSimulation(model: model, limit: { _ in limit }, batches: Int(limit * 0.8))
                simulation.writeLatency = 0.2...0.7
                let run = simulation.run()
                let label = "\(model), limit \(limit)"
                let ideal = Double(simulation.batches * 25) / limit
                XCTAssertLessThanOrEqual(run.seconds / ideal, 1.15, "\(label): \(run.seconds) s for an ideal of \(ideal) s")
                // (With 300 s of burst stored up, the probe climbs a unit a second past a limit of
                // 50 for ten seconds and more before the table pushes back: up to 1.25 x.)
                let settled = run.rateStats(from: 6, to: run.seconds)
                XCTAssertLessThanOrEqual(settled.max, 1.25 * limit, "\(label): never far above the limit after 6 s")
                let learned = run.changes.compactMap(\.estimatedLimit)
                XCTAssertTrue(learned.contains { (0.85 * limit...1.15 * limit).contains($0) },
                              "\(label): a measure near the limit: \(learned.map { Int($0) })")
            }
        }
    }

    /// A busy server's queue lets requests reach its accounting up to 0.3 s after they were sent,
    /// so the windows that pay for them are not the ones their send times say: a measure may
    /// count a window too many (88 and 76 were measured for a limit of 50). Pushed back below
    /// such a measure, the rate must still come down to the limit: neither the measure nor a
    /// cut that moved nothing may stop the next cuts (both held the rate at the over-measure to
    /// the end of the run).
    func testRequestsReachingABusyServerLateDoNotHoldTheRateAboveTheLimit() {
        for (model, seed) in [(SimulatedCapacity.Model.perSecond(phase: 0.7), UInt64(3)), (.perSecond(phase: 0.5), 7),
                              (.continuous(burstSeconds: 0), 6)] {
            var simulation = PacingSimulation(model: model, limit: { _ in 50 }, batches: 60)
            simulation.arrivalLatency = 0...0.3
            simulation.writeLatency = 0.2...0.7
            simulation.seed = seed
            let run = simulation.run()
            let late = run.rateStats(from: 15, to: run.seconds)
            XCTAssertLessThanOrEqual(late.max, 1.2 * 50, "\(model), seed \(seed): the rate from 15 s on: \(late)")
            XCTAssertGreaterThanOrEqual(late.min, 0.7 * 50, "\(model), seed \(seed): and not far under: \(late)")
        }
    }

    /// A hot key's pacer starts when the key is first refused, before anything it was granted
    /// says how much it gets: it must still find the key's limit within seconds, from above.
    func testAHotKeysPacerFindsTheKeysLimitWithinSeconds() {
        for model in Self.models {
            for limit in [50.0, 100.0, 400.0] {
                let simulation = PacingSimulation(model: model, limit: { _ in limit }, batches: Int(limit * 0.8),
                                                  reason: ThrottlingReason(reason: "TableWriteKeyRangeThroughputExceeded"),
                                                  hotKey: true)
                let run = simulation.run()
                let ideal = Double(simulation.batches * 25) / limit
                let label = "\(model), key limit \(limit)"
                XCTAssertLessThanOrEqual(run.seconds / ideal, 1.15, "\(label): \(run.seconds) s for an ideal of \(ideal) s")
                XCTAssertGreaterThanOrEqual(run.grantedRate(from: 4, to: run.seconds - 1), 0.9 * limit,
                                            "\(label): from 4 s on, the key's capacity is used")
                let settled = run.rateStats(from: 4, to: run.seconds)
                XCTAssertGreaterThanOrEqual(settled.min, 0.85 * limit, "\(label): never far under the limit after 4 s")
                // Probing climbs at least a unit per second: on a small key with stored-up burst
                // (granted, so no push-back) that is a few percent a second.
                XCTAssertLessThanOrEqual(settled.max, 1.2 * limit, "\(label): never far above it")
            }
        }
    }

    /// Without `ThrottlingReasons` (unprocessed items, or a DynamoDB that sends none), a table at
    /// its limit pushes back whichever keys' batches come at the wrong moment: that must read as
    /// the table's limit, not as hot keys, whatever the table's other keys did a moment before.
    func testATableLimitWithoutReasonsIsReadAsTheTablesWhenManyKeysShareIt() {
        for model in Self.models {
            for symbols in [4, 16] {
                let limit = 400.0
                let simulation = PacingSimulation(model: model, limit: { _ in limit }, batches: 1200, reason: nil,
                                                  symbols: symbols)
                let run = simulation.run()
                let ideal = Double(simulation.batches * 25) / limit
                let label = "\(model), \(symbols) keys"
                XCTAssertLessThanOrEqual(run.seconds / ideal, 1.08, "\(label): \(run.seconds) s for an ideal of \(ideal) s")
                XCTAssertLessThan(run.pushedBackShare, 0.05, "\(label): \(run.pushedBack) of \(run.requests) pushed back, \(run.keyLevelPushBacks) read as a key's")
                XCTAssertEqual(run.hotKeys, 0, "\(label): no key is hot")
            }
        }
    }

    /// Several runs writing one table with an unannounced limit, each pacing on its own answers
    /// (issue 16): together they use its capacity without overshooting it.
    func testRunsSharingATableSettleUnderItsLimitTogether() {
        for model in Self.models {
            for capacity in [TableCapacity()] {
                let limit = 400.0
                let simulation = PacingSimulation(model: model, limit: { _ in limit }, capacity: capacity, batches: 400,
                                                  writers: 3)
                let run = simulation.run()
                let ideal = Double(simulation.batches * 25 * simulation.writers) / limit
                let label = "\(model), \(capacity.announcedWCU.map { "\($0) WCU announced" } ?? "nothing announced")"
                XCTAssertLessThanOrEqual(run.seconds / ideal, 1.15, "\(label): \(run.seconds) s for an ideal of \(ideal) s")
                XCTAssertLessThan(run.pushedBackShare, 0.05, "\(label): \(run.pushedBack) of \(run.requests) pushed back")
                XCTAssertLessThanOrEqual(run.rateStats(from: 10, to: run.finished.min()!).max, 1.2 * limit,
                                         "\(label): the runs' rates together stay near the limit")
            }
        }
    }

    /// Runs sharing one selection through leases: each takes the next asset as ``AssetAdmission``
    /// lets it, so the run ends with the last asset of the slowest. They finish together.
    func testRunsSharingASelectionOnAFastServerFinishTogether() {
        checkRunsSharingASelection(assets: 60, batchesEach: 10, held: 6, seeds: [1, 2, 3], writeLatency: nil,
                                   pushedBackUnder: 0.05)
    }

    /// The fleet benchmark's shape (issue 16): three runs sharing 400 assets of two batches on a
    /// table with an unannounced limit, beside a server that writes in 0.05-0.7 s and answers
    /// refusals at once; the run that started first meets the others after its slow start.
    /// Leasing only what their rates will send soon, climbing by the same units as the others, and
    /// never cut far under what they were granted, they finish together within 1.15 x the ideal.
    /// (Before: 1.00-1.68 x; one run cut to a unit a second wrote its last assets alone.) Pushed back: 3-9 %, over the issue's 5 %, most of it
    /// in the first three seconds, while the first run's slow start overshoots; this bounds it
    /// from getting worse until issue 16's part two is done.
    func testRunsSharingASelectionOnABusyServerFinishTogetherNearTheIdeal() {
        for latency in [0.05...0.3, 0.05...0.7] {
            checkRunsSharingASelection(assets: 400, batchesEach: 2, held: 16, seeds: [1, 2, 3, 4], writeLatency: latency,
                                       pushedBackUnder: 0.10)
        }
    }

    /// Three writers sharing `assets` of `batchesEach` batches on a table limited to 400 units/s,
    /// in every model and seed: within 1.15 x the ideal, done within 15 % of it (and one asset
    /// written at a third of the limit) of each other, every asset written once, and under `pushedBackUnder` of the requests pushed back.
    private func checkRunsSharingASelection(assets: Int, batchesEach: Int, held: Int, seeds: [UInt64],
                                            writeLatency: ClosedRange<Double>?, pushedBackUnder: Double,
                                            file: StaticString = #filePath, line: UInt = #line) {
        for model in Self.models {
            for seed in seeds {
                let limit = 400.0
                var simulation = PacingSimulation(model: model, limit: { _ in limit }, writers: 3, seed: seed)
                simulation.assets = (count: assets, batchesEach: batchesEach, held: held)
                simulation.writeLatency = writeLatency
                let run = simulation.run()
                let units = Double(assets * batchesEach * 25)
                let ideal = units / limit
                let label = "\(model), seed \(seed), writes in \(writeLatency.map { "\($0)" } ?? "0.02") s"
                XCTAssertLessThanOrEqual(run.seconds / ideal, 1.15, "\(label): \(run.seconds) s for an ideal of \(ideal) s, "
                                         + "runs done at \(run.finished)", file: file, line: line)
                XCTAssertLessThan(run.pushedBackShare, pushedBackUnder, "\(label): \(run.pushedBack) of \(run.requests) pushed back",
                                  file: file, line: line)
                let oneAsset = Double(batchesEach * 25) / (limit / 3)
                XCTAssertLessThan(run.finished.max()! - run.finished.min()!, 0.15 * ideal + oneAsset, "\(label): \(run.finished)",
                                  file: file, line: line)
                XCTAssertEqual(run.units, units, "\(label): every asset written once", file: file, line: line)
            }
        }
    }

    func testFollowsALimitThatDrops() {
        for model in Self.models {
            let simulation = PacingSimulation(model: model, limit: { $0 < 30 ? 400 : 200 }, batches: 1000)
            let run = simulation.run()
            let after = run.rateStats(from: 34, to: run.seconds)
            XCTAssertGreaterThanOrEqual(after.min, 0.9 * 200, "\(model): \(after)")
            XCTAssertLessThanOrEqual(after.max, 1.15 * 200, "\(model): \(after)")
            XCTAssertLessThan(run.pushedBackShare, 0.05, "\(model): \(run.pushedBack) of \(run.requests)")
        }
    }

    /// A table's own limit that rises (no reason, or provisioned capacity raised) is found within
    /// a minute. (An account limit is hard for a minute after each push-back at it, and is
    /// searched above only after that: CapacityEstimatorTests.)
    func testFollowsALimitThatRises() {
        for model in Self.models {
            for reason in [nil, ThrottlingReason(reason: "TableWriteProvisionedThroughputExceeded")] {
                let simulation = PacingSimulation(model: model, limit: { $0 < 30 ? 200 : 400 }, batches: 2000,
                                                  reason: reason)
                let run = simulation.run()
                let label = "\(model), \(reason?.reason ?? "no reason")"
                XCTAssertGreaterThanOrEqual(run.grantedRate(from: 80, to: 100), 0.9 * 400,
                                            "\(label): the higher limit is found within a minute")
                XCTAssertLessThan(run.pushedBackShare, 0.05, "\(label): \(run.pushedBack) of \(run.requests)")
            }
        }
    }

    func testDoesNotOscillateOnAStableLimit() {
        for model in Self.models {
            let simulation = PacingSimulation(model: model, limit: { _ in 400 }, batches: 3200)
            let run = simulation.run()
            XCTAssertGreaterThan(run.seconds, 190)
            // Each cut that finds the same limit holds twice as long (3, 6, 12, 24, 30 s), so a
            // stable limit is probed a few times a minute at most, not in a sawtooth.
            let cuts = run.changes.filter { $0.reason == .pushedBack }.count
            XCTAssertLessThanOrEqual(cuts, 12, "\(model): \(cuts) cuts in \(run.seconds) s")
            XCTAssertGreaterThanOrEqual(run.grantedRate(from: 20, to: run.seconds - 1), 0.95 * 400,
                                        "\(model): the throughput stays at the limit")
            // The allowed rate stays near the limit; probes go a little above it, as far as a
            // continuous bucket's stored capacity lets them before it pushes back.
            let settled = run.rateStats(from: 20, to: run.seconds)
            XCTAssertGreaterThanOrEqual(settled.min, 0.95 * 400, "\(model): \(settled)")
            XCTAssertLessThanOrEqual(settled.max, 1.2 * 400, "\(model): \(settled)")
            XCTAssertLessThan(run.pushedBackShare, 0.02, "\(model): \(run.pushedBack) of \(run.requests)")
        }
    }

    func testAnnouncedCapacityIsUsedWithoutPushBack() {
        for model in Self.models {
            for wcu in [400, 60] {
                let simulation = PacingSimulation(model: model, limit: { _ in Double(wcu) },
                                                  capacity: TableCapacity(provisionedWCU: wcu), batches: wcu * 2)
                let run = simulation.run()
                let ideal = Double(simulation.batches * 25) / Double(wcu)
                XCTAssertEqual(run.pushedBack, 0, "\(model), \(wcu) WCU")
                XCTAssertLessThanOrEqual(run.seconds / ideal, 1.02, "\(model), \(wcu) WCU: \(run.seconds) s, ideal \(ideal) s")
            }
        }
    }
}

