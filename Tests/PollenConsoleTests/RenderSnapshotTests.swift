@testable import PollenEngine
import PollenConsole
import XCTest

/// Whole frames rendered from states built by feeding events and keys, compared with the
/// snapshots in `Snapshots/` at the smallest supported size (80×24) and a common large one
/// (132×43).
final class RenderSnapshotTests: XCTestCase {
    static let sizes = [(80, 24), (132, 43)]
    let scenario = BackfillScenario()

    /// The run 90 seconds in: earnings throttled against its 50 WCU, retries backing off,
    /// 14 of 20 assets marked.
    var running: ConsoleState { BackfillScenario.state(scenario.events(until: 90.3)) }

    func frame(_ state: ConsoleState, _ width: Int, _ height: Int, unicode: Bool = true) -> CellBuffer {
        var buffer = CellBuffer(width: 0, height: 0)
        ConsoleRenderer(unicode: unicode).render(state, width: width, height: height, into: &buffer)
        return buffer
    }

    func testRunningWithThrottling() {
        for (width, height) in Self.sizes {
            SnapshotAssertion.assertMatches(frame(running, width, height), named: "running-\(width)x\(height)")
        }
    }

    func testPaused() {
        var state = running
        _ = ConsoleReducer().reduce(&state, .engine(Events.stateChanged(90.4, .paused)))
        for (width, height) in Self.sizes {
            SnapshotAssertion.assertMatches(frame(state, width, height), named: "paused-\(width)x\(height)")
        }
    }

    func testPartialSuccessSummary() {
        let state = BackfillScenario.state(scenario.finishedEvents())
        for (width, height) in Self.sizes + [(100, 30)] {
            SnapshotAssertion.assertMatches(frame(state, width, height), named: "summary-\(width)x\(height)")
        }
    }

    /// Whatever the size, each listed asset's row shows its whole date and its read-back mark,
    /// FAILED and PARTIAL come first, and scrolling reaches the last asset.
    func testTheSummaryShowsWholeDatesAndReadBackMarksAtEverySize() throws {
        var state = BackfillScenario.state(scenario.finishedEvents())
        let listed = state.summaryAssets
        XCTAssertEqual(listed.first?.phase, .failed)
        XCTAssertEqual(Set(listed.prefix(3).map(\.phase)), [.failed, .partial])
        for (width, height) in Self.sizes + [(100, 30)] {
            let lines = frame(state, width, height).textLines
            var seen = 0
            for asset in listed {
                guard let line = lines.first(where: { $0.contains("│ \(asset.symbol) ") }) else { continue }
                seen += 1
                if let date = asset.lastPollenationDate {
                    XCTAssertTrue(line.contains(date), "\(asset.symbol) at \(width)x\(height): \(line)")
                    XCTAssertTrue(line.contains("✓ confirmed"), "\(asset.symbol) at \(width)x\(height): \(line)")
                } else if asset.phase == .failed {
                    XCTAssertTrue(line.contains("✗ not confirmed"), "\(asset.symbol) at \(width)x\(height): \(line)")
                }
            }
            XCTAssertGreaterThanOrEqual(seen, min(listed.count, height / 4), "assets shown at \(width)x\(height)")
        }
        _ = ConsoleReducer().reduce(&state, .key(.tab))
        XCTAssertEqual(state.ui.focus, .assets)
        for _ in 0..<3 { _ = ConsoleReducer().reduce(&state, .key(.pageDown)) }
        let last = try XCTUnwrap(listed.last)
        XCTAssertTrue(frame(state, 80, 24).textLines.contains { $0.contains("│ \(last.symbol) ") }, "scrolled to \(last.symbol)")
    }

    func testHelpOverlay() {
        var state = running
        _ = ConsoleReducer().reduce(&state, .key(.character("?")))
        for (width, height) in Self.sizes {
            SnapshotAssertion.assertMatches(frame(state, width, height), named: "help-\(width)x\(height)")
        }
    }

    func testTableDrillDown() {
        var state = running
        let reducer = ConsoleReducer()
        _ = reducer.reduce(&state, .key(.down))
        _ = reducer.reduce(&state, .key(.enter))
        SnapshotAssertion.assertMatches(frame(state, 80, 24), named: "drilldown-earnings-80x24")
    }

    func testTooSmallTerminal() {
        SnapshotAssertion.assertMatches(frame(running, 60, 20), named: "too-small-60x20")
    }

    func testNoColorKeepsStatesApartThroughAttributes() throws {
        let theme = try ThemeLoader.load(name: "default", environment: [:], directories: [])
        for (width, height) in Self.sizes {
            SnapshotAssertion.assertMatches(frame(running, width, height), named: "no-color-\(width)x\(height)",
                                            layer: .noColorAttributes(theme))
        }
    }

    func testASCIIFallback() {
        SnapshotAssertion.assertMatches(frame(running, 80, 24, unicode: false), named: "ascii-80x24")
    }
}
