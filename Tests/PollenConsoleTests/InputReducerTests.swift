@testable import PollenEngine
import PollenConsole
import XCTest

/// Keys in, state and commands out.
final class InputReducerTests: XCTestCase {
    var running: ConsoleHarness { ConsoleHarness([Events.runStarted(), Events.assetStarted(1, "AAPL")]) }

    func testPPausesARunningRunAndResumesAPausedOne() {
        var console = running
        XCTAssertEqual(console.press(.character("p")), [.pause])
        XCTAssertEqual(console.state.run.state, .running, "the state follows the engine's stateChanged, not the key")
        console.feed(Events.stateChanged(2, .paused))
        XCTAssertEqual(console.press(.character("p")), [.resume])
        console.feed(Events.stateChanged(3, .draining))
        XCTAssertEqual(console.press(.character("p")), [])
        XCTAssertEqual(console.state.ui.hint?.isWarning, true)
    }

    func testPDoesNothingOnceTheRunIsDone() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        XCTAssertEqual(console.press(.character("p")), [])
        XCTAssertEqual(console.state.ui.hint?.text, "the run has finished")
    }

    func cap(_ percent: Double, max: Double? = nil) -> ConsoleCommand {
        .setCapacityCap(.init(capacityPercent: percent, maxUnitsPerSecond: max))
    }

    /// `+` and `-` ask the engine for the next cap from the one it announced; the state (and
    /// the header) changes only when the engine announces the new one.
    func testPlusAndMinusAskForTheNextCapFromTheAnnouncedOne() {
        var console = running
        XCTAssertEqual(console.state.cap?.capacityPercent, 100, "from runStarted")
        XCTAssertEqual(console.press(.character("+")), [], "already at 100%")
        XCTAssertEqual(console.press(.character("-")), [cap(90)])
        XCTAssertEqual(console.state.cap?.capacityPercent, 100, "not changed until the engine says so")
        XCTAssertEqual(console.state.requestedCap?.capacityPercent, 90)
        XCTAssertEqual(console.press(.character("-")), [cap(80)], "quick presses add up")
        console.feed(Events.capChanged(1, percent: 90))
        XCTAssertEqual(console.state.requestedCap?.capacityPercent, 80, "still waiting for 80%")
        console.feed(Events.capChanged(1.1, percent: 80))
        XCTAssertNil(console.state.requestedCap)
        XCTAssertEqual(console.state.cap?.capacityPercent, 80)
        XCTAssertEqual(console.press(.character("-")), [cap(70)])
        console.feed(Events.capChanged(1.2, percent: 70))
        console.feed(Events.capChanged(2, percent: 10))
        XCTAssertEqual(console.press(.character("-")), [cap(5)], "below 10% it halves")
        console.feed(Events.capChanged(3, percent: 5))
        console.feed(Events.capChanged(3.1, percent: 1))
        XCTAssertEqual(console.press(.character("-")), [], "never below 1%")
        XCTAssertEqual(console.press(.character("=")), [cap(10)], "= is + without shift")
    }

    /// A run started at `--max-capacity-pct 5` (and `--max-wcu`) shows 5%, and steps keep the unit cap.
    func testACapBelowTenPercentIsShownAsItIsAndStepsUpToTen() {
        var console = ConsoleHarness([Events.runStarted(cap: .init(capacityPercent: 5, maxUnitsPerSecond: 300))])
        XCTAssertEqual(console.state.cap, .init(capacityPercent: 5, maxUnitsPerSecond: 300))
        XCTAssertEqual(console.press(.character("+")), [cap(10, max: 300)])
        console.feed(Events.capChanged(1, percent: 10, maxUnitsPerSecond: 300))
        XCTAssertEqual(console.press(.character("+")), [cap(20, max: 300)])
    }

    func testTheCapDoesNotChangeOnceTheRunHasFinished() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        XCTAssertEqual(console.press(.character("-")), [])
        XCTAssertEqual(console.state.ui.hint?.text, "the write-rate cap changes while a run is writing")
    }

    func testQuitWhileWritingAsksFirstAndDrainsWhenConfirmed() {
        var console = running
        XCTAssertEqual(console.press(.character("q")), [])
        XCTAssertEqual(console.state.ui.overlay, .confirmQuit)
        XCTAssertEqual(console.press(.character("p")), [], "other keys wait for the answer")
        XCTAssertEqual(console.press(.character("y")), [.drain, .quit])
        XCTAssertNil(console.state.ui.overlay)
    }

    func testNoCancelsTheQuit() {
        var console = running
        console.press(.character("q"))
        XCTAssertEqual(console.press(.character("n")), [])
        XCTAssertNil(console.state.ui.overlay)
        console.press(.character("q"))
        XCTAssertEqual(console.press(.escape), [])
        XCTAssertNil(console.state.ui.overlay)
    }

    func testQuitWhileDrainingNeedsNoSecondDrain() {
        var console = running
        console.feed(Events.stateChanged(2, .draining))
        console.press(.character("q"))
        XCTAssertEqual(console.press(.character("y")), [.quit])
    }

    func testQuitWhenTheRunIsDoneQuitsAtOnce() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        XCTAssertEqual(console.press(.character("q")), [.quit])
        var idle = ConsoleHarness()
        XCTAssertEqual(idle.press(.character("q")), [.quit], "nothing started, nothing to lose")
    }

    func testRRerunsTheSelectedFailedTable() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        console.press(.down)
        XCTAssertEqual(console.state.selectedTable?.table, .earnings)
        XCTAssertEqual(console.press(.character("r")), [.rerun(table: .earnings)])
        XCTAssertEqual(console.state.pendingRerun, RerunRequest(table: .earnings))
    }

    func testROnATableWithoutFailuresOnlyHints() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        console.press(.down, .down)
        XCTAssertEqual(console.state.selectedTable?.table, .cashFlow)
        XCTAssertEqual(console.press(.character("r")), [])
        XCTAssertEqual(console.state.ui.hint?.text, "cashFlow has no failures to re-run")
        XCTAssertNil(console.state.pendingRerun)
    }

    func testRWaitsForTheRunToFinish() {
        var console = running
        XCTAssertEqual(console.press(.character("r")), [])
        XCTAssertEqual(console.press(.character("R")), [])
        XCTAssertEqual(console.state.ui.hint?.isWarning, true)
    }

    func testCapitalRRerunsEverythingThatFailed() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        XCTAssertEqual(console.press(.character("R")), [.rerun(table: nil)])
        var clean = ConsoleHarness([Events.runStarted(), Events.stateChanged(1, .done), Events.summary(1, status: .complete, exitCode: 0)])
        XCTAssertEqual(clean.press(.character("R")), [])
        XCTAssertEqual(clean.state.ui.hint?.text, "nothing failed: nothing to re-run")
    }

    func testSlashEditsTheFilterEnterAppliesItEscClearsIt() {
        var console = ConsoleHarness(Array(ConsoleHarness.finishedRun().dropLast(2)))  // still running: the log
        console.press(.character("/"))
        XCTAssertEqual(console.state.ui.filterDraft, "")
        XCTAssertEqual(console.state.ui.focus, .log)
        XCTAssertEqual(console.type("MSFQ"), [], "typed keys are text, not commands")
        console.press(.backspace)
        console.type("T")
        XCTAssertEqual(console.state.ui.filterDraft, "MSFT")
        XCTAssertNil(console.state.log.filter, "not applied until Enter")
        console.press(.enter)
        XCTAssertNil(console.state.ui.filterDraft)
        XCTAssertEqual(console.state.log.filter, "msft")
        let shown = console.state.log.visibleLines(100)
        XCTAssertFalse(shown.isEmpty)
        XCTAssertTrue(shown.allSatisfy { $0.text.contains("MSFT") })

        console.press(.character("/"))
        XCTAssertEqual(console.state.ui.filterDraft, "msft", "editing starts from the applied filter")
        console.press(.escape)
        XCTAssertNil(console.state.log.filter)
        XCTAssertNil(console.state.ui.filterDraft)
    }

    func testEscClearsAnAppliedFilterWhenNoOverlayIsOpen() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        console.press(.character("/"))
        console.type("aapl")
        console.press(.enter, .escape)
        XCTAssertNil(console.state.log.filter)
    }

    func testSelectionStaysWithinTheRows() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        console.press(.up, .character("k"))
        XCTAssertEqual(console.state.ui.selectedTable, 0)
        console.press(.pageDown)
        XCTAssertEqual(console.state.ui.selectedTable, 4, "five tables")
        console.press(.character("j"))
        XCTAssertEqual(console.state.ui.selectedTable, 4)
        console.press(.tab)
        console.press(.down, .down, .down)
        XCTAssertEqual(console.state.ui.selectedAsset, 1, "two assets")
        XCTAssertEqual(console.state.ui.selectedTable, 4, "the other panel's selection stays")
    }

    func testTabCyclesTheFocusedPanelAndShiftTabGoesBack() {
        var console = running
        XCTAssertEqual(console.state.ui.focus, .tables)
        console.press(.tab)
        XCTAssertEqual(console.state.ui.focus, .assets)
        console.press(.tab)
        XCTAssertEqual(console.state.ui.focus, .log)
        console.press(.tab)
        XCTAssertEqual(console.state.ui.focus, .tables)
        console.press(.backTab)
        XCTAssertEqual(console.state.ui.focus, .log)
    }

    func testArrowsScrollTheLogWhenItHasTheFocus() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        console.press(.tab, .tab)
        console.press(.up, .up)
        XCTAssertEqual(console.state.log.scrollBack, 2)
        console.press(.down)
        XCTAssertEqual(console.state.log.scrollBack, 1)
        console.press(.pageDown)
        XCTAssertEqual(console.state.log.scrollBack, 0)
    }

    func testEnterDrillsIntoTheSelectedTableOrAssetAndEscCloses() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        console.press(.down, .enter)
        XCTAssertEqual(console.state.ui.overlay, .drillDown(.table(.earnings), scroll: 0))
        console.press(.down)
        XCTAssertEqual(console.state.ui.overlay, .drillDown(.table(.earnings), scroll: 1), "arrows scroll the overlay")
        XCTAssertEqual(console.state.ui.selectedTable, 1)
        console.press(.escape)
        XCTAssertNil(console.state.ui.overlay)
        console.press(.tab, .enter)
        XCTAssertEqual(console.state.ui.overlay, .drillDown(.asset("MSFT"), scroll: 0), "the summary lists PARTIAL first")
        console.press(.escape, .down, .enter)
        XCTAssertEqual(console.state.ui.overlay, .drillDown(.asset("AAPL"), scroll: 0))
    }

    /// On the summary, `/` filters the assets (symbol, status, failed table or reason); Esc clears.
    func testSlashOnTheSummaryFiltersTheAssets() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        XCTAssertTrue(console.state.showsSummary)
        XCTAssertEqual(console.state.summaryAssets.map(\.symbol), ["MSFT", "AAPL"], "PARTIAL before COMPLETE")
        console.press(.character("/"))
        XCTAssertEqual(console.state.ui.focus, .assets)
        console.type("complete")
        console.press(.enter)
        XCTAssertEqual(console.state.ui.assetFilter, "complete")
        XCTAssertEqual(console.state.summaryAssets.map(\.symbol), ["AAPL"])
        XCTAssertNil(console.state.log.filter, "the log's filter is not touched")
        console.press(.enter)
        XCTAssertEqual(console.state.ui.overlay, .drillDown(.asset("AAPL"), scroll: 0), "the selection is in the filtered list")
        console.press(.escape, .character("/"))
        console.press(.backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        console.type("THROTTLED")
        console.press(.enter)
        XCTAssertEqual(console.state.summaryAssets.map(\.symbol), ["MSFT"], "found by its failure's reason")
        console.press(.escape)
        XCTAssertNil(console.state.ui.assetFilter)
        XCTAssertEqual(console.state.summaryAssets.count, 2)
    }

    func testQuestionMarkTogglesHelp() {
        var console = running
        console.press(.character("?"))
        XCTAssertEqual(console.state.ui.overlay, .help)
        console.press(.character("?"))
        XCTAssertNil(console.state.ui.overlay)
    }

    func testTCyclesThroughTheThemes() {
        var console = ConsoleHarness(themeNames: ["default", "light", "monochrome"])
        console.press(.character("t"))
        XCTAssertEqual(console.state.ui.themeName, "light")
        console.press(.character("t"), .character("t"))
        XCTAssertEqual(console.state.ui.themeName, "default")
    }

    func testSTogglesBetweenTheSummaryAndTheLivePanels() {
        var console = ConsoleHarness(ConsoleHarness.finishedRun())
        XCTAssertTrue(console.state.ui.showsSummary)
        console.press(.character("s"))
        XCTAssertFalse(console.state.ui.showsSummary)
        var live = running
        live.press(.character("s"))
        XCTAssertFalse(live.state.ui.showsSummary)
        XCTAssertNotNil(live.state.ui.hint)
    }

    func testHintsExpire() {
        var console = running
        console.press(.character("+"))
        XCTAssertNotNil(console.state.ui.hint)
        console.tick(Hint.lifetime - 0.1)
        XCTAssertNotNil(console.state.ui.hint)
        console.tick(Hint.lifetime + 0.1)
        XCTAssertNil(console.state.ui.hint)
    }

    func testTheFooterOffersOnlyWhatMakesSenseNow() {
        let live = running.state
        XCTAssertTrue(live.allows(.pauseResume))
        XCTAssertFalse(live.allows(.rerunAll))
        let done = ConsoleHarness(ConsoleHarness.finishedRun()).state
        XCTAssertFalse(done.allows(.pauseResume))
        XCTAssertFalse(done.allows(.raiseCap))
        XCTAssertTrue(done.allows(.rerunSelected))
        XCTAssertTrue(done.allows(.toggleSummary))
    }
}
