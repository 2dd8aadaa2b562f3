import Foundation
import PollenTestSupport
import Synchronization
import XCTest
@testable import PollenEngine

/// The daily budget of a key: shared by every ledger (every run) on the same state file,
/// reset on a new UTC day, never naming the key, and closed when it cannot be kept.
final class DailyRequestLedgerTests: XCTestCase {
    func testTwoLedgersOnTheSameKeyShareTodaysBudgetAndANewDayResetsIt() throws {
        let directory = TemporaryDirectory()
        let day = Mutex("2026-12-01")
        func ledger(_ key: String = "KEY-ONE") -> DailyRequestLedger {
            DailyRequestLedger(apiKey: key, limit: 3, directory: directory.path + "/state", today: { day.withLock { $0 } })
        }
        let first = ledger(), second = ledger()
        XCTAssertEqual(first.remaining(), 3)
        XCTAssertTrue(first.take())
        XCTAssertTrue(second.take())
        XCTAssertTrue(first.take())
        XCTAssertFalse(second.take(), "three requests today, between the two")
        XCTAssertEqual(first.remaining(), 0)
        XCTAssertEqual(ledger("KEY-TWO").remaining(), 3, "another key has its own budget")
        day.withLock { $0 = "2026-12-02" }
        XCTAssertEqual(second.remaining(), 3)
        XCTAssertTrue(second.take())

        XCTAssertFalse(first.path.contains("KEY-ONE"), "the file is named by a hash, never the key")
        let text = try String(contentsOfFile: first.path, encoding: .utf8)
        XCTAssertFalse(text.contains("KEY-ONE"))
        XCTAssertTrue(text.contains("2026-12-02"), text)
        let permissions = try FileManager.default.attributesOfItem(atPath: first.path)[.posixPermissions] as? Int
        XCTAssertEqual(permissions, 0o600)
    }

    func testABudgetThatCannotBeKeptSendsNothing() {
        let ledger = DailyRequestLedger(apiKey: "K", limit: 5, directory: "/proc/pollen-cannot-write-here")
        XCTAssertFalse(ledger.take())
        XCTAssertNil(ledger.remaining())
    }

    func testTheStateDirectoryFollowsTheEnvironment() {
        XCTAssertEqual(DailyRequestLedger.stateDirectory(environment: ["POLLEN_STATE_DIR": "/s", "XDG_STATE_HOME": "/x"]), "/s")
        XCTAssertEqual(DailyRequestLedger.stateDirectory(environment: ["XDG_STATE_HOME": "/x", "HOME": "/h"]), "/x/pollen")
        XCTAssertEqual(DailyRequestLedger.stateDirectory(environment: ["HOME": "/h"]), "/h/.local/state/pollen")
        XCTAssertEqual(DailyRequestLedger.utcDay(Date(timeIntervalSince1970: 1_767_225_599)), "2025-12-31")
    }
}
