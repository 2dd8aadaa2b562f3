import XCTest
@testable import PollenEngine

/// When a run may start another asset: its window, the slots lent by batches asleep in backoff,
/// and, once other runs share the selection, one asset at a time and none while a table's rate
/// holds requests back.
final class AssetAdmissionTests: XCTestCase {
    let admission = AssetAdmission(window: 4)

    func testTheWindowIsWidenedByBatchesAsleepUpToFourWindows() {
        XCTAssertNil(admission.refusal(running: 3, asleep: 0, sharing: false, loading: 0, ratesHeldBack: true, queuedOnRates: []))
        XCTAssertEqual(admission.refusal(running: 4, asleep: 0, sharing: false, loading: 0, ratesHeldBack: true, queuedOnRates: []), .windowFull)
        XCTAssertNil(admission.refusal(running: 6, asleep: 3, sharing: false, loading: 0, ratesHeldBack: true, queuedOnRates: []))
        XCTAssertEqual(admission.refusal(running: 7, asleep: 3, sharing: false, loading: 0, ratesHeldBack: true, queuedOnRates: []), .windowFull)
        XCTAssertNil(admission.refusal(running: 15, asleep: 40, sharing: false, loading: 0, ratesHeldBack: true, queuedOnRates: []))
        XCTAssertEqual(admission.refusal(running: 16, asleep: 40, sharing: false, loading: 0, ratesHeldBack: true, queuedOnRates: []), .windowFull)
    }

    func testARunAloneTakesAssetsWhateverItsRatesHoldBack() {
        XCTAssertNil(admission.refusal(running: 1, asleep: 0, sharing: false, loading: 0, ratesHeldBack: true, queuedOnRates: [0, 9]))
        XCTAssertNil(admission.refusal(running: 1, asleep: 0, sharing: false, loading: 1, ratesHeldBack: true, queuedOnRates: [0]),
                     "alone, it takes a window at once")
    }

    /// Sharing tables that set its pace, a run takes the next asset only once the last is loaded and
    /// its batches are on the rates, where the backlog shows them.
    func testARunSharingItsSelectionTakesOneAssetAtATime() {
        XCTAssertEqual(admission.refusal(running: 1, asleep: 0, sharing: true, loading: 1, ratesHeldBack: true, queuedOnRates: [0]), .assetLoading)
        XCTAssertNil(admission.refusal(running: 2, asleep: 0, sharing: true, loading: 0, ratesHeldBack: true, queuedOnRates: [1]))
        XCTAssertEqual(admission.refusal(running: 4, asleep: 0, sharing: true, loading: 1, ratesHeldBack: true, queuedOnRates: [0]), .windowFull)
        XCTAssertNil(admission.refusal(running: 1, asleep: 0, sharing: true, loading: 1, ratesHeldBack: false, queuedOnRates: [0]),
                     "round trips, not the tables, set the pace: the window keeps the run going")
    }

    func testARunSharingItsSelectionTakesNoAssetWhileATablesRateHoldsRequestsBack() {
        XCTAssertNil(admission.refusal(running: 1, asleep: 0, sharing: true, loading: 0, ratesHeldBack: true, queuedOnRates: [0, 1]))
        XCTAssertEqual(admission.refusal(running: 1, asleep: 0, sharing: true, loading: 0, ratesHeldBack: true, queuedOnRates: [0, 2]), .ratesBacklogged)
        // A full window is the first reason: nothing to look again for until an asset is done.
        XCTAssertEqual(admission.refusal(running: 4, asleep: 0, sharing: true, loading: 0, ratesHeldBack: true, queuedOnRates: [5]), .windowFull)
    }
}
