import PollenDynamoDB
import XCTest
@testable import PollenEngine

/// The control loop on its own, with the time passed in: where it starts, how it cuts on
/// push-back, holds, probes, and what each throttling reason makes it do.
final class CapacityEstimatorTests: XCTestCase {
    typealias Estimator = CapacityEstimator

    /// Feeds `rate` units per second of clean answers from `from` to `to` in 0.1 s steps,
    /// each answer counted as having waited on the rate.
    func feed(_ estimator: inout Estimator, unitsPerSecond: Double, from: Double, to: Double,
              rateLimited: Bool = true) -> [Estimator.Change] {
        var changes: [Estimator.Change] = []
        var time = from
        while time < to - 1e-9 {
            time += 0.1
            if let change = estimator.answered(at: time, sentAt: time - 0.01, consumed: unitsPerSecond / 10,
                                               pushedBack: false, limit: nil, rateLimited: rateLimited) {
                changes.append(change)
            }
        }
        return changes
    }

    func pushBack(_ estimator: inout Estimator, at time: Double, sentAt: Double? = nil,
                  limit: ThrottlingReason.Limit? = nil) -> Estimator.Change? {
        estimator.answered(at: time, sentAt: sentAt ?? time - 0.01, consumed: 0, pushedBack: true, limit: limit,
                           rateLimited: true)
    }

    // MARK: Where it starts

    func testAnnouncedCapacityIsTheCeilingAndTheStart() {
        XCTAssertEqual(Estimator(capacity: .init(provisionedWCU: 400), cap: .init(), now: 0).rate, 400)
        XCTAssertEqual(Estimator(capacity: .init(provisionedWCU: 400), cap: .init(capacityPercent: 80), now: 0).rate, 320)
        XCTAssertEqual(Estimator(capacity: .init(maxOnDemandWCU: 300), cap: .init(), now: 0).rate, 300,
                       "an on-demand maximum is a ceiling exactly like provisioned WCU")
        XCTAssertEqual(Estimator(capacity: .init(provisionedWCU: 400), cap: .init(maxUnitsPerSecond: 50), now: 0).rate, 50)
        XCTAssertEqual(Estimator(capacity: .init(provisionedWCU: 1), cap: .init(capacityPercent: 10), now: 0).rate, 1,
                       "at least one unit per second")
        let provisioned = Estimator(capacity: .init(provisionedWCU: 400, warmWCU: 400), cap: .init(), now: 0)
        XCTAssertEqual(provisioned.phase, .probing)
        XCTAssertEqual(provisioned.ceiling, 400)
    }

    func testAnUnannouncedLimitStartsSlowFromTheWarmThroughput() {
        let fresh = Estimator(capacity: .init(warmWCU: 4000), cap: .init(), now: 0)
        XCTAssertEqual(fresh.rate, 500, "an eighth of a new on-demand table's 4,000 warm units")
        XCTAssertEqual(fresh.phase, .slowStart)
        XCTAssertNil(fresh.ceiling, "nothing announced: no ceiling")
        XCTAssertEqual(Estimator(capacity: .init(), cap: .init(), now: 0).rate, 500,
                       "without WarmThroughput, a new table's 4,000 is assumed")
        XCTAssertEqual(Estimator(capacity: .init(warmWCU: 40_000), cap: .init(), now: 0).rate, 5000,
                       "a table that has been busier starts higher")
        // An operator's cap on an unannounced table is a ceiling, not where to start: the table's
        // other writers are not met with all of it in the first second.
        var capped = Estimator(capacity: .init(), cap: .init(maxUnitsPerSecond: 100), now: 0)
        XCTAssertEqual(capped.rate, 12.5, "an eighth of the operator's cap")
        _ = feed(&capped, unitsPerSecond: 50, from: 0, to: 2)
        XCTAssertEqual(capped.rate, 100, accuracy: 1e-6, "at the cap within two seconds")
    }

    func testSlowStartDoublesEveryHalfSecondWhileWritesWaitAndStopsAtTheWarmThroughput() {
        var estimator = Estimator(capacity: .init(warmWCU: 4000), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 500, from: 0, to: 0.5)
        XCTAssertEqual(estimator.rate, 1000, accuracy: 1)
        _ = feed(&estimator, unitsPerSecond: 500, from: 0.5, to: 0.9, rateLimited: false)
        XCTAssertEqual(estimator.rate, 1000, accuracy: 1, "no rise while demand, not the rate, limits writes")
        _ = feed(&estimator, unitsPerSecond: 1000, from: 0.9, to: 3)
        XCTAssertEqual(estimator.rate, 4000, accuracy: 1e-6, "the warm throughput is the first seconds' ceiling")
        XCTAssertEqual(estimator.phase, .holding)
        _ = feed(&estimator, unitsPerSecond: 4000, from: 3, to: 11)
        XCTAssertEqual(estimator.rate, 4000, accuracy: 1e-6, "for ten seconds")
        _ = feed(&estimator, unitsPerSecond: 4000, from: 11, to: 15)
        XCTAssertGreaterThan(estimator.rate, 4000, "then it searches above it")
    }

    func testARunMeetingOtherRunsInTheSlowStartTakesItsShareOfTheWarmThroughput() {
        var estimator = Estimator(capacity: .init(warmWCU: 4000), cap: .init(), now: 0)
        XCTAssertEqual(estimator.sharedWith(otherRuns: 1, now: 0)?.rate ?? 0, 250, accuracy: 1e-6,
                       "half the slow start's first rate, one other run met")
        XCTAssertEqual(estimator.sharedWith(otherRuns: 2, now: 0)?.rate ?? 0, 500.0 / 3, accuracy: 1e-6,
                       "a third, once a second other run is met")
        XCTAssertNil(estimator.sharedWith(otherRuns: 2, now: 0), "the same runs met again: nothing new")
        _ = feed(&estimator, unitsPerSecond: 150, from: 0, to: 1.5)
        XCTAssertEqual(estimator.rate, 1000.0 / 3, accuracy: 1,
                       "doubled in 1.5 s: three times as slowly as a run alone")
        _ = feed(&estimator, unitsPerSecond: 300, from: 1.5, to: 8)
        XCTAssertEqual(estimator.rate, 4000.0 / 3, accuracy: 1e-6, "up to a third of the warm throughput")
        XCTAssertEqual(estimator.phase, .holding)
        _ = pushBack(&estimator, at: 8.05)
        let cut = estimator.rate
        XCTAssertNil(estimator.sharedWith(otherRuns: 3, now: 8.1),
                     "past the slow start, what DynamoDB grants is the run's share already")
        XCTAssertEqual(estimator.rate, cut)
    }

    // MARK: Push-back

    func testPushBackCutsToJustUnderWhatWasGranted() {
        var estimator = Estimator(capacity: .init(), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 400, from: 0, to: 1.2)
        let change = pushBack(&estimator, at: 1.25)
        XCTAssertEqual(change?.reason, .pushedBack)
        XCTAssertEqual(estimator.estimate ?? 0, 400, accuracy: 0.5, "what DynamoDB accepted in the last second")
        XCTAssertEqual(estimator.rate, 388, accuracy: 0.5, "3% under it")
        XCTAssertEqual(estimator.phase, .holding)
    }

    func testInSlowStartAPushBackAtLeastHalvesTheRate() {
        // A bucket with capacity stored up took everything the slow start sent: what it took
        // is no measure of its rate.
        var estimator = Estimator(capacity: .init(), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 1800, from: 0, to: 1.2)
        let before = estimator.rate
        _ = pushBack(&estimator, at: 1.25)
        XCTAssertEqual(estimator.rate, before / 2, accuracy: 1)
    }

    func testAnswersToRequestsSentBeforeTheLastCutAndCutsWithinASecondAreIgnored() {
        var estimator = Estimator(capacity: .init(warmWCU: 1000), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 600, from: 0, to: 2)
        XCTAssertNotNil(pushBack(&estimator, at: 2.0))
        let afterCut = estimator.rate
        XCTAssertNil(pushBack(&estimator, at: 2.5), "within a second of the cut")
        XCTAssertNil(pushBack(&estimator, at: 3.2, sentAt: 1.9), "sent before the cut: it answers the old rate")
        XCTAssertEqual(estimator.rate, afterCut)
        XCTAssertNotNil(pushBack(&estimator, at: 3.2, sentAt: 3.1))
    }

    func testASecondOfPushBackMeasuresTheRateOverTheWholeEpisode() {
        // A continuous bucket that had capacity stored up: the first second's accepted units
        // overstate the rate; after a second of push-back, what was accepted meanwhile is it.
        var estimator = Estimator(capacity: .init(warmWCU: 900), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 900, from: 0, to: 2)
        _ = pushBack(&estimator, at: 2.0, sentAt: 1.995)  // sent after the last request accepted
        XCTAssertEqual(estimator.rate, 873, accuracy: 1)
        var time = 2.0
        while time < 3.1 {
            time += 0.1
            _ = estimator.answered(at: time, sentAt: time - 0.01, consumed: 40, pushedBack: true, limit: nil, rateLimited: true)
        }
        XCTAssertEqual(estimator.estimate ?? 0, 400, accuracy: 20, "400 units/s accepted while it pushed back")
        XCTAssertEqual(estimator.rate, 388, accuracy: 20)
    }

    /// Forty seconds of push-back on every request after a fast start, each request processed
    /// in part: `consumed` of the units sent. Returns the rate before and after.
    func pushedBackOnEveryRequest(limit: ThrottlingReason.Limit?,
                                  consumed: (Double) -> Double) -> (start: Double, end: Double) {
        var estimator = Estimator(capacity: .init(), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 4000, from: 0, to: 20)
        let start = estimator.rate
        var time = 20.0
        while time < 60 {
            time += 0.1
            let sent = estimator.rate / 10
            _ = estimator.answered(at: time, sentAt: time - 0.01, sent: sent, consumed: consumed(sent), pushedBack: true,
                                   limit: limit, rateLimited: true)
        }
        return (start, estimator.rate)
    }

    func testCutsStopWhenALowerRateDoesNotLiftPushBacksThatProcessPartOfEveryRequest() {
        // Every request too large for its own partition key: DynamoDB processes half of each, at
        // any table rate. Cutting does not raise that share: after halving, no more cuts.
        let keys = pushedBackOnEveryRequest(limit: nil) { $0 / 2 }
        XCTAssertGreaterThan(keys.start, 3000)
        XCTAssertGreaterThanOrEqual(keys.end, keys.start * 0.2, "no spiral down: \(keys)")
        // A table granting 100 units/s accepts the same units of less.
        let table = pushedBackOnEveryRequest(limit: nil) { min($0, 10) }
        XCTAssertLessThan(table.end, 120, "a table out of capacity is cut down to what it grants: \(table)")
    }

    func testAShareThatDoesNotGrowIsNoKeyLimitWhenDynamoDBNamesTheTablesLimit() {
        // The same answers as a key's limit (half of every request processed at any rate), but
        // DynamoDB says why: the account's limit on the table. That is the table's rate to cut
        // (with no reason, the keys' rule holds it at a fifth of the start and more, above).
        let named = pushedBackOnEveryRequest(limit: .accountLimit) { $0 / 2 }
        XCTAssertLessThan(named.end, named.start * 0.1, "cut on while DynamoDB names the table's limit: \(named)")
    }

    func testNeverBelowTheMinimumRate() {
        var estimator = Estimator(capacity: .init(provisionedWCU: 2), cap: .init(), now: 0)
        for second in 1...5 { _ = pushBack(&estimator, at: Double(second) * 1.5) }
        XCTAssertEqual(estimator.rate, 1)
    }

    // MARK: Probing

    func testAfterAHoldTheRateClimbsBackQuicklyThenSlowlyAroundTheLimit() {
        var estimator = Estimator(capacity: .init(warmWCU: 1000), cap: .init(maxUnitsPerSecond: 1000), now: 0)
        _ = feed(&estimator, unitsPerSecond: 400, from: 0, to: 1.5)
        _ = pushBack(&estimator, at: 1.5)
        let cut = estimator.rate
        _ = feed(&estimator, unitsPerSecond: cut, from: 1.5, to: 4.4)
        XCTAssertEqual(estimator.rate, cut, "held for 3 s after the cut")
        _ = feed(&estimator, unitsPerSecond: cut, from: 4.4, to: 5.4)
        XCTAssertEqual(estimator.rate, cut * 1.005, accuracy: 1, "near the measured limit it climbs slowly, 0.5% a second")
        _ = feed(&estimator, unitsPerSecond: cut, from: 5.4, to: 12.5)
        XCTAssertGreaterThan(estimator.rate, 400, "and probes past it")
        XCTAssertLessThan(estimator.rate, 400 * 1.06)
        _ = feed(&estimator, unitsPerSecond: 400, from: 12.5, to: 60)
        XCTAssertEqual(estimator.rate, 1000, accuracy: 1e-6,
                       "10 s past the limit without push-back: it has risen, and the search speeds up to the ceiling")
    }

    /// Per-second windows of 400 units each, sent into at `rate` from `from` to `to`, requests of
    /// a twentieth of a second: each window runs out `400 / rate` into it, and the rest of it is
    /// refused. Answers come 0.01 s after their requests.
    func windows(_ estimator: inout Estimator, from: Double, to: Double, limit: ThrottlingReason.Limit? = nil,
                 exhaustedAfter offset: (Int) -> Double) {
        var time = from
        while time < to - 1e-9 {
            let window = Int(time.rounded(.down))
            let offset = offset(window)
            let inWindow = time - Double(window)
            // The window's 400 units, spread over its first `offset` seconds, then nothing.
            let granted = inWindow < offset - 1e-9 ? 400 * 0.05 / offset : 0
            _ = estimator.answered(at: time + 0.01, sentAt: time, sent: 20, consumed: granted, pushedBack: granted == 0,
                                   limit: granted == 0 ? limit : nil, rateLimited: true)
            time += 0.05
        }
    }

    func testAMeasureOverLessThanTwoWindowsClimbsBackQuicklyToAllItsUnitsPerSecond() {
        // Faster at first, then halved (the first answers too few to measure): the first window
        // runs out `early` into it, the second `late`, so the refusals where the table ran out
        // are `1 + late - early` apart with 400 units between them. With no reason, and with an
        // account limit's (whose ceiling, from the same measure, allows for as much).
        for (early, late) in [(0.2, 0.4), (0.1, 0.7)] {
            for limit in [nil, ThrottlingReason.Limit.accountLimit] {
                let label = "runs out \(early) s and \(late) s in, \(limit.map { "\($0)" } ?? "no reason")"
                var estimator = Estimator(capacity: .init(warmWCU: 4000), cap: .init(), now: 0)
                let end = 2.05 + late
                windows(&estimator, from: 0.9 + early, to: end, limit: limit) { $0 == 1 ? early : late }
                let measure = 400 / (1 + late - early)
                XCTAssertEqual(estimator.estimate ?? 0, measure, accuracy: 5, label)
                let cut = estimator.rate
                XCTAssertEqual(cut, measure * 0.97, accuracy: 5, label)
                // The table grants every window's 400: nothing pushes back at the lower rate.
                _ = feed(&estimator, unitsPerSecond: cut, from: end, to: end + 2.95)
                XCTAssertEqual(estimator.rate, cut, "\(label): held for 3 s after the cut")
                _ = feed(&estimator, unitsPerSecond: cut, from: end + 2.95, to: end + 7.95)
                // 2 % of the measure a second, or all it may have missed in 15 s: not the careful
                // 0.5 % a second around a measured limit.
                let step = max(0.02 * measure, (400 - measure) / 15)
                XCTAssertEqual(estimator.rate, cut + 5 * step, accuracy: 2, label)
                let back = end + 7.95 + (388 - estimator.rate) / step
                _ = feed(&estimator, unitsPerSecond: cut, from: end + 7.95, to: back + 0.5)
                XCTAssertEqual(estimator.rate, 388, accuracy: 2.5, "\(label): up to just under the measure's units per second")
                XCTAssertEqual(estimator.estimate ?? 0, 400, accuracy: 1e-6, "\(label): granted without push-back: the table takes it")
                _ = feed(&estimator, unitsPerSecond: 400, from: back + 0.5, to: back + 4.5)
                XCTAssertLessThan(estimator.rate, 400 * 1.03, "\(label): around it, the careful search again")
            }
        }
    }

    func testTheRateDoesNotRiseWhileDynamoDBPushesBack() {
        var estimator = Estimator(capacity: .init(warmWCU: 1000), cap: .init(maxUnitsPerSecond: 1000), now: 0)
        _ = feed(&estimator, unitsPerSecond: 400, from: 0, to: 1.5)
        _ = pushBack(&estimator, at: 1.5)
        _ = feed(&estimator, unitsPerSecond: 388, from: 1.5, to: 6)
        XCTAssertEqual(estimator.phase, .probing)
        // A refusal of a request sent before the cut: no cut, but DynamoDB is pushing back.
        XCTAssertNil(pushBack(&estimator, at: 6, sentAt: 1.4))
        let probed = estimator.rate
        _ = feed(&estimator, unitsPerSecond: 388, from: 6, to: 6.9)
        XCTAssertEqual(estimator.rate, probed, "no probe while a push-back episode is measured")
        _ = feed(&estimator, unitsPerSecond: 388, from: 6.9, to: 9)
        XCTAssertGreaterThan(estimator.rate, probed, "after a quiet second it is over")
    }

    func testAPushBackThatConfirmsTheLimitHoldsLonger() {
        var estimator = Estimator(capacity: .init(warmWCU: 1000), cap: .init(maxUnitsPerSecond: 1000), now: 0)
        var time = 0.0
        var holds: [Double] = []
        for _ in 0..<5 {
            _ = feed(&estimator, unitsPerSecond: 400, from: time, to: time + 1.5)
            time += 1.5
            _ = pushBack(&estimator, at: time)
            let cutAt = time
            let cut = estimator.rate
            // Quiet until the rate moves again: that is the hold.
            while estimator.rate == cut && time < cutAt + 120 {
                _ = feed(&estimator, unitsPerSecond: min(400, estimator.rate), from: time, to: time + 0.1)
                time += 0.1
            }
            holds.append((time - cutAt).rounded())
            _ = feed(&estimator, unitsPerSecond: 400, from: time, to: time + 1.5)
            time += 1.5
        }
        XCTAssertEqual(holds, [3, 6, 12, 24, 30], "doubled each time the same limit is met, up to 30 s")
    }

    /// A run sharing the table with other runs is granted a share that moves with theirs: each
    /// push-back measures a grant 8 % under the last, never the same limit twice. Pushed back
    /// again soon after its hold, before it climbed far, it has found its share all the same.
    func testARunSharingTheTablePushedBackSoonAfterItsHoldHoldsLonger() {
        XCTAssertEqual(holdsAfterShrinkingGrants(sharing: false), [3, 3, 3], "alone")
        XCTAssertEqual(holdsAfterShrinkingGrants(sharing: true), [3, 6, 12], "sharing, pushed back at once")
        XCTAssertEqual(holdsAfterShrinkingGrants(sharing: true, idle: 12), [3, 3, 3],
                       "sharing, pushed back 12 s after its hold: no share found")
    }

    /// A run sharing the table whose requests keep landing where the table has run out is
    /// measured lower and lower; no cut takes it under half the most it was granted while
    /// sharing, divided among the runs. Alone, a run goes where its measure says.
    func testARunSharingTheTableIsNotCutUnderAShareOfTheMostItWasGranted() {
        for sharing in [false, true] {
            var estimator = Estimator(capacity: .init(warmWCU: 4000), cap: .init(), now: 0)
            _ = feed(&estimator, unitsPerSecond: 300, from: 0, to: 1.5)
            if sharing { _ = estimator.sharedWith(otherRuns: 2, now: 1.5) }
            _ = pushBack(&estimator, at: 1.55)
            XCTAssertEqual(estimator.rate, 291, accuracy: 0.5)
            _ = feed(&estimator, unitsPerSecond: 10, from: 1.55, to: 4.05)
            _ = pushBack(&estimator, at: 4.1)
            XCTAssertEqual(estimator.rate, sharing ? 300.0 / 6 : 9.7, accuracy: 0.5, "sharing: \(sharing)")
        }
    }

    /// A grant measured in the slow start may be a bucket's stored-up burst, not a share: it sets
    /// no floor (one held the first run of three at 250 of a table taking 400, pushed back every second).
    func testASlowStartsGrantIsNoFloorForARunSharingTheTable() {
        var estimator = Estimator(capacity: .init(warmWCU: 4000), cap: .init(), now: 0)
        _ = estimator.sharedWith(otherRuns: 2, now: 0.1)
        _ = feed(&estimator, unitsPerSecond: 1500, from: 0, to: 1.2)
        XCTAssertEqual(estimator.phase, .slowStart)
        _ = pushBack(&estimator, at: 1.25)
        _ = feed(&estimator, unitsPerSecond: 100, from: 1.25, to: 4.05)
        _ = pushBack(&estimator, at: 4.1)
        XCTAssertEqual(estimator.rate, 97, accuracy: 1, "what was measured, not a share of the burst (1500 / 6)")
    }

    /// The holds after three push-backs, each measuring a grant 8 % under the last, with `idle`
    /// seconds after each hold (no write waiting on the rate, so it does not climb) before the next.
    private func holdsAfterShrinkingGrants(sharing: Bool, idle: Double = 0) -> [Double] {
        var estimator = Estimator(capacity: .init(warmWCU: 1000), cap: .init(maxUnitsPerSecond: 1000), now: 0)
        var time = 0.0
        var holds: [Double] = []
        var grant = 400.0
        for index in 0..<3 {
            // (The first second and a half ends the slow start; then both seconds measured are at the grant.)
            let seconds = index == 0 ? 1.5 : 2.5
            _ = feed(&estimator, unitsPerSecond: grant, from: time, to: time + seconds)
            time += seconds + 0.05  // between two answers: the last second holds ten of them
            _ = pushBack(&estimator, at: time)
            if sharing && index == 0 { XCTAssertNil(estimator.sharedWith(otherRuns: 2, now: time)) }
            let cutAt = time
            let cut = estimator.rate
            XCTAssertEqual(cut, grant * 0.97, accuracy: 1, "sharing: \(sharing)")
            while estimator.rate == cut && time < cutAt + 120 {
                _ = feed(&estimator, unitsPerSecond: estimator.rate, from: time, to: time + 0.1)
                time += 0.1
            }
            holds.append((time - cutAt).rounded())
            _ = feed(&estimator, unitsPerSecond: estimator.rate, from: time, to: time + idle, rateLimited: false)
            time += idle
            grant *= 0.92
        }
        return holds
    }

    /// Runs sharing a table each climb by at least the same units a second (a share of the warm
    /// throughput among them), so one squeezed far under the others comes back within seconds;
    /// alone, a run climbs near its measure by a share of it.
    func testARunSharingTheTableClimbsByTheSameUnitsAsTheOthers() {
        for sharing in [false, true] {
            var estimator = Estimator(capacity: .init(warmWCU: 4000), cap: .init(), now: 0)
            _ = feed(&estimator, unitsPerSecond: 30, from: 0, to: 1.5)
            _ = pushBack(&estimator, at: 1.5)
            if sharing { XCTAssertNil(estimator.sharedWith(otherRuns: 2, now: 1.5)) }
            let cut = estimator.rate
            XCTAssertEqual(cut, 30 * 0.97, accuracy: 0.5)
            _ = feed(&estimator, unitsPerSecond: cut, from: 1.5, to: 4.5)
            XCTAssertEqual(estimator.rate, cut, "held for 3 s")
            _ = feed(&estimator, unitsPerSecond: cut, from: 4.5, to: 9.5)
            // Alone: a unit a second (at least); sharing with two others: 0.2 % of 4,000 / 3 a second.
            XCTAssertEqual(estimator.rate - cut, sharing ? 5 * 0.002 * 4000 / 3 : 5, accuracy: 1, "sharing: \(sharing)")
        }
    }

    /// The runs it shared the table with are done: a run squeezed to a small share searches for
    /// the freed capacity as a run starting does, doubling every half second from where it is
    /// (alone) until DynamoDB pushes back, which halves it at least. Still sharing, it creeps.
    func testARunWhoseOtherRunsAreDoneSearchesForTheirShareAtOnce() {
        func squeezed() -> Estimator {
            var estimator = Estimator(capacity: .init(warmWCU: 4000), cap: .init(), now: 0)
            _ = feed(&estimator, unitsPerSecond: 30, from: 0, to: 1.5)
            _ = estimator.sharedWith(otherRuns: 2, now: 1.5)
            _ = pushBack(&estimator, at: 1.5)
            _ = feed(&estimator, unitsPerSecond: estimator.rate, from: 1.5, to: 5)
            return estimator
        }
        var still = squeezed()
        var alone = squeezed()
        let start = alone.rate
        XCTAssertLessThan(start, 35)
        XCTAssertNil(alone.sharedWith(otherRuns: 0, now: 5), "no rate change at once: the next answers raise it")
        XCTAssertEqual(alone.phase, .slowStart)
        _ = feed(&alone, unitsPerSecond: 30, from: 5, to: 7)
        _ = feed(&still, unitsPerSecond: 30, from: 5, to: 7)
        XCTAssertEqual(alone.rate, start * 16, accuracy: start, "four doublings in 2 s")
        XCTAssertLessThan(still.rate, start + 10, "still sharing: the fleet's climb")
        _ = pushBack(&alone, at: 7.05)
        XCTAssertLessThanOrEqual(alone.rate, start * 8 + 1, "the search's overshoot is at least halved")
        XCTAssertNotEqual(alone.phase, .slowStart)

        // Fewer others, but some left: the same search, as slowly as the runs still sharing.
        var fewer = squeezed()
        XCTAssertNil(fewer.sharedWith(otherRuns: 1, now: 5))
        _ = feed(&fewer, unitsPerSecond: 30, from: 5, to: 7)
        XCTAssertEqual(fewer.rate, start * 4, accuracy: start, "two doublings in 2 s: one a second with two runs")

        // Announced capacity: the climb back to it needs no search.
        var announced = Estimator(capacity: .init(provisionedWCU: 400), cap: .init(), now: 0)
        _ = announced.sharedWith(otherRuns: 2, now: 0)
        XCTAssertNil(announced.sharedWith(otherRuns: 0, now: 1))
        XCTAssertEqual(announced.phase, .probing)
    }

    /// A hard ceiling measured while sharing is a share of the table's limit: once the others are
    /// done, it goes, and the search climbs past it. One measured alone stays.
    func testAHardCeilingMeasuredWhileSharingGoesWhenTheOthersAreDone() {
        var estimator = Estimator(capacity: .init(), cap: .init(), now: 0)
        _ = estimator.sharedWith(otherRuns: 2, now: 0)
        _ = feed(&estimator, unitsPerSecond: 30, from: 0, to: 1.2)
        _ = pushBack(&estimator, at: 1.25, limit: .accountLimit)
        XCTAssertEqual(estimator.ceiling ?? 0, 31, accuracy: 1, "what was granted: a share")
        _ = feed(&estimator, unitsPerSecond: 30, from: 1.25, to: 5)
        _ = estimator.sharedWith(otherRuns: 0, now: 5)
        XCTAssertNil(estimator.ceiling)
        _ = feed(&estimator, unitsPerSecond: 30, from: 5, to: 7)
        XCTAssertGreaterThan(estimator.rate, 100, "searching for the freed share")

        var alone = Estimator(capacity: .init(), cap: .init(), now: 0)
        _ = feed(&alone, unitsPerSecond: 300, from: 0, to: 1.2)
        _ = pushBack(&alone, at: 1.25, limit: .accountLimit)
        _ = alone.sharedWith(otherRuns: 1, now: 2)
        _ = alone.sharedWith(otherRuns: 0, now: 3)
        XCTAssertEqual(alone.ceiling ?? 0, 309, accuracy: 1, "the table's limit, measured alone")
    }

    /// A push-back for a second while `unitsPerSecond` are accepted, answers every 0.1 s.
    func episode(_ estimator: inout Estimator, unitsPerSecond: Double, from: Double, to: Double, rateLimited: Bool) {
        var time = from
        while time < to - 1e-9 {
            time += 0.1
            _ = estimator.answered(at: time, sentAt: time - 0.01, consumed: unitsPerSecond / 10, pushedBack: false,
                                   limit: nil, rateLimited: rateLimited)
            _ = estimator.answered(at: time + 0.01, sentAt: time, consumed: 0, pushedBack: true, limit: nil,
                                   rateLimited: rateLimited)
        }
    }

    /// A run whose batches sleep in backoff while other runs hold the table sends little: what
    /// it is granted then measures what it sent, not the table.
    func testAPushBackWhileNoWriteWaitsOnTheRateAtMostHalvesIt() {
        var estimator = Estimator(capacity: .init(provisionedWCU: 400), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 400, from: 0, to: 2)
        episode(&estimator, unitsPerSecond: 20, from: 2, to: 3.5, rateLimited: false)
        XCTAssertGreaterThanOrEqual(estimator.rate, 100, "halved, not cut to the 20 units/s sent")
        XCTAssertNil(estimator.estimate, "nothing measured")
        episode(&estimator, unitsPerSecond: 20, from: 3.5, to: 5, rateLimited: true)
        XCTAssertLessThan(estimator.rate, 40, "writes waiting on the rate: the grant measures the table")
    }

    /// Others write the table too (other runs): once a second of push-back has measured it
    /// granting well under its announced capacity, the rate is not paced back up to that.
    func testATableGrantingWellUnderItsAnnouncedCapacityIsNotPacedBackToIt() {
        var estimator = Estimator(capacity: .init(provisionedWCU: 400), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 400, from: 0, to: 2)
        episode(&estimator, unitsPerSecond: 130, from: 2, to: 3.5, rateLimited: true)
        XCTAssertEqual(estimator.rate, 126, accuracy: 5, "the grant measured over the episode")
        _ = feed(&estimator, unitsPerSecond: 126, from: 3.5, to: 14)
        XCTAssertLessThan(estimator.rate, 150, "probing above the grant, not climbing back to 400")
        XCTAssertEqual(estimator.knownShare ?? 0, estimator.estimate ?? -1, accuracy: 0.01)
        _ = estimator.setCapacity(.init(provisionedWCU: 800), now: 14)
        XCTAssertEqual(estimator.rate, 800, "new capacity announced: used at once")
    }

    // MARK: Reasons

    func testAnAccountOrOnDemandMaximumThrottleIsAHardCeilingForAMinute() {
        for limit in [ThrottlingReason.Limit.accountLimit, .maxOnDemand] {
            var estimator = Estimator(capacity: .init(), cap: .init(), now: 0)
            _ = feed(&estimator, unitsPerSecond: 300, from: 0, to: 1.2)
            _ = pushBack(&estimator, at: 1.25, limit: limit)
            XCTAssertEqual(estimator.ceiling ?? 0, 309, accuracy: 1, "\(limit): what was granted, and a margin")
            _ = feed(&estimator, unitsPerSecond: 300, from: 1.25, to: 55)
            XCTAssertLessThanOrEqual(estimator.rate, 309.01, "\(limit): no search above it")
            _ = feed(&estimator, unitsPerSecond: 300, from: 55, to: 100)
            XCTAssertGreaterThan(estimator.rate, 320, "\(limit): after a minute it may search again")
            XCTAssertEqual(estimator.describeRequested, limit == .maxOnDemand,
                           "an on-demand maximum was reached: has it changed? (\(limit))")
        }
    }

    /// A hard ceiling is what was granted once: a later measure (whatever the reason named, or
    /// none) finding DynamoDB granting more shows it was an under-measure, and lifts it.
    func testAHardCeilingRisesWhenDynamoDBLaterGrantsMore() {
        var estimator = Estimator(capacity: .init(), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 300, from: 0, to: 1.2)
        _ = pushBack(&estimator, at: 1.25, limit: .accountLimit)
        XCTAssertEqual(estimator.ceiling ?? 0, 309, accuracy: 1)
        episode(&estimator, unitsPerSecond: 500, from: 1.25, to: 3.5, rateLimited: true)
        XCTAssertEqual(estimator.estimate ?? 0, 500, accuracy: 25, "a push-back without a reason measured more")
        XCTAssertGreaterThanOrEqual(estimator.ceiling ?? 0, estimator.estimate ?? .infinity, "the ceiling rose to it")
        _ = feed(&estimator, unitsPerSecond: 500, from: 3.5, to: 20)
        XCTAssertGreaterThan(estimator.rate, 450, "and the rate came back up under it")
    }

    /// In the first second the grant so far is part of a second: no hard ceiling from it, the
    /// next push-back (measured over a second) sets it.
    func testAnAccountLimitMetInTheFirstSecondIsNoCeilingYet() {
        var estimator = Estimator(capacity: .init(), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 400, from: 0, to: 0.6)
        _ = pushBack(&estimator, at: 0.65, limit: .accountLimit)
        XCTAssertNil(estimator.ceiling, "0.6 s of answers measure no hard limit")
        _ = feed(&estimator, unitsPerSecond: 300, from: 0.65, to: 1.7)
        _ = pushBack(&estimator, at: 1.75, limit: .accountLimit)
        XCTAssertNotNil(estimator.ceiling, "a second of answers does")
    }

    /// With `MaxWriteRequestUnits` announced, a push-back naming it is no new, lower hard limit:
    /// the announced maximum stays the ceiling and the rate comes back to it (it was held at
    /// the second's grant for a minute: 1.09 x the ideal on the per-second server).
    func testAnAnnouncedOnDemandMaximumStaysTheCeilingAfterAPushBack() {
        var estimator = Estimator(capacity: .init(maxOnDemandWCU: 400), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 370, from: 0, to: 1.2)
        _ = pushBack(&estimator, at: 1.25, limit: .maxOnDemand)
        XCTAssertEqual(estimator.ceiling, 400, "the announced maximum, not the second's grant")
        XCTAssertGreaterThanOrEqual(estimator.rate, 360, "a tenth at most")
        XCTAssertTrue(estimator.describeRequested)
        _ = feed(&estimator, unitsPerSecond: 400, from: 1.25, to: 8)
        XCTAssertEqual(estimator.rate, 400, accuracy: 0.5, "back at the maximum within seconds")
    }

    /// A push-back measured between two per-second windows less than two seconds apart may miss
    /// part of a second: 400 units over 1.6 s do not say that a table announcing 400 grants 250,
    /// so announced capacity is paced back to, quickly.
    func testAShortMeasureUnderAnnouncedCapacityDoesNotMakeItUntrusted() {
        var estimator = Estimator(capacity: .init(maxOnDemandWCU: 400), cap: .init(), now: 0)
        let end = 2.75
        windows(&estimator, from: 1.0, to: end, limit: .maxOnDemand) { $0 == 1 ? 0.1 : 0.7 }
        XCTAssertEqual(estimator.estimate ?? 0, 250, accuracy: 5, "400 units between refusals 1.6 s apart")
        XCTAssertLessThan(estimator.rate, 250)
        _ = feed(&estimator, unitsPerSecond: 400, from: end, to: end + 11.5)
        XCTAssertEqual(estimator.rate, 400, accuracy: 0.5, "back at the announced maximum, 5 % of it a second after the hold")
        XCTAssertEqual(estimator.knownShare, 400)
    }

    func testAProvisionedTableGrantingWellUnderItsWCUAsksForADescribe() {
        var estimator = Estimator(capacity: .init(provisionedWCU: 400), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 390, from: 0, to: 1.2)
        _ = pushBack(&estimator, at: 1.25, limit: .provisioned)
        XCTAssertFalse(estimator.describeRequested, "just under the WCU: a push-back at the edge")
        _ = feed(&estimator, unitsPerSecond: 100, from: 1.25, to: 3)
        _ = pushBack(&estimator, at: 3.1, limit: .provisioned)
        XCTAssertTrue(estimator.describeRequested, "granted a quarter of the WCU: was it lowered?")
    }

    // MARK: Limits that change

    func testAPushBackAtAnnouncedCapacityCostsATenthAndTheRateComesBackQuickly() {
        var estimator = Estimator(capacity: .init(provisionedWCU: 400), cap: .init(), now: 0)
        _ = feed(&estimator, unitsPerSecond: 350, from: 0, to: 2)
        _ = pushBack(&estimator, at: 2.0)
        XCTAssertEqual(estimator.rate, 360, accuracy: 1e-6, "not down to the 340 the last second showed")
        _ = feed(&estimator, unitsPerSecond: 360, from: 2, to: 7.5)
        XCTAssertEqual(estimator.rate, 400, accuracy: 1e-6, "3 s of hold, then 5% of the WCU a second back up")
        // Pushed back on for a second and more: the episode's measure is trusted.
        var time = 7.5
        while time < 9.6 {
            time += 0.1
            _ = estimator.answered(at: time, sentAt: time - 0.01, consumed: 25, pushedBack: true, limit: nil, rateLimited: true)
        }
        XCTAssertEqual(estimator.rate, 242.5, accuracy: 15, "250 units/s accepted over the episode")
    }

    func testNewCapacityAppliesAtOnce() {
        var estimator = Estimator(capacity: .init(provisionedWCU: 400), cap: .init(), now: 0)
        XCTAssertEqual(estimator.setCapacity(.init(provisionedWCU: 200), now: 1), .init(rate: 200, reason: .capacityChanged))
        XCTAssertNil(estimator.setCapacity(.init(provisionedWCU: 200), now: 2), "the same capacity changes nothing")
        XCTAssertEqual(estimator.setCapacity(.init(provisionedWCU: 800), now: 3)?.rate, 800, "a higher one at once")
        var measured = Estimator(capacity: .init(provisionedWCU: 800), cap: .init(), now: 0)
        _ = feed(&measured, unitsPerSecond: 300, from: 0, to: 1.2)
        _ = pushBack(&measured, at: 1.25)
        XCTAssertEqual(measured.rate, 720, "one push-back costs a tenth of announced capacity at most")
        _ = measured.setCapacity(.init(provisionedWCU: 1600), now: 2)
        XCTAssertEqual(measured.rate, 1600, "raised capacity is news: what was measured under the old one is outdated")
        XCTAssertNil(measured.estimate)
        XCTAssertEqual(measured.ceiling, 1600)
    }

    func testTheOperatorsCapAppliesToAnnouncedCapacityOrToTheMeasuredRate() {
        var provisioned = Estimator(capacity: .init(provisionedWCU: 400), cap: .init(), now: 0)
        XCTAssertEqual(provisioned.setCap(.init(capacityPercent: 50), now: 1), .init(rate: 200, reason: .operatorCap))
        XCTAssertEqual(provisioned.setCap(.init(capacityPercent: 100), now: 2)?.rate, 400)

        var onDemand = Estimator(capacity: .init(), cap: .init(), now: 0)
        _ = feed(&onDemand, unitsPerSecond: 400, from: 0, to: 1.2)
        _ = pushBack(&onDemand, at: 1.25)
        _ = onDemand.setCap(.init(capacityPercent: 50), now: 2)
        XCTAssertEqual(onDemand.ceiling ?? 0, 200, accuracy: 1, "half of what the table was measured to grant")
        XCTAssertEqual(onDemand.rate, 200, accuracy: 1)
        _ = feed(&onDemand, unitsPerSecond: 200, from: 2, to: 60)
        XCTAssertLessThanOrEqual(onDemand.rate, 200.5)
    }
}
