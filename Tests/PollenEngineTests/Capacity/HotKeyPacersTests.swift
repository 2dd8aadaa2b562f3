import PollenTestSupport
import XCTest
@testable import PollenEngine

/// Whose push-back an answer is: a key's when it is refused again while the others go through;
/// a table's when more than one key meets it, or when one key meets it once.
final class HotKeyPacersTests: XCTestCase {
    private func pacers(_ clock: ManualClock) -> HotKeyPacers {
        HotKeyPacers(clock: clock) { _ in }
    }

    /// The table's other keys answer cleanly three times.
    private func othersGoThrough(_ pacers: HotKeyPacers, _ clock: ManualClock) {
        for symbol in ["A", "B", "C"] {
            clock.advance(by: 0.01)
            _ = pacers.record(table: .earnings, symbol: symbol, pushedBack: false, limit: nil)
        }
    }

    func testAKeyRangeThrottleGivesTheKeyAPacerStartingAtWhatAPartitionTakes() {
        let clock = ManualClock()
        let pacers = pacers(clock)
        let verdict = pacers.record(table: .earnings, symbol: "HOT", pushedBack: true, limit: .keyRange)
        XCTAssertTrue(verdict.keyLevel)
        let pacer = try? XCTUnwrap(verdict.pacer)
        // Nothing the key was granted before its first refusal measures it: it starts at the
        // most a partition takes and measures down, never creeping up from one unit a second.
        XCTAssertEqual(pacer?.allowedRate, 1000)
        XCTAssertNil(pacer?.estimatedLimit)
        XCTAssertTrue(pacers.pacer(table: .earnings, symbol: "HOT") === pacer)
        XCTAssertNil(pacers.pacer(table: .cashFlow, symbol: "HOT"), "a key is hot in one table")
        pacers.forget(symbol: "HOT")
        XCTAssertNil(pacers.pacer(table: .earnings, symbol: "HOT"))
    }

    func testUnprocessedItemsOfOneKeyWhileTheOthersGoThroughAreTheKeysFromTheSecond() {
        let clock = ManualClock()
        let pacers = pacers(clock)
        othersGoThrough(pacers, clock)
        for push in 1...3 {
            clock.advance(by: 0.05)
            let verdict = pacers.record(table: .earnings, symbol: "HOT", pushedBack: true, limit: nil)
            XCTAssertEqual(verdict.keyLevel, push > 1,
                           "push-back \(push): one alone is the table's, a second of the same key the key's")
            XCTAssertEqual(verdict.pacer != nil, push == 3, "the key is paced on its own from its third")
        }
    }

    func testAKeyRefusedAtTheEdgeOfTheTablesSecondIsNotHot() {
        // The key whose batch came last in each of the table's seconds: pushed back twice in two
        // seconds, but most of its answers went through.
        let clock = ManualClock()
        let pacers = pacers(clock)
        for second in 0..<2 {
            othersGoThrough(pacers, clock)
            for _ in 0..<2 { _ = pacers.record(table: .earnings, symbol: "EDGE", pushedBack: false, limit: nil) }
            let verdict = pacers.record(table: .earnings, symbol: "EDGE", pushedBack: true, limit: nil)
            XCTAssertFalse(verdict.keyLevel, "second \(second): the table's limit")
            XCTAssertNil(verdict.pacer)
            clock.advance(by: 0.9)
        }
    }

    func testAPushBackThatMoreThanOneKeyMeetsIsTheTables() {
        let clock = ManualClock()
        let pacers = pacers(clock)
        othersGoThrough(pacers, clock)
        XCTAssertFalse(pacers.record(table: .earnings, symbol: "X", pushedBack: true, limit: nil).keyLevel)
        clock.advance(by: 0.01)
        XCTAssertTrue(pacers.record(table: .earnings, symbol: "X", pushedBack: true, limit: nil).keyLevel)
        clock.advance(by: 0.01)
        let second = pacers.record(table: .earnings, symbol: "Y", pushedBack: true, limit: nil)
        XCTAssertFalse(second.keyLevel, "a second key pushed back: the table is at its limit")
        XCTAssertNil(second.pacer)
    }

    func testWithoutOtherKeysAnsweringAPushBackIsTheTables() {
        let clock = ManualClock()
        let pacers = pacers(clock)
        for _ in 1...4 {
            clock.advance(by: 0.05)
            let verdict = pacers.record(table: .earnings, symbol: "ONLY", pushedBack: true, limit: nil)
            XCTAssertFalse(verdict.keyLevel)
            XCTAssertNil(verdict.pacer)
        }
        let provisioned = pacers.record(table: .earnings, symbol: "ONLY", pushedBack: true, limit: .provisioned)
        XCTAssertFalse(provisioned.keyLevel, "a reason that names the table is the table's")
    }

    func testAnswersOlderThanTwoSecondsNoLongerCount() {
        let clock = ManualClock()
        let pacers = pacers(clock)
        othersGoThrough(pacers, clock)
        clock.advance(by: 2.5)
        XCTAssertFalse(pacers.record(table: .earnings, symbol: "HOT", pushedBack: true, limit: nil).keyLevel,
                       "the others' answers are stale: nothing says they go through")
    }
}
