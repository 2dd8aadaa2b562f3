import XCTest
@testable import PollenEngine

/// When a run may start another asset: its window, the slots lent by batches asleep in backoff,
/// and, once other runs share the selection, no taking while a table's rate holds requests back.
final class AssetAdmissionTests: XCTestCase {
    let admission = AssetAdmission(window: 4)

    func testTheWindowIsWidenedByBatchesAsleepUpToFourWindows() {
        XCTAssertNil(admission.refusal(running: 3, asleep: 0, sharing: false, queuedOnRates: []))
        XCTAssertEqual(admission.refusal(running: 4, asleep: 0, sharing: false, queuedOnRates: []), .windowFull)
        XCTAssertNil(admission.refusal(running: 6, asleep: 3, sharing: false, queuedOnRates: []))
        XCTAssertEqual(admission.refusal(running: 7, asleep: 3, sharing: false, queuedOnRates: []), .windowFull)
        XCTAssertNil(admission.refusal(running: 15, asleep: 40, sharing: false, queuedOnRates: []))
        XCTAssertEqual(admission.refusal(running: 16, asleep: 40, sharing: false, queuedOnRates: []), .windowFull)
    }

    func testARunAloneTakesAssetsWhateverItsRatesHoldBack() {
        XCTAssertNil(admission.refusal(running: 1, asleep: 0, sharing: false, queuedOnRates: [0, 9]))
    }

    func testARunSharingItsSelectionTakesNoAssetWhileATablesRateHoldsRequestsBack() {
        XCTAssertNil(admission.refusal(running: 1, asleep: 0, sharing: true, queuedOnRates: [0, 1]))
        XCTAssertEqual(admission.refusal(running: 1, asleep: 0, sharing: true, queuedOnRates: [0, 2]), .ratesBacklogged)
        // A full window is the first reason: nothing to look again for until an asset is done.
        XCTAssertEqual(admission.refusal(running: 4, asleep: 0, sharing: true, queuedOnRates: [5]), .windowFull)
    }
}
